package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.APPROVER_2;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approval rules on in-memory ports: which rules a request is under (by kind, by group, all of several, the
 * default), who may approve under them (people, Slack user groups, silent approvers), and two-person approval.
 */
class ApprovalRulesUseCaseTest {
    static final String SECURITY = "USECURITY1";
    static final String SECURITY_2 = "USECURITY2";
    static final String HR = "UHR0000001";
    static final String CTO = "UCTO000001";
    static final String ADMINS_GROUP = "S0ADMINS";

    static ApprovalRule rule(String name, Set<Kind> kinds, Set<String> groups, List<String> approvers, int approvals) {
        return new ApprovalRule(name, kinds, groups, approvers, approvals, ApprovalRule.Announce.channel("CADMINS"), Set.of(),
                Duration.ofHours(8));
    }

    /** Onboarding into admins needs two of the security people; offboarding needs HR; everything else the approvers. */
    private static Domain domain(ApprovalRule... rules) {
        Domain d = new Domain(s -> new Domain.Settings(s.policy(), s.provisioning(), List.of("developers", "admins"), List.of(rules), s.retry()));
        d.iam.group("admins");
        for (String person : List.of(SECURITY, SECURITY_2, HR, CTO)) {
            d.slack.person(person);
        }
        return d;
    }

