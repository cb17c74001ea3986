package dev.awsonboard.onboarding;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How provisioning shapes what it creates.
 *
 * @param signInUrl   fixed console URL; empty: derived from the account alias or id
 * @param permissionsBoundary managed policy ARN set as every created user's permissions boundary
 * @param maxAttempts tries per IAM step for transient failures, on top of the SDK's own retries
 */
public record ProvisioningSettings(List<String> defaultGroups, String iamPath, Map<String, String> extraTags,
                                   Optional<String> signInUrl, int maxAttempts, Optional<String> permissionsBoundary) {
    public ProvisioningSettings {
        defaultGroups = List.copyOf(defaultGroups);
        extraTags = Map.copyOf(extraTags);
    }

    /** Every group the request's user joins: the default ones, then those the request named. */
    public java.util.Set<String> groupsFor(Request r) {
        java.util.Set<String> groups = new java.util.LinkedHashSet<>(defaultGroups);
        groups.addAll(r.groups());
        return groups;
    }

    /** The serial IAM gives the request's MFA device, which is named exactly like the user. */
    public String deviceSerialFor(Request r) {
        return "arn:aws:iam::" + r.accountId() + ":mfa" + iamPath + r.iamUserName();
    }
}
