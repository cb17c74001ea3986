package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Temporary group membership through signed Slack requests: alice asks for {@code admins} for two hours, an approver
 * approves, her IAM user joins the group, and at the end (the clock moved, the sweep run) it leaves it once,
 * whatever restarts, crashes and replicas come in between.
 */
class GrantsEndToEndTest {
    static final String CONFIG = """
            groups: [developers, readonly]
            approvalRules:
              - name: admins
                kinds: [grant]
                groups: [admins]
                approvers: [UAPPROVER1, UAPPROVER2]
                maxDuration: 4h
            reminders:
              quietHours: "20:00-08:00"
              grantEndingBefore: 15m
            """;

    @TempDir
    Path dir;
    TestBot t;

    @BeforeAll
    static void crashesAreNotTestFailures() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void catchThemAgain() {
        Awaitility.catchUncaughtExceptionsByDefault();
    }

    @BeforeEach
    void aliceHasAnIamUser() throws IOException {
        t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", Files.writeString(dir.resolve("grants.yml"), CONFIG).toString()));
        t.iam.createGroup("admins");
        t.onboardAlice();
        awake(ALICE);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    /** Sets the person's Slack time zone so that it is midday there now: outside quiet hours. */
    private void awake(String person) {
        t.slack.setTimeZone(person, offsetFor(12));
    }

    /** A time zone where it is about {@code hour} o'clock at the bot's now. */
    private ZoneOffset offsetFor(int hour) {
        int utcHour = t.clock.instant().atZone(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(hour - utcHour + 12, 24) - 12;
        return ZoneOffset.ofHours(offset);
    }

    /** An AWS admin changes IAM in the console (through the real SDK). */
    private void byHand(java.util.function.Consumer<dev.awsonboard.iam.SdkIamGateway> change) {
        try (var client = dev.awsonboard.iam.IamClients.create(java.util.Optional.of(t.iam.endpoint()), FakeIam.credentials(), 0)) {
            change.accept(new dev.awsonboard.iam.SdkIamGateway(client));
        }
    }

    private boolean inAdmins() {
        return t.iam.user("sampleUser").orElseThrow().groups().stream().anyMatch("admins"::equalsIgnoreCase);
    }

    /** alice asks for admins for herself; an approver approves; the grant runs. */
    private String granted(String length) {
        String id = t.submit(ALICE, "grant admins for " + length + " database migration");
        t.approve(APPROVER, id);
        t.awaitStatus(id, Status.GRANTED);
        return id;
    }

    /** Successful removals from admins IAM answered. */
    private long removals() {
        return t.iam.answered().stream().filter(a -> a.action().equals("RemoveUserFromGroup") && a.ok()
                && "admins".equals(a.names().get("GroupName"))).count();
    }

    @Test
    void grantedAtApprovalAndTakenAwayAtTheEndWithTheClockMoved() {
        String id = granted("2h");

        Request running = t.request(id);
        assertThat(inAdmins()).isTrue();
        assertThat(running.grant().endsAt()).isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofMinutes(121)));
        t.awaitToldPrivately(ALICE, "is in group `admins` until <!date^" + running.grant().endsAt().getEpochSecond());
        await().atMost(Duration.ofSeconds(20)).until(() -> t.approvalMessageOf(id).blocks().toString().contains(":unlock:"));

        t.clock.advance(Duration.ofMinutes(90));
        t.bot.sweepNow();
        assertThat(inAdmins()).isTrue();

        t.clock.advance(Duration.ofMinutes(31));
        t.bot.sweepNow();
        Request ended = t.awaitStatus(id, Status.DONE);
        assertThat(inAdmins()).isFalse();
        assertThat(removals()).isEqualTo(1);
        assertThat(TestBot.why(ended)).contains("it ran until");
        t.awaitToldPrivately(ALICE, "has ended: it ran until");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.approvalMessageOf(id).blocks().toString()
                .contains("is no longer in group `admins`"));
        // The audit trail says who asked, who approved, when the membership began and ended.
        assertThat(t.bot.store().auditTrail(id)).extracting(e -> e.action() + "=" + e.outcome())
                .containsSubsequence("request=ok", "approve=ok", "iam:AddUserToGroup=ok", "grant-ending=ok", "iam:RemoveUserFromGroup=ok",
                        "grant-ended=ok");

