package dev.awsonboard.lifecycle.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How requests shape what they create and whom they may touch.
 *
 * @param signInUrl                  fixed console URL; empty: derived from the account alias or id
 * @param permissionsBoundary        managed policy ARN set as every created user's permissions boundary
 * @param attachChangePasswordPolicy attach AWS's IAMUserChangePassword to users who must change their
 *                                   password at first sign-in, unless the account lets users change it
 * @param offboardAnyUser            offboarding may remove IAM users this bot did not create
 */
public record ProvisioningSettings(List<String> defaultGroups, String iamPath, Map<String, String> extraTags,
                                   Optional<String> signInUrl, Optional<String> permissionsBoundary,
                                   boolean attachChangePasswordPolicy, boolean offboardAnyUser) {
    public ProvisioningSettings {
        defaultGroups = List.copyOf(defaultGroups);
        extraTags = Map.copyOf(extraTags);
    }

    /** Every group the request's user joins: the default ones, then those the request named. */
    public Set<String> groupsFor(Request r) {
        Set<String> groups = new LinkedHashSet<>(defaultGroups);
        groups.addAll(r.groups());
        return groups;
    }

    /** The serial IAM gives a virtual MFA device named exactly like the request's user. */
    public String deviceSerialFor(Request r) {
        return "arn:" + Request.partitionOf(r.userArn()) + ":iam::" + r.accountId() + ":mfa" + iamPath + r.iamUserName();
    }

    /** AWS's managed policy that grants iam:ChangePassword on one's own user, in the user's partition. */
    public static String changePasswordPolicyArn(Request r) {
        return "arn:" + Request.partitionOf(r.userArn()) + ":iam::aws:policy/IAMUserChangePassword";
    }
}
