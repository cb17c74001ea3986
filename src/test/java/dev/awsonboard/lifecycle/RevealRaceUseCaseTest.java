package dev.awsonboard.lifecycle;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Two clicks on Show password at once (a double click, two replicas) set one password; the pause is a claim, not a read. */
class RevealRaceUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void aSecondClickWhileTheFirstPasswordIsBeingSetIsToldToWaitAndSetsNone() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        List<Outcome<Secret>> second = new ArrayList<>();
        d.iam.whileCalling("UpdateLoginProfile", () -> second.add(d.uses.passwords().reveal(id, ALICE, false)));

        Outcome<Secret> first = d.uses.passwords().reveal(id, ALICE, false);

        assertThat(first.isDone()).isTrue();
        assertThat(second).singleElement().satisfies(o -> assertThat(o.notice().reason()).isEqualTo(Reason.PASSWORD_RATE_LIMITED));
        assertThat(d.iam.count("UpdateLoginProfile")).isEqualTo(1);
    }

    @Test
    void theClickAfterTheFirstSaysWaitAtOnceAndAMinuteLaterItIsHonoured() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isTrue();

        assertThat(d.uses.passwords().refusal(id, ALICE, false)).hasValueSatisfying(n ->
                assertThat(n.reason()).isEqualTo(Reason.PASSWORD_RATE_LIMITED));
        d.clock.advance(PasswordReveal.MIN_INTERVAL.plus(Duration.ofSeconds(1)));

        assertThat(d.uses.passwords().refusal(id, ALICE, false)).isEmpty();
        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isTrue();
        assertThat(d.iam.count("UpdateLoginProfile")).isEqualTo(2);
    }

    @Test
    void aPasswordIamWouldNotSetLeavesNoPauseBehind() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        d.iam.failNext("UpdateLoginProfile", InMemoryIam.error(dev.awsonboard.lifecycle.port.IamException.Kind.THROTTLED, "Throttling"));

        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).isFalse();

        assertThat(d.uses.passwords().reveal(id, ALICE, false).isDone()).as("tried again at once").isTrue();
    }

    @Test
    void codesSentWhileAShowPasswordClickHoldsTheSetupWaitForItAndEnableMfa() {
        java.util.concurrent.atomic.AtomicReference<Runnable> inPause = new java.util.concurrent.atomic.AtomicReference<>(() -> { });
        Domain d = new Domain(s -> s.withRetry(new IamRetry(Duration.ZERO, Duration.ZERO, Duration.ZERO, millis -> inPause.get().run())));
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        // The person's own click holds the setup for a moment, and lets go while the codes wait.
        assertThat(d.leases.claim(id, "show-password", d.clock.instant(), d.clock.instant().plus(Duration.ofMinutes(5)))).isTrue();
        inPause.set(() -> d.leases.release(id, "show-password"));

        MfaActivation.Answer answer = d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE));

        assertThat(answer.result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.iam.count("EnableMFADevice")).isEqualTo(1);
    }

    @Test
    void codesThatWaitedTheirTimeForAClaimNeverLetGoAreToldToTryAgainAndEnableNothing() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        assertThat(d.leases.claim(id, "stuck", d.clock.instant(), d.clock.instant().plus(Duration.ofMinutes(5)))).isTrue();

        MfaActivation.Answer answer = d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE));

        assertThat(answer.notice().reason()).isEqualTo(Reason.CHANGED_TRY_AGAIN);
        assertThat(d.iam.count("EnableMFADevice")).isZero();
    }
}
