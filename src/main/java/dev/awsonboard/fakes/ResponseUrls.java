package dev.awsonboard.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The budget of each response_url: "use the response_url up to 5 times within 30 minutes" of the
 * interaction (docs.slack.dev/interactivity/handling-user-interaction#message_responses). Counted from
 * the moment the fake hands the URL out, i.e. when the payload carrying it is built.
 * Not thread-safe: {@link FakeSlack} calls it under its lock.
 */
final class ResponseUrls {
    static final int MAX_USES = 5;
    static final Duration VALIDITY = Duration.ofMinutes(30);

    private final Map<String, Instant> issued = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();

    /** Starts the 30 minutes of {@code id}; handing the same URL out again does not restart them. */
    void issue(String id, Instant now) {
        issued.putIfAbsent(id, now);
    }

    /** Spends one use of {@code id} at {@code now}; false (and nothing spent) once the budget is gone. */
    boolean use(String id, Instant now) {
        Instant at = issued.get(id);
        if (at == null || now.isAfter(at.plus(VALIDITY))) return false;
        int used = uses.getOrDefault(id, 0);
        if (used >= MAX_USES) return false;
        uses.put(id, used + 1);
        return true;
    }
}
