package dev.awsonboard.doctor;

import java.util.List;
import java.util.Map;

/**
 * What the bot needs from Slack and from IAM, each in exactly one place. Tests hold these
 * lists equal to {@code manifest.yml}, to {@code deploy/iam-policy.json} and to the SDK calls
 * {@code SdkIamGateway} makes.
 */
public final class Requirements {
    private Requirements() {
    }

    /** The bot token scopes; {@code oauth_config.scopes.bot} in {@code manifest.yml}. */
    public static final List<String> SLACK_BOT_SCOPES = List.of(
            "commands",
            "chat:write",
            "im:write",
            "im:history",
            "files:write",
            "users:read",
            "users:read.email",
            "channels:read",
            "groups:read",
            "usergroups:read");

    /**
     * The events the bot subscribes to ({@code settings.event_subscriptions.bot_events} in {@code manifest.yml}), each
     * with the bot scope Slack requires to deliver it, or "" for none (docs.slack.dev/reference/events/&lt;event&gt;,
     * "Required scopes"; slack-ruby/slack-api-ref events/&lt;event&gt;.json).
     */
    public static final Map<String, String> SLACK_BOT_EVENTS = Map.of(
            "message.im", "im:history",
            "app_home_opened", "",
            "user_change", "users:read");

    /** The kind of IAM resource an action is authorized on, as IAM's service authorization reference has it. */
    public enum Resource {
        /** {@code arn:aws:iam::ACCOUNT:user${iamPath}NAME} */
        USER,
        /** {@code arn:aws:iam::ACCOUNT:mfa${iamPath}NAME} */
        MFA,
        /** {@code arn:aws:iam::ACCOUNT:group/NAME} */
        GROUP,
        /** Account-level actions: no resource scoping, {@code "Resource": "*"} */
        ACCOUNT
    }

    /** The only managed policy the bot attaches: it lets a new user set their own first password. */
    public static final String CHANGE_PASSWORD_POLICY = "arn:aws:iam::aws:policy/IAMUserChangePassword";

    /**
     * One IAM action the bot needs.
     *
     * @param context condition keys and the values the bot's requests carry, for a policy that limits the
     *                action with them (and for the simulator, which must be told them)
     */
    public record IamAction(String name, Resource resource, Map<String, String> context) {
        public IamAction(String name, Resource resource) {
            this(name, resource, Map.of());
        }

        public IamAction {
            context = Map.copyOf(context);
        }
    }

    /**
     * Actions the bot needs without calling them by that name: IAM authorizes the tags of CreateUser as
     * iam:TagUser, a dependent action of iam:CreateUser in the service authorization reference
     * (docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
     */
    public static final List<String> DEPENDENT_ACTIONS = List.of("iam:TagUser");

    /**
     * Every IAM action the bot needs: the calls of SdkIamGateway and {@link #DEPENDENT_ACTIONS}, with the resource
     * IAM authorizes each on. Doctor's own calls (iam:SimulatePrincipalPolicy, sts:GetCallerIdentity) are not here:
     * the bot never makes them (deploy/README.md).
     */
    public static final List<IamAction> IAM_ACTIONS = List.of(
            // onboarding
            new IamAction("iam:CreateUser", Resource.USER),
            new IamAction("iam:GetUser", Resource.USER),
            new IamAction("iam:ListUserTags", Resource.USER),
            new IamAction("iam:TagUser", Resource.USER),
            new IamAction("iam:AddUserToGroup", Resource.GROUP),
            new IamAction("iam:GetAccountPasswordPolicy", Resource.ACCOUNT),
            new IamAction("iam:CreateLoginProfile", Resource.USER),
            new IamAction("iam:UpdateLoginProfile", Resource.USER),
            new IamAction("iam:CreateVirtualMFADevice", Resource.MFA),
            new IamAction("iam:EnableMFADevice", Resource.USER),
            new IamAction("iam:ListAccountAliases", Resource.ACCOUNT),
            // Limited by the iam:PolicyARN condition key (same reference) in deploy/iam-policy.json: the bot attaches nothing else.
            new IamAction("iam:AttachUserPolicy", Resource.USER, Map.of("iam:PolicyARN", CHANGE_PASSWORD_POLICY)),
            // status, resets, cleanup of failed and expired requests
            new IamAction("iam:GetLoginProfile", Resource.USER),
            new IamAction("iam:ListMFADevices", Resource.USER),
            new IamAction("iam:ListGroupsForUser", Resource.USER),
            new IamAction("iam:ListVirtualMFADevices", Resource.ACCOUNT),
            new IamAction("iam:DeactivateMFADevice", Resource.USER),
            new IamAction("iam:DeleteVirtualMFADevice", Resource.MFA),
            new IamAction("iam:DeleteLoginProfile", Resource.USER),
            new IamAction("iam:RemoveUserFromGroup", Resource.GROUP),
            new IamAction("iam:DeleteUser", Resource.USER),
            // offboarding: DeleteUser answers DeleteConflict while any of these remain
            new IamAction("iam:ListAccessKeys", Resource.USER),
            new IamAction("iam:DeleteAccessKey", Resource.USER),
            new IamAction("iam:ListSigningCertificates", Resource.USER),
            new IamAction("iam:DeleteSigningCertificate", Resource.USER),
            new IamAction("iam:ListSSHPublicKeys", Resource.USER),
            new IamAction("iam:DeleteSSHPublicKey", Resource.USER),
            new IamAction("iam:ListServiceSpecificCredentials", Resource.USER),
            new IamAction("iam:DeleteServiceSpecificCredential", Resource.USER),
            new IamAction("iam:ListUserPolicies", Resource.USER),
            new IamAction("iam:DeleteUserPolicy", Resource.USER),
            new IamAction("iam:ListAttachedUserPolicies", Resource.USER),
            // Any policy, not only the one attached: offboarding removes whatever someone attached by hand.
            new IamAction("iam:DetachUserPolicy", Resource.USER),
            // link (what approvers read of an existing user; our slack-user tag) and unlink
            new IamAction("iam:GetAccessKeyLastUsed", Resource.USER),
            new IamAction("iam:UntagUser", Resource.USER),
            // the users command, the approvers' App Home, MFA coverage: every IAM user in one report
            new IamAction("iam:GenerateCredentialReport", Resource.ACCOUNT),
            new IamAction("iam:GetCredentialReport", Resource.ACCOUNT));

    public static List<String> iamActionNames() {
        return IAM_ACTIONS.stream().map(IamAction::name).toList();
    }
}
