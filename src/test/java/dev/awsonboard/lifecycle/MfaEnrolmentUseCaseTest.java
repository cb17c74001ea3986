package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ask to set up MFA: a linked console user without MFA gets the MFA reset's setup with nothing removed,
 * decided by the approver's own click, for the person the user is linked to.
 */
class MfaEnrolmentUseCaseTest {
    private final Domain d = new Domain();

    /** alice's user as the bot made it, then an admin removed its MFA device in the console. */
    private void aliceWithoutMfa() {
        d.onboardAlice();
        String serial = d.iam.user("sampleUser").orElseThrow().mfaDevices.get(0);
        d.iam.deactivateMfaDevice("sampleUser", serial);
        d.iam.deleteVirtualMfaDevice(serial);
    }

    private Request asked(String approver, String user, String person) {
        Outcome<Request> outcome = d.ask(approver, Kind.ENROL_MFA, user, person);
        if (!(outcome instanceof Outcome.Done<Request> done)) {
            throw new AssertionError("refused at the acknowledgement: " + outcome.notice());
        }
        return d.request(done.value().id());
    }

    @Test
    void theApproversClickDecidesItAndTheLinkedPersonGetsTheSetupWithoutAnApprovalMessage() {
        aliceWithoutMfa();
        int mark = d.iam.calls().size();

        Request r = asked(APPROVER, "sampleUser", null);

        assertThat(r.status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(r.targetUserId()).isEqualTo(ALICE);
        assertThat(r.requesterUserId()).isEqualTo(APPROVER);
        assertThat(r.approverUserId()).as("decided by the click that asked").isEqualTo(APPROVER);
        assertThat(r.approvalMessages()).isEmpty();
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).filteredOn(t -> t.requestId().equals(r.id()))
                .extracting(RecordingNotifier.Told::what).doesNotContain("postApprovalRequest");
        assertThat(d.auditActions(r.id())).contains("request=ok", "approve=ok");
        assertThat(d.iam.calls().subList(mark, d.iam.calls().size())).as("nothing removed")
                .doesNotContain("DeactivateMFADevice", "DeleteVirtualMFADevice", "DeleteLoginProfile", "UpdateLoginProfile")
                .contains("CreateVirtualMFADevice");
        assertThat(r.mfaSerial()).endsWith(":mfa/sampleUser");

        MfaActivation.Answer answer = d.uses.mfa().submit(r.id(), ALICE, d.codesOf(ALICE));

        assertThat(answer.result()).isEqualTo(MfaActivation.Result.ENABLED);
        assertThat(d.request(r.id()).status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).containsExactly(r.mfaSerial());
    }

    @Test
    void onlyApproversMayAskAndNothingIsStoredOtherwise() {
        aliceWithoutMfa();

        Outcome<Request> byRequester = d.ask(REQUESTER, Kind.ENROL_MFA, "sampleUser", null);
        Outcome<Request> byAlice = d.ask(ALICE, Kind.ENROL_MFA, "sampleUser", null);

        assertThat(List.of(byRequester, byAlice)).extracting(o -> o.notice().reason())
                .containsOnly(Reason.NOT_ALLOWED_TO_REQUEST);
        assertThat(d.store.findOpenByIamUserName("sampleUser")).isEmpty();
    }

    @Test
    void aUserThatHasMfaIsRejectedBeforeAnythingIsMade() {
        d.onboardAlice();
        int mark = d.iam.calls().size();

        Request r = asked(APPROVER, "sampleUser", null);

        assertThat(r.status()).isEqualTo(Status.REJECTED);
        assertThat(r.ending().reason()).isEqualTo(Reason.MFA_ALREADY_ON);
        assertThat(d.iam.calls().subList(mark, d.iam.calls().size())).doesNotContain("CreateVirtualMFADevice");
    }

    @Test
    void theSetupGoesToTheUsersOwnerNeverToWhoeverTheClickNames() {
        aliceWithoutMfa();

        Request forMallory = asked(APPROVER, "sampleUser", MALLORY);

        assertThat(forMallory.status()).isEqualTo(Status.REJECTED);
        assertThat(forMallory.ending().reason()).isEqualTo(Reason.IAM_USER_BELONGS_TO_OTHER);
        assertThat(d.slack.toldTo(MALLORY)).isEmpty();
    }

    @Test
    void aUserNobodyIsLinkedToHasNobodyToSendTheSetupTo() {
        d.iam.existing("legacy.admin", "/", Map.of(), true);

        Request r = asked(APPROVER, "legacy.admin", null);

        assertThat(r.status()).isEqualTo(Status.REJECTED);
        assertThat(r.ending().reason()).isEqualTo(Reason.IAM_USER_OWNER_UNKNOWN);
    }

    @Test
    void aUserTaggedByTheBotIsAdoptedAndItsPersonGetsTheSetup() {
        d.iam.existing("legacy.alice", "/", Map.of(Tags.SLACK_USER, ALICE), true);

        Request r = asked(APPROVER, "legacy.alice", null);

        assertThat(r.status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(r.targetUserId()).isEqualTo(ALICE);
        assertThat(d.slack.seedSentTo(ALICE)).isNotNull();
    }

    @Test
    void aNameMadeAgainForSomeoneElseMeetsNoEnableMfaDeviceWithTheOldPersonsCodes() {
        aliceWithoutMfa();
        Request r = asked(APPROVER, "sampleUser", null);
        // An admin deletes the user in the console and makes the name again for someone else.
        InMemoryIam.User old = d.iam.user("sampleUser").orElseThrow();
        d.iam.deleteLoginProfile("sampleUser");
        List.copyOf(old.groups).forEach(g -> d.iam.removeUserFromGroup("sampleUser", g));
        List.copyOf(old.attachedPolicies).forEach(p -> d.iam.detachUserPolicy("sampleUser", p));
        d.iam.deleteUser("sampleUser");
        d.iam.existing("sampleUser", "/", Map.of(), true);
        int mark = d.iam.calls().size();

        MfaActivation.Answer answer = d.uses.mfa().submit(r.id(), ALICE, d.codesOf(ALICE));

        assertThat(answer.result()).isEqualTo(MfaActivation.Result.REFUSED);
        assertThat(answer.notice().reason()).isEqualTo(Reason.OUT_OF_DATE);
        assertThat(d.iam.calls().subList(mark, d.iam.calls().size())).doesNotContain("EnableMFADevice");
    }
}
