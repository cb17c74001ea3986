package dev.awsonboard.slack.language;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LanguageChoices} remembered for a short while. Every acknowledgement speaks the person's
 * language, and reading their choice was one of its few database reads (a round trip on PostgreSQL,
 * 7% of an acknowledgement's CPU on SQLite). A choice made through this replica is seen at once; one
 * made on another replica within {@link #TTL}. A read that failed is not remembered. Bounded: the
 * people seen least recently are forgotten first.
 */
public final class RememberedLanguageChoices implements LanguageChoices {
    /** How long a choice read from the store is believed. */
    public static final Duration TTL = Duration.ofSeconds(30);
    /** People remembered at most; about 100 bytes each. */
    static final int MAX_PEOPLE = 10_000;

    private record Known(Optional<Locale> language, Instant until) {
    }

    private final LanguageChoices stored;
    private final Clock clock;
    private final Map<String, Known> known = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
            return size() > MAX_PEOPLE;
        }
    };
    /** Counts choices made here: a read that began before one may not overwrite it with what it read. */
    private long choicesMade;

    public RememberedLanguageChoices(LanguageChoices stored, Clock clock) {
        this.stored = stored;
        this.clock = clock;
    }

    @Override
    public Optional<Locale> chosen(String slackUserId) {
        long before;
        synchronized (this) {
            Known k = known.get(slackUserId);
            if (k != null && clock.instant().isBefore(k.until())) {
                return k.language();
            }
            before = choicesMade;
        }
        Optional<Locale> read = stored.chosen(slackUserId); // outside the lock: a slow read holds up no one else
        synchronized (this) {
            if (choicesMade == before) {
                known.put(slackUserId, new Known(read, clock.instant().plus(TTL)));
            }
        }
        return read;
    }

    @Override
    public void choose(String slackUserId, Optional<Locale> language) {
        stored.choose(slackUserId, language);
        synchronized (this) {
            choicesMade++;
            known.put(slackUserId, new Known(language, clock.instant().plus(TTL)));
        }
    }
}
