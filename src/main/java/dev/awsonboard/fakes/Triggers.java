package dev.awsonboard.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trigger_ids Slack puts into interaction payloads: each may open one view (views.open or
 * views.push), within 3 seconds of the interaction. Errors as views.open documents them
 * (docs.slack.dev/reference/methods/views.open): {@code invalid_trigger_id} (not one Slack issued),
 * {@code exchanged_trigger_id} ("already exchanged in a previous call"), {@code expired_trigger_id}.
 * The 3 seconds: docs.slack.dev/interactivity/handling-user-interaction ("trigger_id ... expires in 3 seconds").
 * Not thread-safe: {@link FakeSlack} calls it under its lock.
 */
final class Triggers {
    static final Duration VALIDITY = Duration.ofSeconds(3);

    private final Map<String, Instant> issued = new HashMap<>();
    private final Set<String> exchanged = new HashSet<>();
    private long counter;

    /** A fresh trigger_id shaped like Slack's ("12345.98765.abcd2358fdea"), valid from {@code now}. */
    String issue(Instant now) {
        long n = ++counter;
        String id = now.getEpochSecond() + "." + (1000 + n) + "." + String.format("%012x", n * 0x9e3779b9L & 0xffffffffffffL);
        issued.put(id, now);
        return id;
    }

    /** Uses up {@code id} at {@code now}: empty if it may open a view, else Slack's error code. */
    Optional<String> exchange(String id, Instant now) {
        Instant at = issued.get(id);
        if (at == null) return Optional.of("invalid_trigger_id");
        if (exchanged.contains(id)) return Optional.of("exchanged_trigger_id");
        if (now.isAfter(at.plus(VALIDITY))) return Optional.of("expired_trigger_id");
        exchanged.add(id);
        return Optional.empty();
    }
}
