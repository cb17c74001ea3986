package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.People;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** The account's IAM users for approvers: one credential report, the links, suggested links, MFA coverage. */
class AccountUsersUseCaseTest {
    private static final String BOB = "UBOB000001";
    private static final String CAROL = "UCAROL0001";
    private final Domain d = new Domain();

    private AccountUsers users() {
        return d.uses.accountUsers();
    }

    private AccountUsers.Roster roster() {
        Outcome<AccountUsers.Roster> outcome = users().forApprover(APPROVER);
        if (!(outcome instanceof Outcome.Done<AccountUsers.Roster> done)) {
            throw new AssertionError("refused: " + outcome.notice());
        }
        return done.value();
    }

    private void member(String id, String email) {
        d.slack.person(id);
        d.emails.put(email, id);
    }

    @Test
    void onlyApproversSeeTheAccountsUsersAndNobodyElseMakesIamWork() {
        Outcome<AccountUsers.Roster> outcome = users().forApprover(MALLORY);

        assertThat(outcome.isDone()).isFalse();
        assertThat(outcome.notice().reason()).isEqualTo(Reason.USERS_NOT_ALLOWED);
        assertThat(d.iam.calls()).isEmpty();
    }

    @Test
    void everyUserIsListedFromOneReportWithItsLinkAndNoCallPerUser() {
        d.onboardAlice();
        d.iam.existing("legacy.admin", "/", Map.of(), true);
        d.iam.existing("ci-deploy", "/", Map.of(), false);
        int before = d.iam.calls().size();

        AccountUsers.Roster roster = roster();

        assertThat(roster.rows()).extracting(r -> r.user().name()).containsExactly("ci-deploy", "legacy.admin", "sampleUser");
        assertThat(roster.rows().get(2).link()).map(Link::slackUserId).contains(ALICE);
        assertThat(roster.rows().get(2).user().mfaActive()).isTrue();
        assertThat(roster.rows().get(1).linked()).isFalse();
        assertThat(d.iam.calls().subList(before, d.iam.calls().size()))
                .as("one report; tags only of unlinked users, to find suggestions")
                .containsExactly("GenerateCredentialReport", "GetCredentialReport", "ListUserTags", "ListUserTags");
    }

    @Test
    void onlyUsersUnderTheIamPathAreListed() {
        Domain under = new Domain(s -> s.withProvisioning(new ProvisioningSettings(List.of(), "/people/", Map.of(),
                Optional.empty(), Optional.empty(), true, false)));
        under.iam.existing("inside", "/people/", Map.of(), true);
        under.iam.existing("deeper", "/people/team-a/", Map.of(), true);
        under.iam.existing("outside", "/", Map.of(), true);

        Outcome<AccountUsers.Roster> outcome = under.uses.accountUsers().forApprover(APPROVER);

        assertThat(((Outcome.Done<AccountUsers.Roster>) outcome).value().rows()).extracting(r -> r.user().name())
                .containsExactly("deeper", "inside");
    }

    @Test
    void theReportIsReadAtMostEveryFourHoursWhileLinksAreReadEachTime() {
        d.iam.existing("legacy.admin", "/", Map.of(), true);
        roster();
        d.links.apply(new LinkChange.Put(new Link(InMemoryIam.ACCOUNT, d.iam.user("legacy.admin").orElseThrow().userId,
                "legacy.admin", Domain.TEAM, MALLORY, Link.How.LINKED, APPROVER, Domain.NOW)));
        d.clock.advance(Duration.ofHours(3).plusMinutes(59));

        AccountUsers.Roster again = roster();

        assertThat(again.rows().get(0).link()).map(Link::slackUserId).contains(MALLORY);
        assertThat(d.iam.count("GetCredentialReport")).isEqualTo(1);
        d.clock.advance(Duration.ofMinutes(1));
        roster();
        assertThat(d.iam.count("GetCredentialReport")).isEqualTo(2);
        assertThat(d.iam.reportsGenerated()).isEqualTo(2);
    }

