package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MfaCodes;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.People;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Onboarding's story ({@link Onboarding}) on in-memory ports: its rules, its steps and its way down. */
class OnboardingUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void anOnboardingIsCheckedByReadingOnlyThenRunOnApprovalAndFinishedByThePersonsCodes() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");
        assertThat(d.iam.calls()).containsOnly("GetUser");
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::what)
                .containsExactly("postApprovalRequest");

        Request waiting = d.approve(id);
        assertThat(waiting.status()).isEqualTo(Status.AWAITING_MFA);
        InMemoryIam.User user = d.iam.user("sampleUser").orElseThrow();
        assertThat(user.tags).containsEntry(Tags.REQUEST_ID, id).containsEntry(Tags.SLACK_USER, ALICE)
                .containsEntry(Tags.REQUESTED_BY, REQUESTER).containsEntry(Tags.APPROVED_BY, APPROVER);
        assertThat(user.groups).containsExactly("developers");
        assertThat(user.password).isNotNull();
        assertThat(user.passwordResetRequired).isTrue();
        assertThat(user.attachedPolicies).containsExactly("arn:aws:iam::aws:policy/IAMUserChangePassword");
        assertThat(waiting.mfaSerial()).isEqualTo("arn:aws:iam::" + InMemoryIam.ACCOUNT + ":mfa/sampleUser");
        assertThat(d.slack.filesAlive()).hasSize(1);

        MfaActivation.Answer answer = d.uses.mfa().submit(id, ALICE, d.codesOf(ALICE));
        assertThat(answer.result()).isEqualTo(MfaActivation.Result.ENABLED);
        Request done = d.request(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).containsExactly(waiting.mfaSerial());
        assertThat(d.slack.filesAlive()).isEmpty();
        assertThat(done.qrFileId()).isNull();
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).endsWith("setupCompleted");
    }

    @Test
    void wrongCodesLeaveTheSetupWaitingAndSomeoneElsesCodesAreRefused() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);

        assertThat(d.uses.mfa().submit(id, ALICE, new MfaCodes("123456", "654321")).result())
                .isEqualTo(MfaActivation.Result.WRONG_CODES);
        assertThat(d.uses.mfa().submit(id, MALLORY, d.codesOf(ALICE)).result()).isEqualTo(MfaActivation.Result.REFUSED);
        assertThat(d.request(id).status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(d.iam.user("sampleUser").orElseThrow().mfaDevices).isEmpty();
    }

    @Test
    void aNameTakenIgnoringCaseIsRejectedBeforeTheApproversAreAsked() {
        d.iam.existing("SampleUser", Map.of());
        Request r = d.request(d.ask(REQUESTER, Kind.ONBOARD, "sampleuser", ALICE).notice().arg("id"));

        assertThat(r.status()).isEqualTo(Status.REJECTED);
        assertThat(r.ending().reason()).isEqualTo(Reason.USER_EXISTS);
        assertThat(r.ending().arg("user")).isEqualTo("SampleUser");
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).isEmpty();
        assertThat(d.slack.toldTo(REQUESTER)).extracting(RecordingNotifier.Told::status).containsExactly("REJECTED");
    }

    @Test
    void aPersonWhoCannotHoldAccessIsRejectedAndIamIsNotTouched() {
        d.slack.person(new People.Person(ALICE, true, false, false));
        Request r = d.request(d.ask(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE).notice().arg("id"));

        assertThat(r.ending().reason()).isEqualTo(Reason.PERSON_DEACTIVATED);
        assertThat(d.iam.calls()).isEmpty();
    }

    @Test
    void whatWasTypedIsRefusedAtTheAcknowledgementWithNothingStored() {
        assertThat(d.ask(REQUESTER, Kind.ONBOARD, "bad name", ALICE).notice().reason()).isEqualTo(Reason.USER_NAME_BAD_CHARACTERS);
        assertThat(d.ask(REQUESTER, Kind.ONBOARD, "sampleUser", null).notice().reason()).isEqualTo(Reason.TARGET_MISSING);
        assertThat(d.ask(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins").notice().reason())
                .isEqualTo(Reason.GROUPS_NOT_OFFERED);
        assertThat(d.store.findByIamUserName("sampleUser")).isEmpty();
    }

    @Test
    void whenRequestersAreListedOnlyTheyAndTheApproversMayAsk() {
        Domain listed = new Domain(s -> s.withPolicy(new AccessPolicy(Set.of(APPROVER), Set.of(REQUESTER), false)));

        assertThat(listed.ask(MALLORY, Kind.ONBOARD, "sampleUser", ALICE).notice().reason()).isEqualTo(Reason.NOT_ALLOWED_TO_REQUEST);
        assertThat(listed.ask(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE).isDone()).isTrue();
    }

    @Test
    void aSecondRequestForTheSameNameWaitsWhileTheFirstIsOpen() {
        String first = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        Outcome<Request> second = d.ask(APPROVER, Kind.ONBOARD, "SAMPLEUSER", ALICE);

        assertThat(second.notice().reason()).isEqualTo(Reason.OPEN_REQUEST_EXISTS);
        assertThat(second.notice().arg("id")).isEqualTo(first);
    }

    @Test
    void aStepThatFailsForGoodUndoesTheUserSoNoHalfMadeUserStays() {
        d.iam.failNext("CreateLoginProfile", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");

        Request failed = d.approve(id);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.ending().reason()).isEqualTo(Reason.IAM_ACCESS_DENIED);
        assertThat(failed.ending().arg("action")).isEqualTo("CreateLoginProfile");
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.iam.devices()).isEmpty();
        assertThat(failed.leftovers()).isFalse();
        assertThat(d.slack.toldTo(REQUESTER)).extracting(RecordingNotifier.Told::status).endsWith("FAILED");
    }

    @Test
    void aSetupNobodyFinishesExpiresRemovingTheUserAndTheQr() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(id);
        d.clock.advance(Domain.SETUP_EXPIRY.plus(Duration.ofMinutes(1)));

        d.uses.sweeper().sweep();
        Request expired = d.request(id);
        assertThat(expired.status()).isEqualTo(Status.EXPIRED);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.iam.devices()).isEmpty();
        assertThat(d.slack.filesAlive()).isEmpty();
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).contains("setupClosed");
    }
}
