package dev.awsonboard.slack.language;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.ManualClock;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.slack.webapi.SlackPeople;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Who reads which language, and how often Slack is asked, against the Slack fake over HTTP. */
class PersonLanguagesTest {
    private static final String ALICE = "UALICE0001";
    private static final String BOB = "UBOB000001";
    private static final String CAROL = "UCAROL0001";
    private static final Texts EN = Texts.english();
    private static final Texts JA = Texts.of(Texts.JAPANESE);

    FakeSlack slack;
    MethodsClient methods;
    People people;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-24T10:00:00Z"));
    final ExecutorService background = Executors.newFixedThreadPool(2);
    final Choices choices = new Choices();

    /** Choices in memory; {@code broken} makes reading them fail, as a database that is down does. */
    static final class Choices implements LanguageChoices {
        final Map<String, Locale> kept = new ConcurrentHashMap<>();
        volatile boolean broken;

        @Override
        public Optional<Locale> chosen(String slackUserId) {
            if (broken) {
                throw new IllegalStateException("database down");
            }
            return Optional.ofNullable(kept.get(slackUserId));
        }

        @Override
        public void choose(String slackUserId, Optional<Locale> language) {
            language.ifPresentOrElse(l -> kept.put(slackUserId, l), () -> kept.remove(slackUserId));
        }
    }

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        slack.addUser(ALICE, "alice").addUser(BOB, "bob").addUser(CAROL, "carol");
        slack.setLocale(ALICE, "ja-JP").setLocale(BOB, "en-US").setLocale(CAROL, "fr-FR");
        methods = SlackClients.slack(slack.apiUrl()).methods(slack.botToken());
        people = SlackPeople.over(methods, millis -> { }, (method, error) -> { });
    }

    @AfterEach
    void stop() {
        background.shutdownNow();
        slack.close();
    }

    private PersonLanguages languages(Texts fallback, People who) {
        return new PersonLanguages(fallback, choices, who, clock, background);
    }

    private PersonLanguages languages(Texts fallback) {
        return languages(fallback, people);
    }

    private long lookupsOf(String userId) {
        return slack.calls("users.info").stream().filter(c -> userId.equals(c.params().path("user").asText())).count();
    }

    /** users.info waits at this gate until the test opens it: a Slack that is slow to answer. */
    private People gated(CountDownLatch open, CountDownLatch entered) {
        return userId -> {
            entered.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return people.find(userId);
        };
    }

    @Test
    void channelsReadTheConfiguredDefaultLanguage() {
        assertThat(languages(EN).forChannel()).isSameAs(EN);
        assertThat(languages(JA).forChannel()).isSameAs(JA);
        assertThat(slack.callCount("users.info")).isZero();
    }

    @Test
    void aPersonReadsTheLanguageOfTheirSlackLocale() {
        assertThat(languages(EN).forUser(ALICE)).isSameAs(JA);
        assertThat(languages(JA).forUser(BOB)).isSameAs(EN);
        assertThat(slack.lastCall("users.info").orElseThrow().params().path("include_locale").asText()).isIn("true", "1");
    }

    @Test
    void aSlackLocaleTheBotDoesNotSpeakReadsTheDefault() {
        assertThat(languages(JA).forUser(CAROL)).isSameAs(JA);
        assertThat(languages(EN).forUser(CAROL)).isSameAs(EN);
    }

    @Test
    void somebodySlackDoesNotKnowAndNobodyAtAllReadTheDefault() {
        PersonLanguages l = languages(JA);
        assertThat(l.forUser("UNOBODY01")).isSameAs(JA);
        assertThat(l.forUser(null)).isSameAs(JA);
        assertThat(l.forUserAtOnce(null)).isSameAs(JA);
    }

    @Test
    void aPersonsOwnChoiceBeatsTheirSlackLocaleUntilTheyForgetIt() {
        PersonLanguages l = languages(EN);
        l.choose(ALICE, Optional.of(Texts.ENGLISH));
        assertThat(l.chosen(ALICE)).contains(Locale.ENGLISH);
        assertThat(l.forUser(ALICE)).isSameAs(EN);
        assertThat(l.forUserAtOnce(ALICE)).isSameAs(EN);

        l.choose(ALICE, Optional.empty());
        assertThat(l.chosen(ALICE)).isEmpty();
        assertThat(l.forUser(ALICE)).isSameAs(JA);
    }

    @Test
    void choosingALanguageTheBotDoesNotSpeakIsRefused() {
        assertThatThrownBy(() -> languages(EN).choose(ALICE, Optional.of(Locale.FRENCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fr");
        assertThat(choices.kept).isEmpty();
    }

    @Test
    void aChoiceThatCannotBeReadFallsBackToTheSlackLocale() {
        choices.kept.put(ALICE, Locale.ENGLISH);
        choices.broken = true;
        assertThat(languages(EN).forUser(ALICE)).isSameAs(JA);
    }

    @Test
    void aBurstOfMessagesToOnePersonAsksSlackForTheirLocaleOnce() throws InterruptedException {
        CountDownLatch open = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        PersonLanguages l = languages(EN, gated(open, entered));
        List<Thread> senders = new ArrayList<>();
        List<AtomicReference<Texts>> read = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            AtomicReference<Texts> got = new AtomicReference<>();
            read.add(got);
            Thread sender = new Thread(() -> got.set(l.forUser(ALICE)));
            senders.add(sender);
            sender.start();
        }
        // All twenty are inside at once: one in users.info, nineteen waiting for its answer.
        await().atMost(Duration.ofSeconds(10)).until(() -> senders.stream().allMatch(s ->
                s.getState() == Thread.State.WAITING || s.getState() == Thread.State.TIMED_WAITING));
        assertThat(entered.getCount()).isZero();
        open.countDown();
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(read).allSatisfy(got -> assertThat(got.get()).isSameAs(JA));
        assertThat(lookupsOf(ALICE)).isEqualTo(1);
        // And the next messages within the hour ask nobody.
        for (int i = 0; i < 5; i++) {
            assertThat(l.forUser(ALICE)).isSameAs(JA);
            assertThat(l.forUserAtOnce(ALICE)).isSameAs(JA);
        }
        assertThat(lookupsOf(ALICE)).isEqualTo(1);
    }

    @Test
    void theSlackLocaleIsAskedAgainAfterAnHour() {
        PersonLanguages l = languages(EN);
        l.forUser(ALICE);
        clock.advance(Duration.ofMinutes(59));
        l.forUser(ALICE);
        assertThat(lookupsOf(ALICE)).isEqualTo(1);

        slack.setLocale(ALICE, "en-GB");
        clock.advance(Duration.ofMinutes(2));
        assertThat(l.forUser(ALICE)).isSameAs(EN);
        assertThat(lookupsOf(ALICE)).isEqualTo(2);
    }

    @Test
    void aFailedLookupFallsBackToTheDefaultAndIsTriedAgainAMinuteLaterNotPerMessage() {
        PersonLanguages l = languages(EN);
        slack.failNext("users.info", 1, "internal_error");

        assertThat(l.forUser(ALICE)).isSameAs(EN);
        assertThat(l.forUser(ALICE)).isSameAs(EN);
        assertThat(lookupsOf(ALICE)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(61));
        assertThat(l.forUser(ALICE)).isSameAs(JA);
        assertThat(lookupsOf(ALICE)).isEqualTo(2);
    }

    @Test
    void aFailedLookupKeepsTheLocaleKnownBefore() {
        PersonLanguages l = languages(EN);
        assertThat(l.forUser(ALICE)).isSameAs(JA);
        clock.advance(Duration.ofHours(2));
        slack.failNext("users.info", 1, "internal_error");

        assertThat(l.forUser(ALICE)).isSameAs(JA);
        assertThat(lookupsOf(ALICE)).isEqualTo(2);
    }

    @Test
    void anAcknowledgementNeverWaitsForSlackAndTheLookupWarmsTheCacheBehindIt() {
        CountDownLatch open = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        PersonLanguages l = languages(EN, gated(open, entered));

        // Slack holds users.info, yet the answer comes at once, in the default.
        assertThat(l.forUserAtOnce(ALICE)).isSameAs(EN);
        await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
        assertThat(l.forUserAtOnce(ALICE)).isSameAs(EN);

        open.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> l.forUserAtOnce(ALICE) == JA);
        assertThat(lookupsOf(ALICE)).isEqualTo(1);
    }

    @Test
    void anAcknowledgementAfterAnHourStillReadsTheLocaleKnownBeforeWhileItIsAskedAgain() {
        PersonLanguages l = languages(EN);
        l.forUser(ALICE);
        clock.advance(Duration.ofHours(2));

        assertThat(l.forUserAtOnce(ALICE)).isSameAs(JA);
        await().atMost(Duration.ofSeconds(10)).until(() -> lookupsOf(ALICE) == 2);
    }

    @Test
    void aFormAboutToOpenWaitsForSlackOnlyBriefly() {
        CountDownLatch open = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        PersonLanguages l = languages(EN, gated(open, entered));

        assertThat(l.forUserWithin(ALICE, Duration.ofMillis(50))).isSameAs(EN);
        open.countDown();
        assertThat(l.forUserWithin(ALICE, Duration.ofSeconds(10))).isSameAs(JA);
        assertThat(lookupsOf(ALICE)).isEqualTo(1);
    }

    @Test
    void aLocaleSeenWhileCheckingARequestNeedsNoSecondLookup() {
        PersonLanguages l = languages(EN);
        People checked = l.watching(people);

        assertThat(checked.find(ALICE)).map(People.Person::locale).contains("ja-JP");
        assertThat(l.forUser(ALICE)).isSameAs(JA);
        assertThat(l.forUserAtOnce(ALICE)).isSameAs(JA);
        assertThat(lookupsOf(ALICE)).isEqualTo(1);
    }

    @Test
    void theCacheForgetsThePeopleSeenLeastRecentlyFirst() {
        SlackLocales locales = new SlackLocales(people, clock, Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofSeconds(5), 2,
                background);
        locales.get(ALICE);
        locales.get(BOB);
        locales.get(CAROL);
        assertThat(slack.callCount("users.info")).isEqualTo(3);

        assertThat(locales.get(CAROL)).contains("fr-FR");
        assertThat(locales.get(BOB)).contains("en-US");
        assertThat(slack.callCount("users.info")).isEqualTo(3);
        assertThat(locales.get(ALICE)).contains("ja-JP");
        assertThat(lookupsOf(ALICE)).isEqualTo(2);
    }
}
