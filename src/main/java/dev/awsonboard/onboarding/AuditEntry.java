package dev.awsonboard.onboarding;

import java.time.Instant;

/**
 * One line of the trail: a decision or an IAM call. {@code detail} is already redacted:
 * it never holds a password, seed or token.
 *
 * @param actor   Slack user id, or "bot" for the bot's own IAM calls
 * @param action  e.g. "request", "approve", "iam:CreateUser"
 * @param outcome "ok" or an error code
 */
public record AuditEntry(String requestId, Instant at, String actor, String action, String detail, String outcome) {
}
