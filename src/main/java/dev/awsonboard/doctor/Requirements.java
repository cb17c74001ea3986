package dev.awsonboard.doctor;

import java.util.List;

/**
 * What the bot needs from Slack and from IAM, each in exactly one place. Tests hold these
 * lists equal to {@code manifest.yml} and to {@code deploy/iam-policy.json}.
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
            "channels:read",
            "groups:read");

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

    /** One IAM action the bot calls. */
    public record IamAction(String name, Resource resource) {
    }

    /** Every IAM action the bot calls (SdkIamGateway), with the resource IAM authorizes it on. */
    public static final List<IamAction> IAM_ACTIONS = List.of(
            new IamAction("iam:CreateUser", Resource.USER),
            new IamAction("iam:GetUser", Resource.USER),
            new IamAction("iam:ListUserTags", Resource.USER),
            // CreateUser with tags needs TagUser as well.
            new IamAction("iam:TagUser", Resource.USER),
            new IamAction("iam:AddUserToGroup", Resource.GROUP),
            new IamAction("iam:RemoveUserFromGroup", Resource.GROUP),
            new IamAction("iam:GetAccountPasswordPolicy", Resource.ACCOUNT),
            new IamAction("iam:CreateLoginProfile", Resource.USER),
            new IamAction("iam:UpdateLoginProfile", Resource.USER),
            new IamAction("iam:DeleteLoginProfile", Resource.USER),
            new IamAction("iam:CreateVirtualMFADevice", Resource.MFA),
            new IamAction("iam:EnableMFADevice", Resource.USER),
            new IamAction("iam:DeactivateMFADevice", Resource.USER),
            new IamAction("iam:DeleteVirtualMFADevice", Resource.MFA),
            new IamAction("iam:ListVirtualMFADevices", Resource.ACCOUNT),
            new IamAction("iam:ListMFADevices", Resource.USER),
            new IamAction("iam:DeleteUser", Resource.USER),
            new IamAction("iam:ListAccountAliases", Resource.ACCOUNT));

    public static List<String> iamActionNames() {
        return IAM_ACTIONS.stream().map(IamAction::name).toList();
    }
}
