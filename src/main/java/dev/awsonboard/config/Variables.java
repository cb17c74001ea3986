package dev.awsonboard.config;

import java.util.List;

/**
 * Every environment variable the bot reads, with one line each: what {@code help} prints and what
 * README's table lists (a test holds the two equal).
 */
public final class Variables {
    private Variables() {
    }

    /**
     * @param required "yes", "no", or the condition under which it is needed
     */
    public record Variable(String name, String required, String meaning) {
    }

    public static final List<Variable> ALL = List.of(
            new Variable("SLACK_BOT_TOKEN", "yes", "Bot User OAuth Token (xoxb-...), from OAuth & Permissions"),
            new Variable("SLACK_APP_TOKEN", "Socket Mode", "app-level token (xapp-..., scope connections:write); set: Socket Mode, unset: HTTP mode"),
            new Variable("SLACK_SIGNING_SECRET", "HTTP mode", "Signing Secret, from Basic Information > App Credentials; not needed in Socket Mode"),
            new Variable("ONBOARD_APPROVERS", "yes", "comma-separated Slack user IDs of the approvers (U012ABCDEF,U034GHIJKL)"),
            new Variable("ONBOARD_APPROVAL_CHANNEL", "no", "channel ID where approval requests go; unset: each approver gets a DM"),
            new Variable("ONBOARD_AUDIT_CHANNEL", "no", "channel ID that gets one line per decision and IAM call (redacted)"),
            new Variable("ONBOARD_SIGNIN_URL", "no", "console URL told to people; default from the account alias or id"),
            new Variable("ONBOARD_CONFIG", "no", "path of a YAML file with the rest (groups, IAM path, tags, expiry...)"),
            new Variable("SLACK_API_URL", "no", "Slack Web API base, default https://slack.com/api/"),
            new Variable("PORT", "no", "HTTP port (/healthz, /readyz, /metrics; /slack/events in HTTP mode), default 3000"),
            new Variable("DATABASE_URL", "no", "JDBC URL, default " + ConfigLoader.DEFAULT_DATABASE_URL),
            new Variable("LOG_FORMAT", "no", "json (default, one object per line) or text"),
            new Variable("AWS_ACCESS_KEY_ID", "AWS credentials", "with AWS_SECRET_ACCESS_KEY; or AWS_PROFILE, or an instance/task role (the AWS SDK's default chain)"),
            new Variable("AWS_SECRET_ACCESS_KEY", "AWS credentials", "the secret of AWS_ACCESS_KEY_ID"),
            new Variable("AWS_SESSION_TOKEN", "no", "with temporary credentials (an assumed role, SSO)"),
            new Variable("AWS_PROFILE", "no", "a profile of ~/.aws/config and ~/.aws/credentials instead of keys"),
            new Variable("AWS_REGION", "no", "region of STS, which names the bot's AWS account; default the global endpoint (IAM itself is global)"),
            new Variable("AWS_ENDPOINT_URL_IAM", "no", "send IAM calls elsewhere (a local emulator or a fake)"),
            new Variable("AWS_ENDPOINT_URL_STS", "no", "send STS calls elsewhere"),
            new Variable("AWS_ENDPOINT_URL", "no", "send IAM and STS calls elsewhere, unless the two above are set"));
}
