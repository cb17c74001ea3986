package dev.awsonboard.lifecycle.model;

import java.util.EnumSet;
import java.util.Set;

/** Where a request is in its life. People read it through the Slack adapter's words, not {@link #name()}. */
public enum Status {
    /** Acknowledged and stored; Slack people and IAM are being checked before approvers are asked. */
    SUBMITTED,
    REQUESTED, APPROVED, PROVISIONING,
    /** The person has a QR code and owes two codes. */
    AWAITING_MFA,
    /** The person has a "Show password" button and has not used it yet. */
    AWAITING_PASSWORD,
    /** A grant runs: the IAM user is in the group until the grant ends (or is ended early). */
    GRANTED,
    /** Carried out: the user is onboarded, reset or removed. */
    DONE,
    DENIED, CANCELLED,
    /** Refused by the checks after submission (unknown person, name taken, ...); approvers were never asked. */
    REJECTED,
    EXPIRED, FAILED;

    public static final Set<Status> TERMINAL = EnumSet.of(DONE, DENIED, CANCELLED, REJECTED, EXPIRED, FAILED);
    /** Statuses in which the bot still owes IAM work after approval; a restart resumes these. */
    public static final Set<Status> RESUMABLE = EnumSet.of(APPROVED, PROVISIONING);
    /**
     * At most one request per IAM user name may be in these at a time (a unique index in the store):
     * two requests for one user never wait for approval or run at once.
     */
    public static final Set<Status> PENDING = EnumSet.of(SUBMITTED, REQUESTED, APPROVED, PROVISIONING);
    /** The bot's work is done and the person is expected to act. */
    public static final Set<Status> AWAITING_PERSON = EnumSet.of(AWAITING_MFA, AWAITING_PASSWORD);
    /** Not terminal. */
    public static final Set<Status> OPEN = EnumSet.complementOf(EnumSet.copyOf(TERMINAL));

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
