package dev.awsonboard.slack.render;

/** Every callback, action and block id the bot puts into Slack and reads back. */
public final class Ids {
    public static final String COMMAND = "/aws-onboard";

    public static final String APPROVE = "onboard_approve";
    public static final String DENY = "onboard_deny";
    public static final String ENTER_CODES = "onboard_enter_codes";
    public static final String SHOW_PASSWORD = "onboard_show_password";
    /** The one reveal a new user gets after MFA is on, if they never took their password before. */
    public static final String FIRST_PASSWORD = "onboard_first_password";
    public static final String CANCEL = "onboard_cancel";
    /** End now: a running grant ends early (the value names the request). */
    public static final String END_GRANT = "grant_end";
    /** App Home: ask for an MFA reset of one's own IAM user (the value names it). */
    public static final String HOME_RESET_MFA = "home_reset_mfa";
    /** App Home: ask for a new console password of one's own IAM user (the value names it). */
    public static final String HOME_RESET_PASSWORD = "home_reset_password";
    /** App Home: the language select. */
    public static final String HOME_LANGUAGE = "home_language";
    /** The account's IAM users (users, an approver's App Home): ask another approver to link a suggested one ("user|person"). */
    public static final String USERS_LINK = "users_link_suggestion";
    /** The same list: send a linked console user without MFA the MFA setup (the value names the IAM user). */
    public static final String USERS_ENROL_MFA = "users_enrol_mfa";

    public static final String REQUEST_MODAL = "onboard_request_modal";
    public static final String CODES_MODAL = "onboard_codes_modal";
    public static final String PASSWORD_MODAL = "onboard_password_modal";

    public static final String BLOCK_IAM_USER = "iam_user";
    public static final String ACTION_IAM_USER = "iam_user_input";
    public static final String BLOCK_TARGET = "target_user";
    public static final String ACTION_TARGET = "target_user_select";
    public static final String BLOCK_GROUPS = "groups";
    public static final String ACTION_GROUPS = "groups_select";
    public static final String BLOCK_REASON = "reason";
    public static final String ACTION_REASON = "reason_input";
    public static final String BLOCK_CODE_1 = "code_1";
    public static final String ACTION_CODE_1 = "code_1_input";
    public static final String BLOCK_CODE_2 = "code_2";
    public static final String ACTION_CODE_2 = "code_2_input";

    private Ids() {
    }
}