    private static final ApprovalRule ADMINS = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"),
            List.of(SECURITY, SECURITY_2, APPROVER), 2);
    private static final ApprovalRule OFFBOARDING = rule("offboarding", Set.of(Kind.OFFBOARD), Set.of(), List.of(HR), 1);

    @Test
    void aRequestNoRuleCoversGoesToTheApproversForOneApprovalAsBefore() {
        Domain d = domain(ADMINS, OFFBOARDING);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers");

        Request r = d.request(id);
        assertThat(r.needs()).containsExactly(new ApprovalNeed(ApprovalRule.DEFAULT, 1, List.of(APPROVER, APPROVER_2), List.of()));
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::what).containsExactly("postApprovalRequest");
        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
        assertThat(d.approve(id).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Test
    void aRuleCoversRequestsByKind() {
        Domain d = domain(ADMINS, OFFBOARDING);
        String onboarding = d.onboardAlice();
        String offboarding = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);

        assertThat(d.request(onboarding).status()).isEqualTo(Status.DONE);
        assertThat(d.request(offboarding).needs()).extracting(ApprovalNeed::rule).containsExactly("offboarding");
        // The rule's channel, not the default one.
        assertThat(d.slack.toldTo("CADMINS")).extracting(RecordingNotifier.Told::requestId).containsExactly(offboarding);
        assertThat(d.uses.decisions().approve(offboarding, APPROVER_2).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
        assertThat(d.uses.decisions().approve(offboarding, HR).isDone()).isTrue();
        assertThat(d.request(offboarding).status()).isEqualTo(Status.DONE);
        assertThat(d.request(offboarding).approverUserId()).isEqualTo(HR);
    }

    @Test
    void aRuleCoversOnboardingByTheGroupsItGives() {
        Domain d = domain(ADMINS, OFFBOARDING);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        assertThat(d.request(id).needs()).containsExactly(new ApprovalNeed("admins", 2, List.of(SECURITY, SECURITY_2, APPROVER), List.of()));
        assertThat(d.uses.decisions().approve(id, APPROVER_2).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
    }

    @Test
    void twoApprovalsFromDifferentApproversStartTheRunOnTheSecond() {
        Domain d = domain(ADMINS);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        Outcome<Request> first = d.uses.decisions().approve(id, SECURITY);
        assertThat(first.notice().reason()).isEqualTo(Reason.APPROVAL_RECORDED);
        assertThat(first.notice().args()).containsEntry("done", "1").containsEntry("needed", "2");
        Request waiting = d.request(id);
        assertThat(waiting.status()).isEqualTo(Status.REQUESTED);
        assertThat(waiting.approvers()).containsExactly(SECURITY);
        assertThat(waiting.approverUserId()).isNull();
        assertThat(waiting.needs()).containsExactly(new ApprovalNeed("admins", 2, List.of(SECURITY, SECURITY_2, APPROVER), List.of(SECURITY)));
        assertThat(d.iam.calls()).doesNotContain("CreateUser");
        // Every copy of the approval message is redrawn to say who approved.
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).isEmpty();
        assertThat(d.slack.toldTo("CADMINS")).extracting(RecordingNotifier.Told::what)
                .containsExactly("postApprovalRequest", "refreshApprovalRequest");

        assertThat(d.uses.decisions().approve(id, SECURITY_2).notice().reason()).isEqualTo(Reason.APPROVED);
        Request approved = d.request(id);
        assertThat(approved.status()).isEqualTo(Status.AWAITING_MFA);
        assertThat(approved.approvers()).containsExactly(SECURITY, SECURITY_2);
        assertThat(approved.approverUserId()).isEqualTo(SECURITY_2);
        assertThat(d.iam.count("CreateUser")).isEqualTo(1);
        assertThat(d.iam.user("sampleUser").orElseThrow().groups).containsExactly("admins");
        assertThat(d.auditActions(id)).containsSubsequence("approve=ok", "approve=ok", "iam:CreateUser=ok");
        assertThat(d.store.auditTrail(id)).filteredOn(e -> e.action().equals("approve")).extracting(e -> e.detail())
                .containsExactly("kind=ONBOARD iamUser=sampleUser rules admins 1/2", "kind=ONBOARD iamUser=sampleUser rules admins 2/2");
    }

    @Test
    void theSameApproverTwiceCountsOnce() {
        Domain d = domain(ADMINS);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        d.uses.decisions().approve(id, SECURITY);
        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.ALREADY_APPROVED_BY_YOU);

        assertThat(d.request(id).status()).isEqualTo(Status.REQUESTED);
        assertThat(d.request(id).approvers()).containsExactly(SECURITY);
    }

    @Test
    void theRequesterCannotBeOneOfTheTwoNorThePerson() {
        Domain d = domain(ADMINS);
        String id = d.submitted(SECURITY, Kind.ONBOARD, "sampleUser", SECURITY_2, "admins");

        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.OWN_REQUEST);
        assertThat(d.uses.decisions().approve(id, SECURITY_2).notice().reason()).isEqualTo(Reason.OWN_ACCESS);
        assertThat(d.request(id).approvals()).isEmpty();

        // Only the third approver is left, and two approvals are needed: the request waits.
        assertThat(d.uses.decisions().approve(id, APPROVER).notice().reason()).isEqualTo(Reason.APPROVAL_RECORDED);
        assertThat(d.request(id).status()).isEqualTo(Status.REQUESTED);
    }

    @Test
    void oneDenyAfterTheFirstApprovalEndsTheRequest() {
        Domain d = domain(ADMINS);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        d.uses.decisions().approve(id, SECURITY);
        assertThat(d.uses.decisions().deny(id, SECURITY_2).notice().reason()).isEqualTo(Reason.DENIED);

        Request denied = d.request(id);
        assertThat(denied.status()).isEqualTo(Status.DENIED);
        assertThat(denied.approverUserId()).isEqualTo(SECURITY_2);
        assertThat(denied.approvers()).containsExactly(SECURITY);
        assertThat(d.uses.decisions().approve(id, APPROVER).notice().reason()).isEqualTo(Reason.ALREADY_DECIDED_BY);
        assertThat(d.iam.calls()).doesNotContain("CreateUser");
        assertThat(d.store.auditTrail(id)).filteredOn(e -> e.action().equals("deny")).singleElement()
                .satisfies(e -> assertThat(e.detail()).endsWith("after approvals by " + SECURITY));
    }

    @Test
    void aRequestUnderSeveralRulesNeedsEachOfThem() {
        ApprovalRule developers = rule("developers", Set.of(Kind.ONBOARD), Set.of("developers"), List.of(APPROVER), 1);
        ApprovalRule admins = rule("admins", Set.of(Kind.ONBOARD), Set.of("ADMINS"), List.of(SECURITY), 1);
        Domain d = domain(developers, admins);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers", "admins");

        assertThat(d.request(id).needs()).extracting(ApprovalNeed::rule).containsExactly("developers", "admins");
        assertThat(d.uses.decisions().approve(id, APPROVER).notice().reason()).isEqualTo(Reason.APPROVAL_RECORDED);
        assertThat(d.request(id).status()).isEqualTo(Status.REQUESTED);
        assertThat(d.request(id).needs()).extracting(ApprovalNeed::met).containsExactly(true, false);

        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.APPROVED);
        assertThat(d.request(id).status()).isEqualTo(Status.AWAITING_MFA);
        // developers alone is the developers rule only
        String other = d.submitted(REQUESTER, Kind.ONBOARD, "otherUser", Domain.MALLORY, "developers");
        assertThat(d.request(other).needs()).extracting(ApprovalNeed::rule).containsExactly("developers");
    }

    @Test
    void oneApproverInSeveralRulesCountsForEachOfThem() {
        ApprovalRule developers = rule("developers", Set.of(Kind.ONBOARD), Set.of("developers"), List.of(SECURITY), 1);
        ApprovalRule admins = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(SECURITY, SECURITY_2), 2);
        Domain d = domain(developers, admins);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "developers", "admins");

        d.uses.decisions().approve(id, SECURITY);
        assertThat(d.request(id).needs()).extracting(n -> n.approvedBy().size()).containsExactly(1, 1);
        d.uses.decisions().approve(id, SECURITY_2);
        assertThat(d.request(id).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Test
    void userGroupMembersAreTheApproversTheGroupStandsFor() {
        ApprovalRule rule = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(ADMINS_GROUP), 1);
        Domain d = domain(rule);
        d.slack.userGroup(ADMINS_GROUP, SECURITY, SECURITY_2);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        assertThat(d.request(id).needs().get(0).approvers()).containsExactly(ADMINS_GROUP);
        assertThat(d.uses.decisions().approve(id, APPROVER).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
        assertThat(d.uses.decisions().approve(id, SECURITY_2).notice().reason()).isEqualTo(Reason.APPROVED);
        assertThat(d.uses.approvers().isApprover(SECURITY)).isTrue();
        assertThat(d.uses.approvers().everyone()).contains(SECURITY, SECURITY_2, APPROVER);
    }

    @Test
    void aUserGroupSlackWillNotNameDecidesNothingAndTheClickCanComeAgain() {
        ApprovalRule rule = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(ADMINS_GROUP), 1);
        Domain d = domain(rule);
        d.slack.userGroup(ADMINS_GROUP, SECURITY);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");
        d.slack.refuse("usergroups.users.list", "ratelimited");

        Outcome<Request> refused = d.uses.decisions().approve(id, SECURITY);
        assertThat(refused.notice().reason()).isEqualTo(Reason.APPROVERS_NOT_KNOWN_YET);
        assertThat(refused.notice().arg("code")).isEqualTo("ratelimited");
        assertThat(d.request(id).status()).isEqualTo(Status.REQUESTED);

        d.slack.accept("usergroups.users.list");
        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.APPROVED);
    }

    @Test
    void membersAreReadAgainOnceTheyAreOldSoAPersonWhoLeftTheGroupNoLongerApproves() {
        ApprovalRule rule = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(ADMINS_GROUP), 1);
        Domain d = domain(rule);
        d.slack.userGroup(ADMINS_GROUP, SECURITY);
        d.uses.approvers().refresh();
        assertThat(d.uses.approvers().isApprover(SECURITY)).isTrue();

        d.slack.userGroup(ADMINS_GROUP, SECURITY_2);
        d.uses.approvers().refresh();
        assertThat(d.uses.approvers().isApprover(SECURITY)).isTrue(); // still fresh: Slack is not asked again

        d.clock.advance(Approvers.FRESH);
        d.uses.approvers().refresh();
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");
        assertThat(d.uses.decisions().approve(id, SECURITY).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
        assertThat(d.uses.decisions().approve(id, SECURITY_2).notice().reason()).isEqualTo(Reason.APPROVED);
    }

    @Test
    void silentApproversMayApproveButAreNeitherAskedNorReminded() {
        ApprovalRule rule = new ApprovalRule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(SECURITY), 1,
                ApprovalRule.Announce.DM, Set.of(CTO), Duration.ofHours(8));
        Domain d = domain(rule);
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE, "admins");

        // announce: dm: each (pinged) approver gets a copy in a DM; the silent one none.
        assertThat(d.slack.toldTo(SECURITY)).extracting(RecordingNotifier.Told::what).containsExactly("postApprovalRequest");
        assertThat(d.slack.toldTo(CTO)).isEmpty();
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).isEmpty();
        assertThat(d.request(id).needs().get(0).approvers()).containsExactly(SECURITY);

        d.clock.advance(Duration.ofHours(5));
        d.uses.reminders().send();
        assertThat(d.slack.toldTo(RecordingNotifier.APPROVALS)).extracting(RecordingNotifier.Told::what).containsExactly("remindApprovers");
        assertThat(d.uses.approvers().toRemind(d.request(id))).containsExactly(SECURITY);

        assertThat(d.uses.decisions().approve(id, CTO).notice().reason()).isEqualTo(Reason.APPROVED);
    }

    @Test
    void remindersNameOnlyTheApproversWhoMayStillDecide() {
        Domain d = domain(ADMINS);
        String id = d.submitted(SECURITY, Kind.ONBOARD, "sampleUser", ALICE, "admins");
        d.uses.decisions().approve(id, SECURITY_2);

        // SECURITY asked for it, SECURITY_2 approved already: APPROVER is the one who can finish it.
        assertThat(d.uses.approvers().toRemind(d.request(id))).containsExactly(APPROVER);
    }

    @Test
    void theRequesterMayCancelAndARuleApproverMayToo() {
        Domain d = domain(OFFBOARDING);
        d.onboardAlice();
        String id = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);
        assertThat(d.uses.decisions().cancel(id, HR).isDone()).isTrue();
        assertThat(d.request(id).status()).isEqualTo(Status.CANCELLED);
    }

    @Test
    void aUserGroupSlackKeepsRefusingIsAskedForAtMostOnceAMinuteByRedrawsAndRoleChecks() {
        ApprovalRule rule = rule("admins", Set.of(Kind.ONBOARD), Set.of("admins"), List.of(ADMINS_GROUP), 1);
        Domain d = domain(rule);
        d.slack.refuse("usergroups.users.list", "missing_scope");

        for (int i = 0; i < 20; i++) {
            assertThat(d.uses.approvers().isApprover(SECURITY)).isFalse();
            d.uses.approvers().everyone();
        }
        assertThat(d.slack.userGroupReads()).isEqualTo(1);

        d.clock.advance(Approvers.RETRY);
        d.uses.approvers().isApprover(SECURITY);
        assertThat(d.slack.userGroupReads()).isEqualTo(2);
    }
}
