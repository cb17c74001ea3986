package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A grant's story ({@link Grant}, {@link GrantEnds}) on in-memory ports: alice asks for {@code admins} for two
 * hours; on approval her IAM user joins it, at the end it leaves it, exactly once.
 */
class GrantUseCaseTest {
    static final ApprovalRule ADMINS = new ApprovalRule("admins", Set.of(Kind.GRANT), Set.of("admins"),
            List.of(APPROVER, Domain.APPROVER_2), 1, ApprovalRule.Announce.channel(RecordingNotifier.APPROVALS), Set.of(),
            Duration.ofHours(8));

    private Domain d;
    private String onboarding;

    @BeforeEach
    void aliceHasAnIamUser() {
        d = new Domain(s -> s.withRules(ADMINS));
        d.iam.group("admins");
        onboarding = d.onboardAlice();
    }

    private Outcome<Request> ask(String requester, String person, String group, Duration length) {
        return d.uses.intake().submit(new Intake.NewRequest(Kind.GRANT, requester, null, person, List.of(group), "migration", length),
                Optional.empty());
    }

    /** alice asks for admins for herself, an approver approves: the id. */
    private String granted(Duration length) {
        Outcome<Request> asked = ask(ALICE, ALICE, "admins", length);
        assertThat(asked.isDone()).as(asked.notice().toString()).isTrue();
        String id = asked.notice().arg("id");
        assertThat(d.request(id).status()).isEqualTo(Status.REQUESTED);
        d.approve(id);
        return id;
    }

    private boolean inAdmins() {
        return d.iam.user("sampleUser").orElseThrow().groups.contains("admins");
    }

    @Test
    void onApprovalTheUserJoinsTheGroupAndLeavesItAtTheEndOnce() {
        String id = granted(Duration.ofHours(2));

        Request running = d.request(id);
        assertThat(running.status()).isEqualTo(Status.GRANTED);
        assertThat(running.step()).isEqualTo(Step.GROUP_GRANTED);
        assertThat(running.grant().endsAt()).isEqualTo(d.clock.instant().plus(Duration.ofHours(2)));
        assertThat(inAdmins()).isTrue();
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::status).endsWith("GRANTED");

        d.clock.advance(Duration.ofMinutes(119));
        assertThat(d.uses.grantEnds().endDue()).isZero();
        assertThat(inAdmins()).isTrue();

