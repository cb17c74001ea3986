package dev.awsonboard.slack.language;

/** Makes text safe to echo into mrkdwn: no <!channel>, links or mentions can be smuggled in. */
public final class SlackText {
    private SlackText() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Cuts text to {@code max} characters so Block Kit limits are never hit. */
    public static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** Drops leading {@code :emoji:} codes, for plain-text fallbacks (notifications) of mrkdwn lines. */
    public static String stripMrkdwnEmoji(String text) {
        return text == null ? "" : text.replaceFirst("^(:[a-z0-9_+-]+:\\s*)+", "");
    }

    public static String mention(String userId) {
        return "<@" + userId + ">";
    }
}
