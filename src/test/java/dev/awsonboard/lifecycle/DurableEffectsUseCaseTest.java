package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The way down is recorded as the way up is: a status and what it owes (the undo in IAM, the QR's
 * deletion, the person's setup closed, people told) are one write. The process dies right after that
 * write, before any of it; after a restart the sweep carries it out, each thing once.
 */
class DurableEffectsUseCaseTest {
    private final Domain d = new Domain();

    private String awaitingAlice() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        assertThat(d.approve(id).status()).isEqualTo(Status.AWAITING_MFA);
        return id;
    }

    /** An onboarding that failed (CreateLoginProfile refused) and whose undo IAM refused once as {@code kind}. */
    private String failedWithLeftovers(IamException.Kind kind, String code) {
        d.iam.failNext("CreateLoginProfile", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        d.iam.failNext("RemoveUserFromGroup", InMemoryIam.error(kind, code));
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        assertThat(d.approve(id).status()).isEqualTo(Status.FAILED);
        assertThat(d.request(id).leftovers()).isTrue();
        return id;
    }

    private long told(String to, String what, String id) {
        return d.slack.toldTo(to).stream().filter(t -> t.what().equals(what) && t.requestId().equals(id)).count();
    }

    @Test
    void mfaOnThenACrashBeforeTheQrIsDeletedLeavesItOwedAndThePersonIsToldOnceAfterTheRestart() {
        String id = awaitingAlice();
        d.slack.crashAt("deleteFile");

        assertThatThrownBy(() -> d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE))).isInstanceOf(SimulatedCrash.class);
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(d.slack.filesAlive()).as("the QR of an enabled device").isEmpty();
        assertThat(told(ALICE, "setupCompleted", id)).isEqualTo(1);
        assertThat(d.slack.toldTo(REQUESTER)).filteredOn(t -> t.requestId().equals(id) && t.status().equals("DONE")).hasSize(1);
        assertThat(d.store.outbox().all()).isEmpty();
    }

    @Test
    void aFailureWhoseUndoIsCutByACrashIsUndoneAfterTheRestartLeavingNoUser() {
        d.iam.failNext("CreateLoginProfile", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        d.iam.crashAt("RemoveUserFromGroup"); // the undo's first removal
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");

        assertThatThrownBy(() -> d.approve(id)).isInstanceOf(SimulatedCrash.class);
        assertThat(d.request(id).status()).isEqualTo(Status.FAILED);
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(d.iam.user("sampleUser")).as("a tagged user left by a failed onboarding").isEmpty();
        assertThat(d.iam.devices()).isEmpty();
        assertThat(d.slack.toldTo(REQUESTER)).filteredOn(t -> t.requestId().equals(id) && t.status().equals("FAILED")).hasSize(1);
        assertThat(d.request(id).leftovers()).isFalse();
    }

    @Test
    void anExpiredSetupWhoseUndoIsCutByACrashLosesItsUserAndQrAfterTheRestart() {
        String id = awaitingAlice();
        d.clock.advance(Domain.SETUP_EXPIRY.plus(Duration.ofMinutes(1)));
        d.iam.crashAt("DeleteLoginProfile");

        assertThatThrownBy(() -> d.uses.sweeper().sweep()).isInstanceOf(SimulatedCrash.class);
        assertThat(d.request(id).status()).isEqualTo(Status.EXPIRED);
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(d.iam.user("sampleUser")).as("the user of an ended setup, with its password").isEmpty();
        assertThat(d.iam.devices()).isEmpty();
        assertThat(d.slack.filesAlive()).isEmpty();
        assertThat(told(ALICE, "setupClosed", id)).isEqualTo(1);
        assertThat(d.slack.toldTo(REQUESTER)).filteredOn(t -> t.requestId().equals(id) && t.status().equals("EXPIRED")).hasSize(1);
    }

    @Test
    void aSetupReplacedByAnOffboardingLosesItsDeviceAndQrThoughACrashCameRightAfter() {
        String onboarding = awaitingAlice();
        String offboarding = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);
        d.iam.crashAt("DeleteVirtualMFADevice"); // the replaced setup's unused device

        assertThatThrownBy(() -> d.approve(offboarding)).isInstanceOf(SimulatedCrash.class);
        assertThat(d.request(onboarding).status()).isEqualTo(Status.CANCELLED);
        d.restart();
        d.sweepAfterTheLeasesRanOut();
        d.uses.sweeper().sweep(); // the offboarding, resumed by the first sweep, owes its notices in turn

        assertThat(d.slack.filesAlive()).as("the QR of a replaced setup").isEmpty();
        assertThat(d.iam.devices()).isEmpty();
        assertThat(d.request(offboarding).status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(told(ALICE, "setupClosed", onboarding)).isEqualTo(1);
    }

    @Test
    void aPasswordShownThenACrashStillTellsThePersonTheyAreDone() {
        d.onboardAlice();
        String reset = d.submitted(ALICE, Kind.RESET_PASSWORD, "sampleUser", null);
        d.approve(reset);
        assertThat(d.uses.passwords().reveal(reset, ALICE, false).isDone()).isTrue();
        d.slack.crashAt("setupCompleted");

        assertThatThrownBy(() -> d.uses.passwords().shown(reset)).isInstanceOf(SimulatedCrash.class);
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(told(ALICE, "setupCompleted", reset)).isEqualTo(1);
        assertThat(d.slack.toldTo(ALICE)).filteredOn(t -> t.requestId().equals(reset) && t.what().equals("notifyRequester")
                && t.status().equals("DONE")).hasSize(1);
    }

    @Test
    void aDenialThenACrashStillTellsTheRequesterOnce() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.slack.crashAt("refreshApprovalRequest");

        assertThatThrownBy(() -> d.uses.decisions().deny(id, APPROVER)).isInstanceOf(SimulatedCrash.class);
        assertThat(d.request(id).status()).isEqualTo(Status.DENIED);
        d.restart();
        d.sweepAfterTheLeasesRanOut();

        assertThat(d.slack.toldTo(REQUESTER)).filteredOn(t -> t.requestId().equals(id) && t.status().equals("DENIED")).hasSize(1);
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).filteredOn(t -> t.requestId().equals(id)
                && t.what().equals("refreshApprovalRequest") && t.status().equals("DENIED")).hasSize(1);
    }

    @Test
    void anUndoThatIamRefusesForNowStaysOwedAndIsDoneOnceIamTakesIt() {
        String id = failedWithLeftovers(IamException.Kind.THROTTLED, "Throttling");
        Request failed = d.request(id);
        assertThat(d.iam.user("sampleUser")).isPresent();

        d.clock.advance(Effects.FIRST_RETRY);
        d.uses.sweeper().sweep();

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.request(id).leftovers()).as("the mark goes once it is all removed").isFalse();
        assertThat(d.store.outbox().all()).isEmpty();
    }

    @Test
    void anUndoStillRefusedAfterTwoDaysIsLeftToAPersonAndTheUserStaysMarked() {
        String id = failedWithLeftovers(IamException.Kind.ACCESS_DENIED, "AccessDenied");

        // IAM would take it now, but after days a user or device of that name may be someone else's.
        d.clock.advance(Sweeper.LOST_DEVICE_WINDOW.plus(Duration.ofHours(1)));
        d.uses.sweeper().sweep();

        assertThat(d.iam.user("sampleUser")).isPresent();
        assertThat(d.request(id).leftovers()).as("approvers still see what was left").isTrue();
        assertThat(d.auditActions(id)).contains("gave-up:UNDO=undo-too-old");
        assertThat(d.store.outbox().all()).isEmpty();
    }

    @Test
    void anUndoRetriedAfterTheUserWasDeletedAndMadeAgainByHandLeavesTheNewUserAlone() {
        String id = failedWithLeftovers(IamException.Kind.THROTTLED, "Throttling");
        // An admin cleans up by hand and makes the name again for someone else before the retry.
        d.iam.removeUserFromGroup("sampleUser", "developers");
        d.iam.deleteUser("sampleUser");
        String newUserId = d.iam.createUser("sampleUser", "/", java.util.Map.of(), java.util.Optional.empty()).userId();
        d.iam.addUserToGroup("sampleUser", "developers");

        d.clock.advance(Effects.FIRST_RETRY);
        d.uses.sweeper().sweep();

        assertThat(d.iam.user("sampleUser")).hasValueSatisfying(u -> {
            assertThat(u.userId).isEqualTo(newUserId);
            assertThat(u.groups).containsExactly("developers");
        });
        assertThat(d.store.outbox().all()).isEmpty();
    }
}
