package dev.awsonboard.onboarding;

import java.util.EnumSet;
import java.util.Set;

/** Where an onboarding request is in its life. */
public enum Status {
    REQUESTED, APPROVED, PROVISIONING, AWAITING_MFA, ACTIVE, DENIED, CANCELLED, EXPIRED, FAILED;

    public static final Set<Status> TERMINAL = EnumSet.of(ACTIVE, DENIED, CANCELLED, EXPIRED, FAILED);
    /** Statuses in which the bot still owes work; a restart resumes these. */
    public static final Set<Status> RESUMABLE = EnumSet.of(APPROVED, PROVISIONING);

    /** How people read it: "awaiting mfa", "denied". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
