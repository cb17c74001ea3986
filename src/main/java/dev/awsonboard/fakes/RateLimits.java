package dev.awsonboard.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Slack's per-method rate-limit tiers, per minute (docs.slack.dev/apis/web-api/rate-limits: Tier 1 1+,
 * Tier 2 20+, Tier 3 50+, Tier 4 100+ per minute), with each method's tier from its docs page
 * (slack-ruby/slack-api-ref docs.slack.dev/methods/*.json, {@code rate_limits}). chat.postMessage is
 * "special": about one message per second per channel with short bursts allowed, modelled here as 60 per
 * channel per minute. The lower bound of each tier is used, so a bot that passes here passes on Slack.
 * Not thread-safe: {@link FakeSlack} calls it under its lock.
 */
final class RateLimits {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Map<String, Integer> PER_MINUTE = Map.ofEntries(
            Map.entry("auth.test", 100), // "special", treated as Tier 4
            Map.entry("apps.connections.open", 50),
            Map.entry("conversations.open", 50),
            Map.entry("conversations.info", 50),
            Map.entry("conversations.members", 100),
            Map.entry("conversations.join", 50),
            Map.entry("chat.update", 50),
            Map.entry("chat.delete", 50),
            Map.entry("chat.postEphemeral", 100),
            Map.entry("chat.getPermalink", 100), // "special", treated as Tier 4
            Map.entry("views.open", 100),
            Map.entry("views.push", 100),
            Map.entry("views.update", 100),
            Map.entry("views.publish", 100),
            Map.entry("users.info", 100),
            Map.entry("files.getUploadURLExternal", 100),
            Map.entry("files.completeUploadExternal", 100),
            Map.entry("files.info", 100),
            Map.entry("files.delete", 50),
            Map.entry("usergroups.users.list", 20));
    private static final int POST_MESSAGE_PER_CHANNEL = 60;

    private final Map<String, Deque<Instant>> calls = new HashMap<>();

    /**
     * Counts a call of {@code method} (chat.postMessage: to {@code channel}) at {@code now}: empty if it is
     * within its tier, else the seconds Slack would put into Retry-After. A refused call is not counted.
     */
    OptionalLong admit(String method, String channel, Instant now) {
        boolean perChannel = method.equals("chat.postMessage");
        int limit = perChannel ? POST_MESSAGE_PER_CHANNEL : PER_MINUTE.getOrDefault(method, 20);
        Deque<Instant> window = calls.computeIfAbsent(perChannel ? method + "#" + channel : method, k -> new ArrayDeque<>());
        while (!window.isEmpty() && !window.peekFirst().plus(WINDOW).isAfter(now)) window.pollFirst();
        if (window.size() >= limit) {
            long millis = Duration.between(now, window.peekFirst().plus(WINDOW)).toMillis();
            return OptionalLong.of(Math.max(1, (millis + 999) / 1000));
        }
        window.addLast(now);
        return OptionalLong.empty();
    }
}
