package dev.awsonboard.e2e;

import dev.awsonboard.config.Secret;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.iam.SdkIamGateway;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.CrashProbe;
import dev.awsonboard.lifecycle.model.Status;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills an offboarding at every point where a crash leaves it half done (after each IAM call,
 * after each recorded removal and step), starts a new bot on the same database, lets the sweeper
 * take over once the dead worker's lease ran out, and checks the user ends deleted with each
 * thing removed exactly once and the summary whole.
 */
class OffboardingCrashRecoveryTest {
    /** Successful calls of these remove something; each item may see one. */
    static final Set<String> REMOVALS = Set.of("DeleteLoginProfile", "DeleteAccessKey", "DeleteSigningCertificate",
            "DeleteSSHPublicKey", "DeleteServiceSpecificCredential", "DeactivateMFADevice", "DeleteVirtualMFADevice",
            "DeleteUserPolicy", "DetachUserPolicy", "RemoveUserFromGroup", "DeleteUser");
    /** One of each holding (two managed policies), plus DeleteVirtualMFADevice after the deactivation, plus DeleteUser. */
    static final int EXPECTED_REMOVALS = 12;
    static final String READ_POLICY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";

    @TempDir
    Path dir;

    // A simulated crash is an uncaught Error on a worker thread, on purpose (see CrashRecoveryTest).
    @BeforeAll
    static void letWorkersDie() {
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void catchThemAgain() {
        // Only undo what this class changed: a reset would also drop the suite's quick polling (TestBot).
        Awaitility.catchUncaughtExceptionsByDefault();
    }

    /** A bot whose probe can be switched while it runs, so one start serves a whole scenario. */
    private static TestBot startWithSwitchableProbe(Path home, AtomicReference<CrashProbe> probe) {
        TestBot t = TestBot.start(home);
        t.probe = point -> probe.get().reached(point);
        t.restart();
        return t;
    }

    @Test
    void offboardingResumedAfterACrashAtEveryStepBoundaryDeletesTheUserAndRemovesEachThingOnce() throws Exception {
        List<String> points = pointsOfOneRun();
        assertThat(points).contains("saved PROVISIONING/NONE", "after iam:GetUser", "after iam:DeleteLoginProfile",
                "saved PROVISIONING/LOGIN_PROFILE_REMOVED", "after iam:DeactivateMFADevice", "after iam:DeleteVirtualMFADevice",
                "after iam:DetachUserPolicy", "after iam:RemoveUserFromGroup", "after iam:DeleteUser",
                "saved PROVISIONING/USER_DELETED", "saved DONE/USER_DELETED");
        List<String> report = new ArrayList<>();
        AtomicReference<CrashProbe> probe = new AtomicReference<>(CrashProbe.NONE);
        // One bot and one account for all points, a user of its own for each: a crash needs only a restart.
        try (TestBot t = startWithSwitchableProbe(Files.createDirectories(dir.resolve("crashes")), probe)) {
            for (int n = 0; n < points.size(); n++) {
                String point = "#" + (n + 1) + " " + points.get(n);
                String user = "leaver" + (n + 1);
                List<Holding> plan = givenAUserHoldingEverything(t, user);
                String id = t.submit(APPROVER, "offboard " + user + " left the company");
                assertThat(t.request(id).plan()).as(point).containsExactlyInAnyOrderElementsOf(plan);

                AtomicBoolean crashed = new AtomicBoolean();
                AtomicInteger reached = new AtomicInteger();
                int crashAt = n;
                probe.set(p -> {
                    if (reached.getAndIncrement() == crashAt && crashed.compareAndSet(false, true)) {
                        throw new CrashRecoveryTest.SimulatedCrash(p);
                    }
                });
                int before = t.iam.answered().size();
                t.approve(APPROVER_2, id);
                await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);

                probe.set(CrashProbe.NONE);
                t.restart();
                int resumedFrom = t.iam.answered().size();
                // The dead worker's claim has to run out before anyone else may take over.
                t.clock.advance(Duration.ofMinutes(6));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    t.bot.sweepNow();
                    return t.request(id).status().isTerminal();
                });

                Request done = t.request(id);
                assertThat(done.status()).as(point + ": " + TestBot.why(done)).isEqualTo(Status.DONE);
                assertThat(done.ending()).as(point).isNull();
                assertThat(t.iam.user(user)).as(point).isEmpty();
                assertThat(t.orphanDevices()).as(point).isEmpty();
                // Nothing was removed twice: one successful removal per item.
                List<FakeIam.Answered> answered = t.iam.answered();
                Map<String, Long> removals = successfulRemovals(answered.subList(before, answered.size()));
                assertThat(removals).as(point).allSatisfy((item, count) -> assertThat(count).as(point + " " + item).isEqualTo(1));
                assertThat(removals).as(point).hasSize(EXPECTED_REMOVALS);
                // The summary is whole and says each thing once, also to the people (told right after DONE).
                assertThat(done.removed()).as(point).containsExactlyInAnyOrderElementsOf(plan);
                await(point).atMost(Duration.ofSeconds(10)).until(() -> t.approvalMessageOf(id).blocks().toString().contains("is deleted")
                        && toldRequester(t, user).contains("is offboarded"));
                String approval = t.approvalMessageOf(id).blocks().toString();
                String requester = toldRequester(t, user);
                for (Holding h : plan) {
                    assertThat(approval).as(point + " approval message").contains(h.id());
                    assertThat(requester).as(point + " requester's DM").contains(h.id());
                }
                // No error is shown for what an earlier run had removed already.
                assertThat(approval).as(point).doesNotContain("Failed", "refused", "NoSuchEntity");
                assertThat(requester).as(point).doesNotContain("failed", "refused", "NoSuchEntity");
                List<FakeIam.Answered> resumed = answered.subList(resumedFrom, answered.size());
                report.add(String.format("%-48s -> removals %d, each once; resumed run: %d IAM calls, %d answered NoSuchEntity",
                        point, removals.values().stream().mapToLong(Long::longValue).sum(), resumed.size(),
                        resumed.stream().filter(a -> a.status() == 404).count()));
            }
        }
        System.out.printf("offboarding crash: %d crash points (every point an offboarding run passes) -> %d users deleted, "
                        + "%d removals each made exactly once per user, summaries whole%n  %s%n",
                points.size(), report.size(), EXPECTED_REMOVALS, String.join("\n  ", report));
        assertThat(report).hasSize(points.size());
    }

    /** The bot's DMs to the requester (APPROVER) about this IAM user. */
    private static String toldRequester(TestBot t, String user) {
        return t.slack.messages(dm(APPROVER)).stream().filter(m -> m.text().contains("`" + user + "`")).toList().toString();
    }

    @Test
    void anOpenSetupIsSupersededAlsoWhenTheOffboardingCrashedRightAfterItStarted() throws Exception {
        AtomicReference<CrashProbe> probe = new AtomicReference<>(CrashProbe.NONE);
        try (TestBot t = startWithSwitchableProbe(dir, probe)) {
            String onboarding = t.requestSampleUser();
            t.approve(APPROVER, onboarding);
            t.awaitStatus(onboarding, Status.AWAITING_MFA);
            var qr = t.qrFileFor(ALICE);

            String id = t.submit(APPROVER, "offboard <@" + ALICE + "|alice>");
            AtomicBoolean crashed = new AtomicBoolean();
            probe.set(p -> {
                if (p.equals("saved PROVISIONING/NONE") && crashed.compareAndSet(false, true)) {
                    throw new CrashRecoveryTest.SimulatedCrash(p);
                }
            });
            t.approve(APPROVER_2, id);
            await().atMost(Duration.ofSeconds(20)).untilTrue(crashed);
            probe.set(CrashProbe.NONE);
            t.restart();
            t.clock.advance(Duration.ofMinutes(6));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                t.bot.sweepNow();
                return t.request(id).status().isTerminal();
            });

            assertThat(t.request(id).status()).isEqualTo(Status.DONE);
            assertThat(t.request(onboarding).status()).isEqualTo(Status.CANCELLED);
            assertThat(t.slack.isDeleted(qr.id())).isTrue();
            t.click(ALICE, "onboard_enter_codes", onboarding, dm(ALICE));
            t.awaitToldPrivately(ALICE, "out of date");
        }
    }

    /** Every probe point one undisturbed offboarding run passes, in order (a point may come more than once). */
    private List<String> pointsOfOneRun() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<CrashProbe> probe = new AtomicReference<>(CrashProbe.NONE);
        try (TestBot t = startWithSwitchableProbe(Files.createDirectories(dir.resolve("record")), probe)) {
            givenAUserHoldingEverything(t, "sampleUser");
            String id = t.submit(APPROVER, "offboard sampleUser left the company");
            probe.set(seen::add);
            t.approve(APPROVER_2, id);
            t.awaitStatus(id, Status.DONE);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("saved DONE/USER_DELETED"));
        }
        return List.copyOf(seen);
    }

    /** Successful removals per item ("DeleteAccessKey {AccessKeyId=AKIA..., UserName=...}"), from what FakeIam answered. */
    static Map<String, Long> successfulRemovals(List<FakeIam.Answered> answered) {
        return answered.stream().filter(a -> a.ok() && REMOVALS.contains(a.action()))
                .collect(Collectors.groupingBy(a -> a.action() + " " + new TreeMap<>(a.names()), TreeMap::new, Collectors.counting()));
    }

    /**
     * An IAM user as this bot makes one for alice (tagged with a request id and alice), holding one
     * of everything offboarding removes, made through the SDK as any IAM client would. Returns what
     * it holds, as offboarding lists it.
     */
    static List<Holding> givenAUserHoldingEverything(TestBot t, String user) {
        String serial;
        try (var client = IamClients.create(Optional.of(t.iam.endpoint()), FakeIam.credentials(), 0)) {
            SdkIamGateway iam = new SdkIamGateway(client);
            iam.createUser(user, "/", new LinkedHashMap<>(Map.of("aws-onboard:request-id", "req-earlier",
                    "aws-onboard:slack-user", ALICE)));
            iam.addUserToGroup(user, "developers");
            iam.attachUserPolicy(user, FakeIam.CHANGE_PASSWORD_POLICY_ARN);
            iam.createLoginProfile(user, Secret.of("Initial-Passw0rd!x"), true);
            var device = iam.createVirtualMfaDevice(user, "/");
            serial = device.serialNumber();
            List<String> codes = Totp.twoConsecutiveCodes(device.base32Seed().reveal(), TestBot.NOW);
            iam.enableMfaDevice(user, serial, codes.get(0), codes.get(1));
        }
        String key = t.iam.giveAccessKey(user);
        String certificate = t.iam.giveSigningCertificate(user);
        String sshKey = t.iam.giveSshPublicKey(user);
        String credential = t.iam.giveServiceSpecificCredential(user, "codecommit.amazonaws.com");
        String policy = t.iam.createManagedPolicy("team-read", READ_POLICY);
        t.iam.putUserPolicy(user, "s3-read", READ_POLICY);
        t.iam.attachUserPolicy(user, policy);
        return List.of(new Holding(Holding.Type.LOGIN_PROFILE, user), new Holding(Holding.Type.ACCESS_KEY, key),
                new Holding(Holding.Type.SIGNING_CERTIFICATE, certificate), new Holding(Holding.Type.SSH_KEY, sshKey),
                new Holding(Holding.Type.SERVICE_CREDENTIAL, credential), new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, serial),
                new Holding(Holding.Type.INLINE_POLICY, "s3-read"), new Holding(Holding.Type.MANAGED_POLICY, FakeIam.CHANGE_PASSWORD_POLICY_ARN),
                new Holding(Holding.Type.MANAGED_POLICY, policy), new Holding(Holding.Type.GROUP, "developers"));
    }
}
