package dev.awsonboard.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the bot is told at start-up, validated. Secrets are {@link Secret}s, so
 * printing a Config prints masks.
 *
 * @param requesters     who may ask for access; empty means anyone in the workspace
 * @param offeredGroups  groups a requester may pick (modal and {@code groups=} in the command)
 * @param defaultGroups  groups every onboarded user joins
 * @param iamPath        IAM path for users and MFA devices, e.g. "/" or "/onboarded/"
 * @param extraTags      tags added to every created user
 * @param iamEndpoint    {@code AWS_ENDPOINT_URL_IAM}, else {@code AWS_ENDPOINT_URL}: IAM elsewhere than AWS
 * @param stsEndpoint    {@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL}; never the IAM-only variable
 * @param awsRegion      {@code AWS_REGION}, for STS; unset: STS's global endpoint (IAM itself is global)
 * @param lifecycle      resets, offboarding, languages and reminders
 * @param approvalRules  who approves what ({@code approvalRules}); empty: the approvers above, one approval, for everything
 */
public record Config(
        Secret slackBotToken,
        Secret slackSigningSecret,
        Optional<Secret> slackAppToken,
        String slackApiUrl,
        int port,
        String databaseUrl,
        Set<String> approvers,
        Set<String> requesters,
        Optional<String> approvalChannel,
        boolean allowSelfApproval,
        List<String> offeredGroups,
        List<String> defaultGroups,
        String iamPath,
        Optional<String> permissionsBoundary,
        Map<String, String> extraTags,
        Duration approvalExpiry,
        Duration setupExpiry,
        Optional<String> signInUrl,
        Optional<String> auditChannel,
        Optional<URI> iamEndpoint,
        Optional<URI> stsEndpoint,
        Optional<String> awsRegion,
        LifecycleSettings lifecycle,
        List<ApprovalRuleSettings> approvalRules) {

    public Config {
        approvers = Set.copyOf(approvers);
        requesters = Set.copyOf(requesters);
        offeredGroups = List.copyOf(offeredGroups);
        defaultGroups = List.copyOf(defaultGroups);
        extraTags = Map.copyOf(extraTags);
        approvalRules = List.copyOf(approvalRules);
    }
}
