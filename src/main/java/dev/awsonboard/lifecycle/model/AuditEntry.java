package dev.awsonboard.lifecycle.model;

import dev.awsonboard.config.Secret;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One line of the trail: a decision, a check or an IAM call. Every text field is redacted as the
 * entry is made, wherever it is made: a secret still in use ({@link Secret#maskAll}), anything
 * shaped like a Slack token, and any long Base32 run (the shape of a TOTP seed) become a mask,
 * so no code path can store or post a secret by mistake.
 *
 * @param actor   Slack user id, or "bot" for the bot's own IAM calls
 * @param action  e.g. "request", "approve", "iam:CreateUser"
 * @param outcome "ok" or an error code
 */
public record AuditEntry(String requestId, Instant at, String actor, String action, String detail, String outcome) {
    private static final Pattern SLACK_TOKEN = Pattern.compile("xox[abposr]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}");
    private static final Pattern BASE32_RUN = Pattern.compile("(?<![A-Za-z0-9])[A-Z2-7]{32,}(?![A-Za-z0-9])");

    public AuditEntry {
        requestId = redact(requestId);
        actor = redact(actor);
        action = redact(action);
        detail = redact(detail);
        outcome = redact(outcome);
    }

    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String masked = Secret.maskAll(text);
        masked = SLACK_TOKEN.matcher(masked).replaceAll(Secret.MASK);
        return BASE32_RUN.matcher(masked).replaceAll(Secret.MASK);
    }
}
