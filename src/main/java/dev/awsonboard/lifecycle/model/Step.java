package dev.awsonboard.lifecycle.model;

/**
 * The last step of a request that finished. Recorded before the next step starts, so a restart
 * resumes after it. Each {@link Procedure} runs its own steps in its own order; the names are
 * shared so that one column holds them.
 */
public enum Step {
    NONE,
    // onboarding (USER_REQUESTED: CreateUser may have been carried out, though no answer was recorded)
    USER_REQUESTED, USER_CREATED, GROUPS_ADDED, PASSWORD_CHANGE_ALLOWED, LOGIN_PROFILE_CREATED,
    // a new MFA device and its QR (onboarding and MFA reset)
    OLD_DEVICES_REMOVED, DEVICE_REQUESTED, MFA_DEVICE_CREATED, SETUP_SENT, MFA_ENABLED,
    // password reset
    PASSWORD_INVITE_SENT, PASSWORD_SHOWN,
    // offboarding, in the order IAM demands before DeleteUser
    LOGIN_PROFILE_REMOVED, ACCESS_KEYS_REMOVED, SIGNING_CERTIFICATES_REMOVED, SSH_KEYS_REMOVED,
    SERVICE_CREDENTIALS_REMOVED, MFA_DEVICES_REMOVED, INLINE_POLICIES_REMOVED, MANAGED_POLICIES_DETACHED,
    GROUPS_LEFT, USER_DELETED,
    // link and unlink
    OWNER_TAGGED, LINK_RECORDED, OWNER_UNTAGGED, LINK_REMOVED,
    // a grant: in the group; its end recorded before the removal; removed (or found gone)
    GROUP_GRANTED, GRANT_ENDING, GRANT_ENDED
}
