package dev.awsonboard.onboarding;

/**
 * The last provisioning step that finished. Recorded before the next step starts, so a
 * restart resumes after it. Declaration order is execution order.
 */
public enum Step {
    NONE, USER_CREATED, GROUPS_ADDED, LOGIN_PROFILE_CREATED, MFA_DEVICE_CREATED, SETUP_SENT, MFA_ENABLED;

    public boolean isAtLeast(Step other) {
        return compareTo(other) >= 0;
    }
}
