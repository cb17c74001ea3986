package dev.awsonboard.slack.language;

import dev.awsonboard.fakes.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RememberedLanguageChoicesTest {
    private static final String ALICE = "UALICE";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T09:00:00Z"));
    private final Stored stored = new Stored();
    private final RememberedLanguageChoices choices = new RememberedLanguageChoices(stored, clock);

    /** The database, shared by replicas; counts its reads. */
    private static class Stored implements LanguageChoices {
        final Map<String, Locale> rows = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<Locale> chosen(String slackUserId) {
            reads.incrementAndGet();
            return Optional.ofNullable(rows.get(slackUserId));
        }

        @Override
        public void choose(String slackUserId, Optional<Locale> language) {
            language.ifPresentOrElse(l -> rows.put(slackUserId, l), () -> rows.remove(slackUserId));
        }
    }

    @Test
    void aPersonsChoiceIsReadOnceWhileItIsBelieved() {
        stored.rows.put(ALICE, Locale.JAPANESE);
        for (int i = 0; i < 5; i++) {
            assertThat(choices.chosen(ALICE)).contains(Locale.JAPANESE);
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(stored.reads).hasValue(1);
    }

    @Test
    void noChoiceIsRememberedToo() {
        assertThat(choices.chosen(ALICE)).isEmpty();
        assertThat(choices.chosen(ALICE)).isEmpty();
        assertThat(stored.reads).hasValue(1);
    }

    @Test
    void aChoiceMadeOnAnotherReplicaIsSeenOnceTheRememberedOneIsOld() {
        assertThat(choices.chosen(ALICE)).isEmpty();
        stored.rows.put(ALICE, Locale.JAPANESE); // through another replica
        assertThat(choices.chosen(ALICE)).as("still believed").isEmpty();
        clock.advance(RememberedLanguageChoices.TTL);
        assertThat(choices.chosen(ALICE)).contains(Locale.JAPANESE);
    }

    @Test
    void aChoiceMadeHereIsSeenAtOnceWithoutAReadAndIsStored() {
        assertThat(choices.chosen(ALICE)).isEmpty();
        choices.choose(ALICE, Optional.of(Locale.JAPANESE));
        assertThat(choices.chosen(ALICE)).contains(Locale.JAPANESE);
        assertThat(stored.reads).hasValue(1);
        assertThat(stored.rows).containsEntry(ALICE, Locale.JAPANESE);
        choices.choose(ALICE, Optional.empty());
        assertThat(choices.chosen(ALICE)).isEmpty();
        assertThat(stored.rows).doesNotContainKey(ALICE);
    }

    @Test
    void aFailedReadIsNotRemembered() {
        AtomicInteger failures = new AtomicInteger(1);
        RememberedLanguageChoices flaky = new RememberedLanguageChoices(new Stored() {
            @Override
            public Optional<Locale> chosen(String slackUserId) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("database unreachable");
                }
                return Optional.of(Locale.JAPANESE);
            }
        }, clock);
        assertThatThrownBy(() -> flaky.chosen(ALICE)).hasMessageContaining("unreachable");
        assertThat(flaky.chosen(ALICE)).contains(Locale.JAPANESE);
    }

    @Test
    void aReadThatStartedBeforeAChoiceDoesNotBringTheOldLanguageBack() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RememberedLanguageChoices slow = new RememberedLanguageChoices(new Stored() {
            @Override
            public Optional<Locale> chosen(String slackUserId) {
                reads.incrementAndGet();
                reading.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty(); // what the row said when the read began
            }
        }, clock);
        CompletableFuture<Optional<Locale>> early = CompletableFuture.supplyAsync(() -> slow.chosen(ALICE));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        slow.choose(ALICE, Optional.of(Locale.JAPANESE));
        release.countDown();
        assertThat(early.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(slow.chosen(ALICE)).contains(Locale.JAPANESE);
    }

    @Test
    void thePeopleSeenLeastRecentlyAreForgottenFirst() {
        for (int i = 0; i <= RememberedLanguageChoices.MAX_PEOPLE; i++) {
            choices.chosen("U" + i);
        }
        int reads = stored.reads.get();
        choices.chosen("U" + RememberedLanguageChoices.MAX_PEOPLE); // the newest: still remembered
        assertThat(stored.reads).hasValue(reads);
        choices.chosen("U0"); // the oldest: forgotten
        assertThat(stored.reads).hasValue(reads + 1);
    }
}
