package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creates IAM carried out while their answer was lost (a 500, a reset, a timeout): the request
 * recognises what it made (its request-id tag, the serial it recorded) and carries on, and its undo
 * removes a user carrying its tag even when no ARN was ever recorded.
 */
class LostAnswersUseCaseTest {

    @Test
    void aCreateUserWhoseAnswerWasLostIsRecognisedByItsTagAndTheOnboardingGoesOn() {
        Domain d = new Domain(Domain.Settings::retrying);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        d.iam.loseAnswerOfNext("CreateUser", 1);
        d.iam.hideNewUsers(2); // and IAM does not show the user everywhere yet when asked about it

        Request r = d.approve(id);

        assertThat(r.status()).as("%s", r.ending()).isEqualTo(Status.AWAITING_MFA);
        assertThat(r.userArn()).isEqualTo(d.iam.user("sampleUser").orElseThrow().arn);
        assertThat(d.iam.count("CreateUser")).isEqualTo(2);
        assertThat(d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE)).result()).isEqualTo(MfaActivation.Result.ENABLED);
    }

    @Test
    void aFailedOnboardingWhoseCreateUserAnswerWasLostLeavesNoUserBehind() {
        Domain d = new Domain(); // no retries: the lost answer fails the run
        d.iam.loseAnswerOfNext("CreateUser", 1);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);

        Request r = d.approve(id);

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.userArn()).isNull();
        assertThat(d.iam.user("sampleUser")).as("the user the lost CreateUser made").isEmpty();
        assertThat(d.request(id).leftovers()).isFalse();
    }

    @Test
    void theUndoOfAnOnboardingNeverTouchesAUserWithoutItsTag() {
        Domain d = new Domain();
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        // Someone made the name by hand after the checks, before the run: CreateUser is refused.
        d.iam.existing("sampleUser", java.util.Map.of(Tags.REQUEST_ID, "r-other"));

        Request r = d.approve(id);

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(d.iam.user("sampleUser")).isPresent();
    }

    @Test
    void anMfaResetWhoseNewDeviceAnswerWasLostReplacesItsOwnDeviceAndThePersonFinishes() {
        Domain d = new Domain(Domain.Settings::retrying);
        // A user of alice's the bot never made a device for (no request of ours recorded that serial).
        d.iam.existing("sampleUser", java.util.Map.of(Tags.REQUEST_ID, "r-earlier", Tags.SLACK_USER, ALICE));
        String token = d.iam.giveHardwareToken("sampleUser");
        d.iam.loseAnswerOfNext("CreateVirtualMFADevice", 1);
        String id = d.submitted(ALICE, Kind.RESET_MFA, "sampleUser", null);

        Request r = d.approve(id);

        assertThat(r.status()).as("%s", r.ending()).isEqualTo(Status.AWAITING_MFA);
        assertThat(d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE)).result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).containsExactly(token, r.mfaSerial());
        assertThat(d.iam.devices()).allMatch(dev -> dev.user() != null);
        assertThat(d.iam.count("CreateVirtualMFADevice")).isEqualTo(3); // made, met as existing, made again
    }

    @Test
    void aDeviceUnderTheSameNameThatNoAttemptOfOursMadeIsStillNotOurs() {
        Domain d = new Domain(Domain.Settings::retrying);
        d.onboardAlice();
        // An admin made a device under the name by hand: the first attempt already meets it.
        d.iam.failNext("CreateVirtualMFADevice", InMemoryIam.error(IamException.Kind.ALREADY_EXISTS, "EntityAlreadyExists"));
        String id = d.submitted(APPROVER, Kind.RESET_MFA, "sampleUser", null);

        Request r = d.approve(id);

        assertThat(r.status()).isEqualTo(Status.FAILED);
        assertThat(r.ending().reason()).isEqualTo(dev.awsonboard.lifecycle.model.Reason.DEVICE_NOT_OURS);
    }
}
