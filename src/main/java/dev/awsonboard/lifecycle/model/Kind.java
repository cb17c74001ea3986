package dev.awsonboard.lifecycle.model;

/** What a request asks for. Each kind is carried out by its own {@link Procedure}. */
public enum Kind {
    /** A new IAM user with a console password and a virtual MFA device. */
    ONBOARD,
    /** Lost or replaced phone: the user's virtual MFA devices are replaced by a new one. */
    RESET_MFA,
    /** A fresh one-time console password, shown only to the person. */
    RESET_PASSWORD,
    /** The IAM user is removed with everything attached to it. */
    OFFBOARD,
    /** An IAM user that exists becomes a person's: linked and tagged with their Slack user. */
    LINK,
    /** An IAM user stops being anyone's: its link and our slack-user tag go; IAM is otherwise untouched. */
    UNLINK,
    /** A user with no MFA gets its first virtual device: the person scans a QR; nothing is removed. Decided by the approver who asks. */
    ENROL_MFA,
    /** The IAM user joins a group for a while, and leaves it again at the end. */
    GRANT;

    /** The request gives the IAM user groups, which approval rules may match. */
    public boolean givesGroups() {
        return this == ONBOARD || this == GRANT;
    }

    /** The person ends the request by entering two codes from a new QR. */
    public boolean deliversMfa() {
        return this == ONBOARD || this == RESET_MFA || this == ENROL_MFA;
    }
}
