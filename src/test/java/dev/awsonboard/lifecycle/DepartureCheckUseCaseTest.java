package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.LinkChange;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.port.People;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.BOT;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * People who leave without Slack telling: the periodic check looks at every linked person and files
 * the offboarding for anyone deactivated, once per IAM user, whatever the event did and the approvers decided.
 */
class DepartureCheckUseCaseTest {
    private final Domain d = new Domain();

    private DepartureCheck.Report check() {
        return d.uses.departureCheck().run(person -> person + " left (found by the check)");
    }

    private List<Request> offboardings() {
        return d.store.findByIamUserName("sampleUser").stream().filter(r -> r.kind() == Kind.OFFBOARD).toList();
    }

    private void deactivate(String person) {
        d.slack.person(new People.Person(person, true, false, false));
    }

    private void linkToMallory(String name) {
        d.iam.existing(name, "/", Map.of(), true);
        d.links.apply(new LinkChange.Put(new Link(InMemoryIam.ACCOUNT, d.iam.user(name).orElseThrow().userId, name, Domain.TEAM,
                MALLORY, Link.How.LINKED, APPROVER, Domain.NOW)));
    }

    @Test
    void aLinkedPersonDeactivatedWithoutAnEventGetsOneOffboardingForTheApprovers() {
        d.onboardAlice();
        deactivate(ALICE);

        DepartureCheck.Report report = check();

        assertThat(report).isEqualTo(new DepartureCheck.Report(1, 1, 1));
        assertThat(offboardings()).singleElement().satisfies(r -> {
            assertThat(r.requesterUserId()).isEqualTo(BOT);
            assertThat(r.targetUserId()).isEqualTo(ALICE);
            assertThat(r.status()).as("nothing is removed before an approver approves").isEqualTo(Status.REQUESTED);
            assertThat(r.reason()).isEqualTo(ALICE + " left (found by the check)");
        });
    }

    @Test
    void aDeniedOffboardingIsNotFiledAgainByTheNextChecksOrTheEventAndSlackIsNotAskedAgain() {
        d.onboardAlice();
        deactivate(ALICE);
        check();
        d.uses.decisions().deny(offboardings().get(0).id(), APPROVER);

        DepartureCheck.Report again = check();
        d.uses.departures().personLeft(ALICE, "the event, late");

        assertThat(again).as("nobody looked at: everything of alice's was filed for").isEqualTo(new DepartureCheck.Report(0, 0, 0));
        assertThat(offboardings()).singleElement().extracting(Request::status).isEqualTo(Status.DENIED);
    }

    @Test
    void theEventFirstThenTheCheckFilesOneOffboarding() {
        d.onboardAlice();
        deactivate(ALICE);

        d.uses.departures().personLeft(ALICE, "the event");
        DepartureCheck.Report report = check();

        assertThat(report.filed()).isZero();
        assertThat(offboardings()).hasSize(1);
    }

    @Test
    void activePeopleAreLookedAtOneAtATimePacedWithinSlacksTierAndNothingIsFiled() {
        d.onboardAlice();
        linkToMallory("mallory.old");

        DepartureCheck.Report report = check();

        assertThat(report).isEqualTo(new DepartureCheck.Report(2, 0, 0));
        assertThat(d.paused.get()).as("one pause between two users.info").isEqualTo(DepartureCheck.PACE.toMillis());
        assertThat(d.store.findByStatus(java.util.EnumSet.of(Status.REQUESTED))).isEmpty();
    }

    @Test
    void aPersonWithSeveralIamUsersGetsAnOffboardingForEachOnce() {
        linkToMallory("mallory.old");
        linkToMallory("mallory.ops");
        deactivate(MALLORY);

        assertThat(check()).isEqualTo(new DepartureCheck.Report(1, 1, 2));
        assertThat(check().looked()).isZero();
    }

    @Test
    void whileAnotherReplicaChecksThisOneDoesNothing() {
        d.onboardAlice();
        deactivate(ALICE);
        d.leases.claim(DepartureCheck.LEASE, "replica-2", d.clock.instant(), d.clock.instant().plus(Duration.ofMinutes(5)));

        assertThat(check()).isEqualTo(new DepartureCheck.Report(0, 0, 0));
        assertThat(offboardings()).isEmpty();

        d.clock.advance(Duration.ofMinutes(6)); // that replica died: its lease runs out
        assertThat(check().filed()).isEqualTo(1);
    }

    @Test
    void slackFailingForOnePersonLeavesThemToTheNextCheck() {
        d.onboardAlice();
        deactivate(ALICE);
        d.slack.refuse("users.info", "ratelimited");

        assertThat(check()).isEqualTo(new DepartureCheck.Report(1, 0, 0));

        d.slack.accept("users.info");
        assertThat(check().filed()).isEqualTo(1);
    }
}