    @Test
    void aReportStillInProgressWhenAppHomeLooksIsReadAtTheNextLookWithoutANewReport() {
        d.iam.existing("legacy.admin", "/", Map.of(), true);
        d.iam.reportInProgressFor(1);

        assertThat(users().refreshIfStale()).isFalse();
        assertThat(users().known()).as("the use-case tests' IAM retry never waits").isEmpty();

        assertThat(users().refreshIfStale()).isTrue();
        assertThat(users().known()).hasValueSatisfying(r -> assertThat(r.rows()).hasSize(1));
        assertThat(users().refreshIfStale()).as("nothing new to read").isFalse();
        assertThat(d.iam.reportsGenerated()).isEqualTo(1);
    }

    @Test
    void aReportStillInProgressAfterTheRetriesIsToldAsIamNotReadable() {
        d.iam.reportInProgressFor(1);

        Outcome<AccountUsers.Roster> outcome = users().forApprover(APPROVER);

        // The use-case tests' IAM retry never waits: one ReportInProgress is all it takes.
        assertThat(outcome.notice().reason()).isEqualTo(Reason.IAM_CHECK_FAILED);
        assertThat(outcome.notice().arg("code")).isEqualTo("ReportInProgress");
        assertThat(users().forApprover(APPROVER).isDone()).isTrue();
        assertThat(d.iam.reportsGenerated()).isEqualTo(1);
    }

    @Test
    void mfaCoverageCountsConsoleUsersWithoutMfaLinkedAndNot() {
        d.onboardAlice(); // console password and MFA: covered
        d.iam.existing("legacy.admin", "/", Map.of(), true);
        d.iam.existing("old.ops", "/", Map.of(), true);
        d.iam.existing("ci-deploy", "/", Map.of(), false); // no console password: not IAM.5
        d.links.apply(new LinkChange.Put(new Link(InMemoryIam.ACCOUNT, d.iam.user("old.ops").orElseThrow().userId,
                "old.ops", Domain.TEAM, MALLORY, Link.How.LINKED, APPROVER, Domain.NOW)));

        AccountUsers.Roster roster = roster();

        assertThat(roster.coverage()).isEqualTo(new AccountUsers.Coverage(2, 1, 1));
        assertThat(roster.linkedWithoutMfa()).extracting(r -> r.user().name()).containsExactly("old.ops");
    }

    @Test
    void unlinkedUsersNamedOrTaggedWithAnAddressAreSuggestedToTheMemberRegisteredWithIt() {
        member(BOB, "bob@example.com");
        member(CAROL, "carol@example.com");
        d.iam.existing("bob.legacy", "/", Map.of("Email", " bob@example.com"), true);
        d.iam.existing("carol@example.com", "/", Map.of(), true);
        d.iam.existing("nobody.known", "/", Map.of("email", "ghost@example.com"), true);
        d.iam.existing("not-an-address", "/", Map.of("email", "bob at example"), true);

        AccountUsers.Roster roster = roster();

        assertThat(roster.suggested()).extracting(r -> r.suggestion().orElseThrow()).containsExactly(
                new AccountUsers.Suggestion("bob.legacy", "bob@example.com", AccountUsers.Suggestion.Source.TAG, BOB),
                new AccountUsers.Suggestion("carol@example.com", "carol@example.com", AccountUsers.Suggestion.Source.NAME, CAROL));
        assertThat(d.links.all()).as("never linked silently").isEmpty();
    }

    @Test
    void deactivatedMembersGuestsAndBotsAreNotSuggestedAndLinkedUsersNeedNone() {
        d.slack.person(new People.Person(BOB, true, false, false));
        d.emails.put("bob@example.com", BOB);
        d.slack.person(new People.Person(CAROL, false, false, true));
        d.emails.put("carol@example.com", CAROL);
        d.iam.existing("bob@example.com", "/", Map.of(), true);
        d.iam.existing("carol@example.com", "/", Map.of(), true);
        d.onboardAlice();
        d.emails.put("alice@example.com", ALICE);
        d.iam.user("sampleUser").orElseThrow().tags.put("email", "alice@example.com");

        assertThat(roster().suggested()).isEmpty();
    }