        t.clock.advance(Duration.ofHours(1));
        t.bot.sweepNow();
        assertThat(removals()).isEqualTo(1);
    }

    @Test
    void aGroupNoRuleNamesALengthPastTheMaximumAndAGroupAlreadyHeldAreRefused() {
        assertThat(t.command(ALICE, "grant developers for 1h").body()).contains("cannot be granted for a while");
        assertThat(t.command(ALICE, "grant admins for 5h").body()).contains("at most 4 hours");
        assertThat(t.command(ALICE, "grant admins").body()).contains("Say which group and for how long");
        assertThat(t.iam.callCount("AddUserToGroup")).isEqualTo(1); // alice's onboarding into developers

        byHand(iam -> iam.addUserToGroup("sampleUser", "admins"));
        t.command(ALICE, "grant admins for 1h");
        assertThat(t.awaitFollowUp()).contains("is in group `admins` already");
    }

    @Test
    void revokeEndsItEarlyAndOnlyThePersonTheRequesterOrAnApproverMay() {
        String id = granted("2h");

        assertThat(t.command(MALLORY, "revoke " + id).body()).contains("Only the person, the requester or an approver");
        assertThat(inAdmins()).isTrue();

        HttpResponse<String> ack = t.command(ALICE, "revoke " + id);
        assertThat(ack.body()).contains("Ending the grant now");
        Request ended = t.awaitStatus(id, Status.DONE);
        assertThat(inAdmins()).isFalse();
        assertThat(TestBot.why(ended)).contains("ended it early");
        assertThat(removals()).isEqualTo(1);
    }

    @Test
    void endNowInTheDmEndsIt() {
        String id = granted("2h");
        t.awaitToldPrivately(ALICE, "End now");

        t.click(ALICE, "grant_end", id, TestBot.dm(ALICE));
        t.awaitStatus(id, Status.DONE);
        assertThat(inAdmins()).isFalse();
    }

    @Test
    void statusAndAppHomeShowTheGrantAndTheApproversSeeItRunning() {
        String id = granted("2h");
        long until = t.request(id).grant().endsAt().getEpochSecond();

        t.command(ALICE, "status");
        await().atMost(Duration.ofSeconds(20)).until(() -> t.followUps().stream().anyMatch(f -> f.contains("Grant `" + id + "`")));
        assertThat(String.join("\n", t.followUps())).contains("in group `admins` until <!date^" + until);

        String home = t.openHome(ALICE).toString();
        assertThat(home).contains("*admins* until <!date^" + until).contains("grant_end");
        String approvers = t.openHome(APPROVER).toString();
        assertThat(approvers).contains("Grants running now").contains("IAM user `sampleUser` in group `admins`");

        t.homeClick(ALICE, "grant_end", id);
        t.awaitStatus(id, Status.DONE);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.homeText(APPROVER).contains("No grant is running."));
    }

    @Test
    void aMembershipTakenAwayByHandIsNoErrorAtTheEnd() {
        String id = granted("1h");
        byHand(iam -> iam.removeUserFromGroup("sampleUser", "admins"));
        long before = t.iam.callCount("RemoveUserFromGroup");

        t.clock.advance(Duration.ofMinutes(61));
        t.bot.sweepNow();
        Request ended = t.awaitStatus(id, Status.DONE);
        assertThat(TestBot.why(ended)).contains("by hand");
        assertThat(t.iam.callCount("RemoveUserFromGroup")).isEqualTo(before);
    }

    @Test
    void aPersonOffboardedMeanwhileEndsTheGrantQuietly() {
        String id = granted("3h");
        String offboarding = t.submit(APPROVER, "offboard <@" + ALICE + "|alice> left");
        t.approve(TestBot.APPROVER_2, offboarding);
        t.awaitStatus(offboarding, Status.DONE);
        assertThat(t.iam.user("sampleUser")).isEmpty();

        t.clock.advance(Duration.ofHours(3).plusMinutes(1));
        t.bot.sweepNow();
        Request ended = t.awaitStatus(id, Status.DONE);
        assertThat(TestBot.why(ended)).contains("no longer exists");
    }

    @Test
    void aRestartInBetweenStillEndsItOnce() {
        String id = granted("1h");
        t.restart();
        t.clock.advance(Duration.ofMinutes(61));
        t.bot.sweepNow();
        t.awaitStatus(id, Status.DONE);
        assertThat(removals()).isEqualTo(1);
    }

    @Test
    void aCrashAtEachPointOfTheEndStillTakesTheMembershipAwayExactlyOnce() throws Exception {
        List<String> points = List.of("grant ending recorded", "after iam:ListGroupsForUser", "after iam:RemoveUserFromGroup",
                "grant end recorded");
        int recovered = 0;
        for (String point : points) {
            String id = granted("1h");
            long before = removals();
            AtomicBoolean crashed = new AtomicBoolean();
            t.probe = p -> {
                if (p.equals(point) && crashed.compareAndSet(false, true)) {
                    throw new CrashRecoveryTest.SimulatedCrash(p);
                }
            };
            t.restart();
            t.clock.advance(Duration.ofMinutes(61));
            try {
                t.bot.sweepNow();
            } catch (CrashRecoveryTest.SimulatedCrash expected) {
                // the process died here
            }
            await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);

            t.probe = CrashProbe.NONE;
            t.restart();
            t.clock.advance(Duration.ofMinutes(6)); // the dead worker's claim runs out
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                t.bot.sweepNow();
                return t.request(id).status() == Status.DONE;
            });
            assertThat(inAdmins()).as(point).isFalse();
            assertThat(removals() - before).as(point).isEqualTo(1);
            recovered++;
        }
        System.out.printf("grants: a crash at each of %d points of a grant's end (%s) -> %d ended, each membership removed once%n",
                points.size(), String.join(", ", points), recovered);
        assertThat(recovered).isEqualTo(points.size());
    }

    @Test
    void twoReplicasSweepingAtTheEndRemoveTheMembershipOnce() throws Exception {
        String id = granted("1h");
        try (Bot second = t.replica()) {
            t.clock.advance(Duration.ofMinutes(61));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> sweeps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Bot bot = i % 2 == 0 ? t.bot : second;
                sweeps.add(pool.submit(bot::sweepNow));
            }
            for (Future<?> f : sweeps) {
                f.get();
            }
            pool.shutdown();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                t.bot.sweepNow();
                return t.request(id).status() == Status.DONE;
            });
            System.out.printf("grants: 4 sweeps on 2 replicas at a grant's end -> RemoveUserFromGroup answered ok %d time(s)%n", removals());
            assertThat(removals()).isEqualTo(1);
        }
    }

    @Test
    void thePersonIsRemindedShortlyBeforeTheEndButNotInTheirQuietHours() {
        String id = granted("1h");
        t.clock.advance(Duration.ofMinutes(50));
        t.bot.sweepNow();
        t.awaitToldPrivately(ALICE, "Reminder: your access to AWS group `admins`");
        t.bot.sweepNow();
        assertThat(t.slack.messages(TestBot.dm(ALICE)).stream().filter(m -> m.text().contains("Reminder"))).hasSize(1);

        // Another grant, ending in the person's night: no reminder at all.
        t.command(ALICE, "revoke " + id);
        t.awaitStatus(id, Status.DONE);
        String night = granted("4h");
        t.clock.advance(Duration.ofHours(3).plusMinutes(50)); // the time zone the bot knew is an hour old by then
        t.slack.setTimeZone(ALICE, offsetFor(23));
        t.bot.sweepNow();
        assertThat(t.request(night).status()).isEqualTo(Status.GRANTED);
        assertThat(t.bot.store().auditTrail(night)).noneMatch(e -> e.action().equals("remind-person"));
    }

    @Test
    void theApprovalChannelIsToldAsARequestForAGroupIsPut() {
        String id = t.submit(ALICE, "grant admins for 30m on call");
        assertThat(t.approvalMessageOf(id).blocks().toString()).contains("Temporary access request")
                .contains("to group `admins` for 30 minutes");
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).isNotEmpty();
    }
}
