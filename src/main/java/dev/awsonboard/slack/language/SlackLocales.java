package dev.awsonboard.slack.language;

import dev.awsonboard.lifecycle.port.People;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * People's Slack locales ({@code users.info} with {@code include_locale}), asked once per person
 * and kept for a while, so a burst of messages to one person asks Slack once. Concurrent readers
 * of the same person share one lookup; a failed lookup is kept briefly too, so Slack trouble costs
 * one call per person a minute rather than one per message. A stale locale is still served while
 * a fresh one is fetched. Bounded: the people seen least recently are forgotten first.
 */
final class SlackLocales {
    private static final Logger log = LoggerFactory.getLogger(SlackLocales.class);

    /** What Slack said of a person's locale (empty: unknown) and until when it is believed. */
    private record Known(Optional<String> locale, Instant until) {
    }

    /** One person: the last answer, and the lookup under way if there is one. Guarded by the cache's lock. */
    private static final class Slot {
        Known known;
        CompletableFuture<Known> lookup;
    }

    private final People people;
    private final Clock clock;
    private final Duration ttl;
    private final Duration failureTtl;
    private final Duration maxWait;
    private final Executor background;
    private final Map<String, Slot> slots;

    /**
     * @param ttl        how long an answer is believed
     * @param failureTtl how long a failed lookup keeps the next one from being tried
     * @param maxWait    how long a reader waits for a lookup another reader started
     * @param maxPeople  how many people are remembered at most
     * @param background where lookups run that nobody waits for
     */
    SlackLocales(People people, Clock clock, Duration ttl, Duration failureTtl, Duration maxWait, int maxPeople,
                 Executor background) {
        this.people = people;
        this.clock = clock;
        this.ttl = ttl;
        this.failureTtl = failureTtl;
        this.maxWait = maxWait;
        this.background = background;
        this.slots = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > maxPeople;
            }
        };
    }

    /** What is known without asking Slack; a missing or stale answer is fetched in the background. */
    Optional<String> peek(String userId) {
        CompletableFuture<Known> started;
        Optional<String> known;
        synchronized (this) {
            Slot slot = slot(userId);
            known = slot.known == null ? Optional.empty() : slot.known.locale();
            if (fresh(slot) || slot.lookup != null) {
                return known;
            }
            started = slot.lookup = new CompletableFuture<>();
        }
        inBackground(userId, started);
        return known;
    }

    /** The person's locale; asks Slack in this thread when nothing fresh is known and nobody else is asking. */
    Optional<String> get(String userId) {
        return await(userId, maxWait, true);
    }

    /** The person's locale, waiting for Slack at most {@code wait}; past that, what was known before. */
    Optional<String> within(String userId, Duration wait) {
        return await(userId, wait, false);
    }

    /** A locale Slack reported on another occasion (the checks of a request ask users.info anyway). */
    void remember(String userId, String locale) {
        synchronized (this) {
            slot(userId).known = new Known(nonBlank(locale), clock.instant().plus(ttl));
        }
    }

    private Optional<String> await(String userId, Duration wait, boolean inline) {
        CompletableFuture<Known> lookup;
        Optional<String> stale;
        boolean mine = false;
        synchronized (this) {
            Slot slot = slot(userId);
            if (fresh(slot)) {
                return slot.known.locale();
            }
            stale = slot.known == null ? Optional.empty() : slot.known.locale();
            if (slot.lookup == null) {
                slot.lookup = new CompletableFuture<>();
                mine = true;
            }
            lookup = slot.lookup;
        }
        if (mine && inline) {
            lookUp(userId, lookup);
        } else if (mine) {
            inBackground(userId, lookup);
        }
        try {
            return lookup.get(wait.toMillis(), TimeUnit.MILLISECONDS).locale();
        } catch (TimeoutException | ExecutionException e) {
            return stale;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stale;
        }
    }

    private void inBackground(String userId, CompletableFuture<Known> lookup) {
        try {
            background.execute(() -> lookUp(userId, lookup));
        } catch (RejectedExecutionException e) {
            // shutting down: whoever waits settles for what was known
            finish(userId, lookup, null);
        }
    }

    private void lookUp(String userId, CompletableFuture<Known> lookup) {
        Known answer = null;
        try {
            Optional<People.Person> person = people.find(userId);
            answer = new Known(person.map(People.Person::locale).flatMap(SlackLocales::nonBlank), clock.instant().plus(ttl));
        } catch (RuntimeException e) {
            // The message goes out in the language known before, or the default; it never fails for this.
            log.info("could not look up the Slack locale of {}: {}", userId, e.getMessage());
        } finally {
            finish(userId, lookup, answer);
        }
    }

    /** Records the answer (null: the lookup failed) and wakes whoever waits for it. */
    private void finish(String userId, CompletableFuture<Known> lookup, Known answer) {
        Known recorded;
        synchronized (this) {
            Slot slot = slot(userId);
            if (answer == null) {
                Optional<String> before = slot.known == null ? Optional.empty() : slot.known.locale();
                answer = new Known(before, clock.instant().plus(failureTtl));
            }
            slot.known = answer;
            if (slot.lookup == lookup) {
                slot.lookup = null;
            }
            recorded = answer;
        }
        lookup.complete(recorded);
    }

    private Slot slot(String userId) {
        return slots.computeIfAbsent(userId, id -> new Slot());
    }

    private boolean fresh(Slot slot) {
        return slot.known != null && clock.instant().isBefore(slot.known.until());
    }

    private static Optional<String> nonBlank(String locale) {
        return locale == null || locale.isBlank() ? Optional.empty() : Optional.of(locale);
    }
}
