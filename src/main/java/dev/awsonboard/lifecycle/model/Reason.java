package dev.awsonboard.lifecycle.model;

/**
 * Why something happened or was refused, as the use cases say it: a code with named arguments
 * ({@link Notice}). The Slack adapter turns each into words, in the reader's language; the
 * arguments each reason carries are listed beside it.
 */
public enum Reason {
    // --- what a request says (Intake) ---
    /** kind */
    NOT_ALLOWED_TO_REQUEST,
    /** kind */
    ONLY_FOR_YOURSELF,
    USER_NAME_MISSING,
    /** length */
    USER_NAME_TOO_LONG,
    USER_NAME_BAD_CHARACTERS,
    TARGET_MISSING,
    /** groups, offered */
    GROUPS_NOT_OFFERED,
    NO_GROUPS_OFFERED,
    /** max */
    REASON_TOO_LONG,
    /** id, user */
    OPEN_REQUEST_EXISTS,
    /** id, user */
    SETUP_ALREADY_OPEN,
    /** id, kind, user */
    SUBMITTED,

    // --- checks after the acknowledgement (Intake) ---
    /** user */
    USER_EXISTS,
    /** code */
    IAM_CHECK_FAILED,
    /** person */
    PERSON_NOT_FOUND,
    /** person */
    PERSON_DEACTIVATED,
    /** person */
    PERSON_IS_BOT,
    /** person */
    PERSON_IS_GUEST,
    /** code */
    PERSON_CHECK_FAILED,
    /** person */
    NO_IAM_USER_FOR_PERSON,
    /** person, users */
    SEVERAL_IAM_USERS_FOR_PERSON,
    /** user */
    IAM_USER_NOT_FOUND,
    /** user */
    IAM_USER_NOT_OURS,
    /** user */
    IAM_USER_OWNER_UNKNOWN,
    /** user, owner, person (the one the command named) */
    IAM_USER_BELONGS_TO_OTHER,
    /** user, person */
    ALREADY_LINKED,
    /** user */
    NOT_LINKED,
    /** code */
    APPROVERS_UNREACHABLE,

    // --- decisions ---
    UNKNOWN_REQUEST,
    ONLY_APPROVERS_APPROVE,
    ONLY_APPROVERS_DENY,
    OWN_REQUEST,
    OWN_ACCESS,
    /** status */
    ALREADY_DECIDED,
    /** status, approver */
    ALREADY_DECIDED_BY,
    /** (an approver clicked Approve again on a request that waits for another approver) */
    ALREADY_APPROVED_BY_YOU,
    /** done, needed: one approval of several recorded */
    APPROVAL_RECORDED,
    /** code: a rule's Slack user group could not be read in time, so the click decided nothing */
    APPROVERS_NOT_KNOWN_YET,
    CHANGED_TRY_AGAIN,

    // --- grants ---
    /** (no group or no length given) */
    GRANT_WHAT_MISSING,
    /** (no approval rule for grants names a group) */
    NO_GROUP_GRANTABLE,
    /** group, grantable */
    GROUP_NOT_GRANTABLE,
    /** group, max */
    GRANT_TOO_LONG,
    /** user, group: a grant would take away at its end a membership it never gave */
    ALREADY_IN_GROUP,
    /** id */
    NOT_A_GRANT,
    ONLY_PERSON_OR_APPROVER_ENDS,
    /** (approved, the user is being added right now) */
    GRANT_STARTING,
    /** status */
    GRANT_ALREADY_ENDED,
    /** user, group: the end is recorded and runs now */
    GRANT_ENDING_NOW,
    /** until: why a grant ended (its ending) */
    GRANT_ENDED,
    /** by */
    GRANT_ENDED_EARLY,
    /** group: the user was no longer in the group at the end */
    GRANT_LEFT_EARLIER,
    /** user: the IAM user no longer exists at the end */
    GRANT_USER_GONE,
    /** kind, user */
    APPROVED,
    DENIED,
    /** id */
    CANCELLED,
    ONLY_REQUESTER_CANCELS,
    /** status */
    TOO_LATE_TO_CANCEL,

    // --- the person's part ---
    /** person */
    ONLY_PERSON_CAN_FINISH,
    /** person */
    ONLY_PERSON_SEES_PASSWORD,
    /** user */
    MFA_ALREADY_ENABLED,
    /** the button or form belongs to a request that is closed or was replaced */
    OUT_OF_DATE,
    NO_SETUP_WAITING,
    CODES_MALFORMED,
    CODES_SAME,
    CODES_REJECTED,
    /** code */
    MFA_UNAVAILABLE,
    /** user, url */
    MFA_ENABLED,
    /** user, url */
    PASSWORD_SHOWN,
    /** code */
    PASSWORD_UNAVAILABLE,
    /** seconds */
    PASSWORD_RATE_LIMITED,

    // --- status ---
    STATUS,
    STATUS_NOT_ALLOWED,

    // --- the account's IAM users (users, App Home, suggested links, MFA coverage) ---
    /** the list of the account's IAM users */
    USERS,
    USERS_NOT_ALLOWED,
    /** user, person: the suggestion no longer holds (linked meanwhile, its e-mail changed, the person left) */
    SUGGESTION_OUT_OF_DATE,
    /** user */
    MFA_ALREADY_ON,
    /** user: the IAM user of the name is not the one the request was checked for (deleted and made again) */
    USER_REPLACED,

    // --- why a request ended (stored on the request) ---
    /** action, code */
    IAM_ACCESS_DENIED,
    /** action, code */
    IAM_LIMIT_REACHED,
    /** action, code */
    IAM_UNAVAILABLE,
    /** action, code */
    IAM_FAILED,
    /** serial */
    DEVICE_NOT_OURS,
    /** person, code */
    PERSON_UNREACHABLE,
    /** what */
    UNEXPECTED,
    /** duration */
    NOT_APPROVED_IN_TIME,
    /** duration */
    NOT_FINISHED_IN_TIME,
    /** id, kind */
    SUPERSEDED,
    /** by */
    CANCELLED_BY,
    /** person */
    PERSON_LEFT
}