        d.clock.advance(Duration.ofMinutes(1));
        assertThat(d.uses.grantEnds().endDue()).isEqualTo(1);
        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.step()).isEqualTo(Step.GRANT_ENDED);
        assertThat(ended.ending().reason()).isEqualTo(Reason.GRANT_ENDED);
        assertThat(inAdmins()).isFalse();
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::status).endsWith("DONE");
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::status).endsWith("DONE");

        d.clock.advance(Duration.ofHours(1));
        assertThat(d.uses.grantEnds().endDue()).isZero();
        assertThat(d.iam.count("RemoveUserFromGroup")).isEqualTo(1);
        assertThat(d.auditActions(id)).containsSubsequence("approve=ok", "iam:AddUserToGroup=ok", "grant-ending=ok",
                "iam:ListGroupsForUser=ok", "iam:RemoveUserFromGroup=ok", "grant-ended=ok");
    }

    @Test
    void onlyAGroupARuleNamesMayBeGrantedAndNoLongerThanItsMaximum() {
        long added = d.iam.count("AddUserToGroup"); // alice's onboarding into developers
        assertThat(ask(ALICE, ALICE, "developers", Duration.ofHours(1)).notice().reason()).isEqualTo(Reason.GROUP_NOT_GRANTABLE);
        Outcome<Request> tooLong = ask(ALICE, ALICE, "Admins", Duration.ofHours(9));
        assertThat(tooLong.notice().reason()).isEqualTo(Reason.GRANT_TOO_LONG);
        assertThat(tooLong.notice().arg("max")).isEqualTo("PT8H");
        assertThat(ask(ALICE, ALICE, "admins", null).notice().reason()).isEqualTo(Reason.GRANT_WHAT_MISSING);
        assertThat(d.iam.count("AddUserToGroup")).isEqualTo(added);
        assertThat(d.store.findByIamUserName("sampleUser")).hasSize(1); // nothing stored but the onboarding
    }

    @Test
    void aGroupThePersonIsInAlreadyIsNotGranted() {
        d.iam.user("sampleUser").orElseThrow().groups.add("admins");
        Request r = d.request(ask(ALICE, ALICE, "admins", Duration.ofHours(1)).notice().arg("id"));

        assertThat(r.status()).isEqualTo(Status.REJECTED);
        assertThat(r.ending().reason()).isEqualTo(Reason.ALREADY_IN_GROUP);
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::requestId).doesNotContain(r.id());
    }

    @Test
    void aGrantIsForOneselfUnlessAnApproverAsksAndThenThePersonIsToldToo() {
        assertThat(ask(MALLORY, ALICE, "admins", Duration.ofHours(1)).notice().reason()).isEqualTo(Reason.ONLY_FOR_YOURSELF);

        Outcome<Request> asked = ask(APPROVER, ALICE, "admins", Duration.ofHours(1));
        String id = asked.notice().arg("id");
        assertThat(d.uses.decisions().approve(id, APPROVER).notice().reason()).isEqualTo(Reason.OWN_REQUEST);
        d.approve(id);
        assertThat(d.request(id).status()).isEqualTo(Status.GRANTED);
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).endsWith("notifyPerson");
        assertThat(d.slack.toldTo(APPROVER)).extracting(RecordingNotifier.Told::status).endsWith("GRANTED");
    }

    @Test
    void thePersonOrAnApproverEndsItEarlyAndNobodyElse() {
        String id = granted(Duration.ofHours(2));

        assertThat(d.uses.decisions().revoke(id, MALLORY).notice().reason()).isEqualTo(Reason.ONLY_PERSON_OR_APPROVER_ENDS);
        assertThat(inAdmins()).isTrue();

        d.clock.advance(Duration.ofMinutes(30));
        Outcome<Request> revoked = d.uses.decisions().revoke(id, ALICE);
        assertThat(revoked.notice().reason()).isEqualTo(Reason.GRANT_ENDING_NOW);
        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.ending().reason()).isEqualTo(Reason.GRANT_ENDED_EARLY);
        assertThat(ended.ending().arg("by")).isEqualTo(ALICE);
        assertThat(ended.grant().endsAt()).isEqualTo(d.clock.instant());
        assertThat(inAdmins()).isFalse();
        assertThat(d.uses.decisions().revoke(id, APPROVER).notice().reason()).isEqualTo(Reason.GRANT_ALREADY_ENDED);
        assertThat(d.auditActions(id)).contains("revoke=ok");
    }

    @Test
    void aGrantNobodyDecidedYetIsCancelledByRevoke() {
        String id = ask(ALICE, ALICE, "admins", Duration.ofHours(1)).notice().arg("id");
        assertThat(d.uses.decisions().revoke(id, ALICE).notice().reason()).isEqualTo(Reason.CANCELLED);
        assertThat(d.request(id).status()).isEqualTo(Status.CANCELLED);
        assertThat(d.uses.decisions().revoke(onboarding, ALICE).notice().reason()).isEqualTo(Reason.NOT_A_GRANT);
    }

    @Test
    void aMembershipTakenAwayByHandMeanwhileIsNoErrorAtTheEnd() {
        String id = granted(Duration.ofHours(1));
        d.iam.user("sampleUser").orElseThrow().groups.remove("admins");

        d.clock.advance(Duration.ofHours(1));
        d.uses.grantEnds().endDue();

        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.ending().reason()).isEqualTo(Reason.GRANT_LEFT_EARLIER);
        assertThat(d.iam.count("RemoveUserFromGroup")).isZero();
    }

    @Test
    void aPersonOffboardedMeanwhileEndsTheGrantWithoutAnError() {
        String id = granted(Duration.ofHours(4));
        String offboarding = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);
        d.approve(offboarding);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        long removals = d.iam.count("RemoveUserFromGroup"); // the offboarding's, admins among them

        d.clock.advance(Duration.ofHours(4));
        d.uses.grantEnds().endDue();

        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.ending().reason()).isEqualTo(Reason.GRANT_USER_GONE);
        assertThat(d.iam.count("RemoveUserFromGroup")).isEqualTo(removals);
    }

    @Test
    void anEndThatDiedAfterTheRemovalIsFinishedWithoutRemovingTwice() {
        String id = granted(Duration.ofHours(1));
        // As if a worker recorded the end, removed the membership, and died before recording that.
        Request r = d.request(id);
        d.store.replace(r, r.withStep(Step.GRANT_ENDING, r.updatedAt())).orElseThrow();
        d.iam.removeUserFromGroup("sampleUser", "admins");

        d.uses.grantEnds().endDue(); // before its time: a recorded end is finished all the same
        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.ending().reason()).isEqualTo(Reason.GRANT_ENDED);
        assertThat(d.iam.count("RemoveUserFromGroup")).isEqualTo(1);
    }

    @Test
    void anEndIamRefusesStaysRecordedAndTheNextSweepFinishesIt() {
        String id = granted(Duration.ofHours(1));
        d.clock.advance(Duration.ofHours(1));
        d.iam.failNext("RemoveUserFromGroup", InMemoryIam.error(IamException.Kind.THROTTLED, "Throttling"));

        assertThat(d.uses.grantEnds().endDue()).isZero();
        assertThat(d.request(id).status()).isEqualTo(Status.GRANTED);
        assertThat(d.request(id).step()).isEqualTo(Step.GRANT_ENDING);
        assertThat(inAdmins()).isTrue();

        assertThat(d.uses.grantEnds().endDue()).isEqualTo(1);
        assertThat(inAdmins()).isFalse();
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
    }

    @Test
    void aWorkerHoldingTheGrantKeepsOthersFromEndingIt() {
        String id = granted(Duration.ofHours(1));
        d.clock.advance(Duration.ofHours(1));
        assertThat(d.leases.claim(id, "worker-2", d.clock.instant(), d.clock.instant().plus(Duration.ofMinutes(5)))).isTrue();

        assertThat(d.uses.grantEnds().endDue()).isZero();
        assertThat(inAdmins()).isTrue();

        d.clock.advance(Duration.ofMinutes(6)); // worker-2 died: its claim runs out
        assertThat(d.uses.grantEnds().endDue()).isEqualTo(1);
        assertThat(inAdmins()).isFalse();
    }

    @Test
    void thePersonIsRemindedOnceShortlyBeforeTheEnd() {
        String id = granted(Duration.ofHours(2));

        d.clock.advance(Duration.ofHours(2).minus(Domain.GRANT_REMINDER).minusMinutes(1));
        d.uses.reminders().send();
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).doesNotContain("remindGrantEnding");

        d.clock.advance(Duration.ofMinutes(2));
        d.uses.reminders().send();
        d.uses.reminders().send();
        assertThat(d.slack.toldTo(ALICE)).extracting(RecordingNotifier.Told::what).containsOnlyOnce("remindGrantEnding");
        assertThat(d.auditActions(id)).contains("remind-person=ok");
    }

    @Test
    void aRunningGrantDoesNotKeepOtherRequestsForTheUserOut() {
        granted(Duration.ofHours(2));
        assertThat(d.submitted(ALICE, Kind.RESET_PASSWORD, "sampleUser", ALICE)).isNotNull();
    }

    @Test
    void aPersonWhoLeftSlackLosesTheirGrantAtOnce() {
        String id = granted(Duration.ofHours(4));

        d.uses.departures().personLeft(ALICE, "alice left");

        Request ended = d.request(id);
        assertThat(ended.status()).isEqualTo(Status.DONE);
        assertThat(ended.ending().reason()).isEqualTo(Reason.PERSON_LEFT);
        assertThat(inAdmins()).isFalse();
        assertThat(d.auditActions(id)).contains("person-left=ok", "iam:RemoveUserFromGroup=ok");
    }
}