    @Test
    void aConfirmedSuggestionFilesALinkRequestAfterCheckingIamAndSlackAgain() {
        member(BOB, "bob@example.com");
        d.iam.existing("bob.legacy", "/", Map.of("email", "bob@example.com"), true);
        roster();

        Outcome<?> byMallory = users().confirm(MALLORY, "bob.legacy", BOB, "suggested");
        Outcome<?> otherPerson = users().confirm(APPROVER, "bob.legacy", MALLORY, "suggested");
        Outcome<Request> confirmed = users().confirm(APPROVER, "bob.legacy", BOB, "suggested");

        assertThat(byMallory.notice().reason()).isEqualTo(Reason.USERS_NOT_ALLOWED);
        assertThat(otherPerson.notice().reason()).isEqualTo(Reason.SUGGESTION_OUT_OF_DATE);
        assertThat(confirmed.notice().reason()).isEqualTo(Reason.SUBMITTED);
        assertThat(linkRequests()).singleElement().satisfies(r -> {
            assertThat(r.iamUserName()).isEqualTo("bob.legacy");
            assertThat(r.targetUserId()).isEqualTo(BOB);
            assertThat(r.requesterUserId()).isEqualTo(APPROVER);
            assertThat(r.status()).as("before another approver").isEqualTo(Status.REQUESTED);
        });
        assertThat(d.links.byName("bob.legacy")).as("never linked silently").isEmpty();
        assertThat(d.uses.decisions().approve(linkRequests().get(0).id(), APPROVER).isDone()).as("not by the same approver")
                .isFalse();

        d.approve(linkRequests().get(0).id());

        assertThat(d.links.byName("bob.legacy")).map(Link::slackUserId).contains(BOB);
        assertThat(roster().suggested()).as("linked now: nothing to suggest").isEmpty();
    }

    private List<Request> linkRequests() {
        return d.store.findByIamUserName("bob.legacy").stream().filter(r -> r.kind() == Kind.LINK).toList();
    }

    @Test
    void aSuggestionThatNoLongerHoldsIsOutOfDateAndFilesNothing() {
        member(BOB, "bob@example.com");
        member(CAROL, "carol@example.com");
        d.iam.existing("bob.legacy", "/", Map.of("email", "bob@example.com"), true);
        d.iam.existing("carol@example.com", "/", Map.of(), true);
        roster();
        d.iam.user("bob.legacy").orElseThrow().tags.put("email", "someone.else@example.com");
        d.links.apply(new LinkChange.Put(new Link(InMemoryIam.ACCOUNT, d.iam.user("carol@example.com").orElseThrow().userId,
                "carol@example.com", Domain.TEAM, CAROL, Link.How.LINKED, APPROVER, Domain.NOW)));

        Outcome<?> retagged = users().confirm(APPROVER, "bob.legacy", BOB, "suggested");
        Outcome<?> linked = users().confirm(APPROVER, "carol@example.com", CAROL, "suggested");
        Outcome<?> gone = users().confirm(APPROVER, "never.existed", BOB, "suggested");

        assertThat(List.of(retagged, linked, gone)).extracting(o -> o.notice().reason())
                .containsOnly(Reason.SUGGESTION_OUT_OF_DATE);
        assertThat(d.store.findByIamUserName("bob.legacy")).isEmpty();
    }

    @Test
    void iamRefusingTheReportIsToldWithItsCode() {
        d.iam.failNext("GenerateCredentialReport", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));

        Outcome<AccountUsers.Roster> outcome = users().forApprover(APPROVER);

        assertThat(outcome.notice().reason()).isEqualTo(Reason.IAM_CHECK_FAILED);
        assertThat(outcome.notice().arg("code")).isEqualTo("AccessDenied");
        assertThat(users().known()).isEmpty();
    }

    @Test
    void requestersWhoAreNotApproversCannotConfirmEvenWithAValidSuggestion() {
        member(BOB, "bob@example.com");
        d.iam.existing("bob.legacy", "/", Map.of("email", "bob@example.com"), true);

        assertThat(users().confirm(REQUESTER, "bob.legacy", BOB, "x").notice().reason()).isEqualTo(Reason.USERS_NOT_ALLOWED);
        assertThat(d.store.findByIamUserName("bob.legacy")).isEmpty();
    }
}
