package dev.awsonboard.lifecycle.model;

/**
 * One thing an IAM user holds that offboarding removes (or an MFA reset replaces): a login
 * profile, a key, a policy, a group membership... {@code id} names it (key id, policy ARN,
 * group name, device serial); no secret is ever one.
 */
public record Holding(Type type, String id) {

    /** In the order IAM demands they go before DeleteUser. */
    public enum Type {
        LOGIN_PROFILE, ACCESS_KEY, SIGNING_CERTIFICATE, SSH_KEY, SERVICE_CREDENTIAL,
        VIRTUAL_MFA_DEVICE, OTHER_MFA_DEVICE, INLINE_POLICY, MANAGED_POLICY, GROUP
    }

    /** Stored as {@code TYPE:id}. */
    public String encode() {
        return type.name() + ":" + id;
    }

    public static Holding decode(String encoded) {
        int colon = encoded.indexOf(':');
        return new Holding(Type.valueOf(encoded.substring(0, colon)), encoded.substring(colon + 1));
    }
}
