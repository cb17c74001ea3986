package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.DepartureCheck;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the bot does on its own schedule, across replicas and restarts: the departure check (a person
 * deactivated in Slack whose event never came gets one offboarding request) and the weekly MFA summary
 * (one post per week in the approval channel).
 */
class PeriodicChecksTest {
    @TempDir
    Path dir;
    TestBot t;
    Bot replica;

    @AfterEach
    void stop() {
        if (replica != null) {
            replica.close();
        }
        if (t != null) {
            t.close();
        }
    }

    private List<Request> offboardingsOfSampleUser() {
        return t.bot.store().findByIamUserName("sampleUser").stream().filter(r -> r.kind() == Kind.OFFBOARD).toList();
    }

    /** Both bots run the check at the same moment, as two replicas' schedules can. */
    private List<DepartureCheck.Report> checkOnBothReplicas() {
        CompletableFuture<DepartureCheck.Report> one = CompletableFuture.supplyAsync(t.bot::checkDeparturesNow);
        CompletableFuture<DepartureCheck.Report> two = CompletableFuture.supplyAsync(replica::checkDeparturesNow);
        return List.of(one.join(), two.join());
    }

    @Test
    void aPersonDeactivatedWhileSlackSentNoEventGetsOneOffboardingAcrossTwoReplicasAndARestart() {
        t = TestBot.start(dir);
        t.onboardAlice();
        replica = t.replica();
        t.slack.deactivateUser(ALICE); // and the user_change event is lost, as in Slack's February 2025 outage

        List<DepartureCheck.Report> first = checkOnBothReplicas();

        assertThat(first.stream().mapToInt(DepartureCheck.Report::filed).sum()).isEqualTo(1);
        assertThat(offboardingsOfSampleUser()).singleElement().satisfies(r -> {
            assertThat(r.requesterUserId()).isEqualTo(FakeSlack.BOT_USER_ID);
            assertThat(r.reason()).contains(ALICE, "found deactivated by the bot's regular check");
        });
        String id = offboardingsOfSampleUser().get(0).id();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !t.request(id).approvalMessages().isEmpty());
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("Offboarding request");

        // An approver says no: it stays no, whatever looks again.
        t.deny(APPROVER, id);
        t.awaitStatus(id, Status.DENIED);
        List<DepartureCheck.Report> again = checkOnBothReplicas();
        t.restart();
        DepartureCheck.Report afterRestart = t.bot.checkDeparturesNow();
        t.send.userChange(ALICE, "Alice", true); // the event, late

        assertThat(again).as("alice is not even asked about again: everything of hers was filed")
                .allSatisfy(r -> assertThat(r).isEqualTo(new DepartureCheck.Report(0, 0, 0)));
        assertThat(afterRestart).isEqualTo(new DepartureCheck.Report(0, 0, 0));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300))
                .until(() -> offboardingsOfSampleUser().size() == 1);
    }

    @Test
    void activePeopleAreLookedAtAndNothingIsFiled() {
        t = TestBot.start(dir);
        t.onboardAlice();

        DepartureCheck.Report report = t.bot.checkDeparturesNow();

        assertThat(report).isEqualTo(new DepartureCheck.Report(1, 0, 0));
        assertThat(offboardingsOfSampleUser()).isEmpty();
    }

    @Test
    void theWeeklyMfaSummaryIsPostedOncePerWeekAcrossTwoReplicasAndARestart() throws Exception {
        Path yaml = java.nio.file.Files.writeString(dir.resolve("summary.yml"), "groups: [developers]\nmfaSummary: monday\n");
        t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", yaml.toString()));
        t.onboardAlice();
        ZonedDateTime now = t.clock.instant().atZone(ZoneOffset.UTC);
        ZonedDateTime monday = now.with(TemporalAdjusters.next(DayOfWeek.MONDAY)).with(LocalTime.of(10, 0));
        t.clock.advance(Duration.between(now, monday));
        replica = t.replica();

        boolean one = t.bot.sendMfaSummaryNow();
        boolean two = replica.sendMfaSummaryNow();
        t.restart();
        boolean three = t.bot.sendMfaSummaryNow();

        assertThat(List.of(one, two, three)).containsOnlyOnce(true);
        List<FakeSlack.Message> summaries = t.slack.messages(APPROVAL_CHANNEL).stream()
                .filter(m -> m.text().startsWith("Weekly MFA coverage")).toList();
        assertThat(summaries).singleElement().satisfies(m -> assertThat(m.blocks().toString())
                .contains("*1* IAM users under `/`", "Every IAM user with a console password has MFA"));

        t.clock.advance(Duration.ofDays(7));
        assertThat(t.bot.sendMfaSummaryNow()).as("next week's").isTrue();
    }

    @Test
    void withoutTheSettingNoSummaryIsEverPosted() {
        t = TestBot.start(dir);
        t.clock.advance(Duration.ofDays(8));

        assertThat(t.bot.sendMfaSummaryNow()).isFalse();
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isEmpty();
    }
}
