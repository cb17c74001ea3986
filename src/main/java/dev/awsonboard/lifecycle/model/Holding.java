package dev.awsonboard.lifecycle.model;

/**
 * One thing an IAM user holds that offboarding removes (or an MFA reset replaces): a login
 * profile, a key, a policy, a group membership... {@code id} names it (key id, policy ARN,
 * group name, device serial); no secret is ever one.
 *
 * @param detail what else the approvers read of it, or "": for an access key, the day it was last
 *               used ({@code 2026-10-01}) or {@link #NEVER_USED}
 */
public record Holding(Type type, String id, String detail) {
    public static final String NEVER_USED = "never";

    public Holding {
        detail = detail == null ? "" : detail;
    }

    public Holding(Type type, String id) {
        this(type, id, "");
    }

    /** In the order IAM demands they go before DeleteUser. */
    public enum Type {
        LOGIN_PROFILE, ACCESS_KEY, SIGNING_CERTIFICATE, SSH_KEY, SERVICE_CREDENTIAL,
        VIRTUAL_MFA_DEVICE, OTHER_MFA_DEVICE, INLINE_POLICY, MANAGED_POLICY, GROUP
    }

    /** Stored as {@code TYPE:id}, or {@code TYPE:id|detail} (no IAM id or name holds a '|'). */
    public String encode() {
        return type.name() + ":" + id + (detail.isEmpty() ? "" : "|" + detail);
    }

    public static Holding decode(String encoded) {
        int colon = encoded.indexOf(':');
        String rest = encoded.substring(colon + 1);
        int bar = rest.indexOf('|');
        return new Holding(Type.valueOf(encoded.substring(0, colon)), bar < 0 ? rest : rest.substring(0, bar),
                bar < 0 ? "" : rest.substring(bar + 1));
    }
}
