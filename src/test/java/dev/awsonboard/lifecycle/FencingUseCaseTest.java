package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two workers disagree about who owns a request: a replica whose clock is ahead (or that saw a stalled
 * worker's lease run out) takes it over mid-step. The worker that lost its lease stops and undoes
 * nothing; the person's codes and the sweep's expiry never both win.
 */
class FencingUseCaseTest {
    private final Domain d = new Domain();

    private String onboardingInTwoGroups() {
        return d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers", "readonly");
    }

    @Test
    void aLateFailureOfAWorkerWhoseLeaseWasTakenOverUndoesNothingOfTheWorkerThatTookOver() {
        String id = onboardingInTwoGroups();
        UseCases replica = d.replica(Duration.ofMinutes(6));
        // worker-1's first AddUserToGroup is slow; meanwhile the replica, to which its lease ran out, runs the
        // request to the person's turn; then worker-1's call comes back refused.
        d.iam.whileCalling("AddUserToGroup", () -> {
            replica.sweeper().sweep();
            d.iam.failNext("AddUserToGroup", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        });

        d.approve(id);

        Request r = d.request(id);
        assertThat(r.status()).as("%s", r.ending()).isEqualTo(Status.AWAITING_MFA);
        assertThat(d.iam.user("sampleUser")).as("the user the replica is setting up").isPresent();
        assertThat(d.slack.filesAlive()).hasSize(1);
        assertThat(d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE)).result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
    }

    @Test
    void aWorkerThatFindsItsClaimTakenOverMakesNoFurtherIamCall() {
        String id = onboardingInTwoGroups();
        UseCases replica = d.replica(Duration.ofMinutes(6));
        AtomicInteger afterTheBeat = new AtomicInteger();
        d.iam.whileCalling("AddUserToGroup", () -> {
            replica.sweeper().sweep();
            d.beat(); // worker-1's heartbeat: the lease is the replica's now
            afterTheBeat.set(d.iam.calls().size());
        });

        d.approve(id);

        // Only the call already on its way; not the second group, nor anything after it.
        assertThat(d.iam.calls().subList(afterTheBeat.get(), d.iam.calls().size())).containsExactly("AddUserToGroup");
        assertThat(d.request(id).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Test
    void codesThatArriveAsTheSetupExpiresWinOverTheExpiryAndThePersonKeepsTheirUser() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        d.clock.advance(Domain.SETUP_EXPIRY.plus(Duration.ofSeconds(30)));
        // IAM enables the device; before its answer is back, the sweep comes to expire the setup.
        d.iam.afterCalling("EnableMFADevice", () -> d.uses.sweeper().sweep());

        MfaActivation.Answer answer = d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE));

        assertThat(answer.result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser")).as("the user the person was told has MFA on").isPresent();
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).hasSize(1);
    }

    @Test
    void codesThatLoseToAnExpiryOnAReplicaAreNeverAnsweredEnabled() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        d.clock.advance(Domain.SETUP_EXPIRY.minus(Duration.ofMinutes(1)));
        UseCases replica = d.replica(Duration.ofMinutes(6)); // to which the setup and the codes' claim ran out
        d.iam.afterCalling("EnableMFADevice", () -> replica.sweeper().sweep());

        MfaActivation.Answer answer = d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE));

        assertThat(answer.result()).isNotEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.request(id).status()).isEqualTo(Status.EXPIRED);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.slack.filesAlive()).isEmpty();
    }
}
