package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.NOW;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Links: made with the user, gone with it, adopted from our tag, backfilled once from the history. */
class LinksUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void anOnboardingLinksTheUserToItsPersonByUserIdInTheWriteThatRecordsIt() {
        String id = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        Request waiting = d.approve(id);

        Link link = d.links.byName("SAMPLEUSER").orElseThrow();
        assertThat(link.iamUserId()).isEqualTo(d.iam.user("sampleUser").orElseThrow().userId).isEqualTo(waiting.iamUserId());
        assertThat(link.slackUserId()).isEqualTo(ALICE);
        assertThat(link.how()).isEqualTo(Link.How.ONBOARDED);
        assertThat(link.madeBy()).isEqualTo(APPROVER);
        assertThat(link.slackTeamId()).isEqualTo(Domain.TEAM);
        assertThat(link.accountId()).isEqualTo(InMemoryIam.ACCOUNT);
    }

    @Test
    void theLinkGoesWithTheUserWhenAnOffboardingOrAnUndoDeletesIt() {
        d.onboardAlice();
        String offboarding = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);
        d.approve(offboarding);
        assertThat(d.links.all()).isEmpty();

        d.iam.failNext("CreateVirtualMFADevice", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));
        String failing = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        assertThat(d.approve(failing).status()).isEqualTo(Status.FAILED);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(d.links.all()).isEmpty();
    }

    @Test
    void aUserCarryingOurSlackUserTagIsAdoptedWhenTheBotFirstMeetsIt() {
        d.iam.existing("legacy", Map.of(Tags.SLACK_USER, ALICE));
        String id = d.submitted(ALICE, Kind.RESET_PASSWORD, "legacy", null);

        assertThat(d.request(id).targetUserId()).isEqualTo(ALICE);
        Link link = d.links.byName("legacy").orElseThrow();
        assertThat(link.how()).isEqualTo(Link.How.ADOPTED);
        assertThat(link.madeBy()).isEqualTo(AuditLog.BOT);
    }

    @Test
    void theNewDeviceTakesTheNameAsIamSpellsItWhateverWasTyped() {
        d.onboardAlice();
        String id = d.submitted(APPROVER, Kind.RESET_MFA, "SAMPLEUSER", null);
        assertThat(d.request(id).iamUserName()).isEqualTo("sampleUser");

        Request waiting = d.approve(id);
        assertThat(waiting.mfaSerial()).endsWith(":mfa/sampleUser");
    }

    @Test
    void theHistoryIsBackfilledOnceIntoLinks() {
        // Rows from before links: a finished onboarding of alice's, one of mallory's later offboarded.
        Request alices = legacyOnboarding("r-old-1", "sampleUser", ALICE);
        d.iam.existing("sampleUser", Map.of(Tags.REQUEST_ID, alices.id(), Tags.SLACK_USER, ALICE));
        Request mallorys = legacyOnboarding("r-old-2", "gone.user", MALLORY);
        d.store.insert(Request.submitted("r-old-3", Kind.OFFBOARD, "gone.user", MALLORY, APPROVER, List.of(), "", NOW.plusSeconds(1))
                .withApprover(APPROVER, NOW.plusSeconds(1)).withStep(Step.USER_DELETED, NOW.plusSeconds(1))
                .withStatus(Status.DONE, NOW.plusSeconds(1)));
        assertThat(mallorys.targetUserId()).isEqualTo(MALLORY);
        // A user of the same name as a finished request, made by hand without our tags: not linked.
        legacyOnboarding("r-old-4", "handmade", ALICE);
        d.iam.existing("handmade", Map.of());

        d.uses.sweeper().sweep();
        Link link = d.links.byName("sampleUser").orElseThrow();
        assertThat(link.slackUserId()).isEqualTo(ALICE);
        assertThat(link.how()).isEqualTo(Link.How.ONBOARDED);
        assertThat(d.links.byName("gone.user")).isEmpty();
        assertThat(d.links.byName("handmade")).isEmpty();
        assertThat(d.uses.status().status(ALICE, null, null).isDone()).isTrue();

        long reads = d.iam.count("GetUser");
        d.uses.sweeper().sweep();
        assertThat(d.iam.count("GetUser")).isEqualTo(reads);
    }

    private Request legacyOnboarding(String id, String name, String person) {
        d.store.insert(Request.newRequest(id, name, person, REQUESTER, List.of(), "", NOW));
        Request r = d.request(id);
        return d.store.replace(r, r.withApprover(APPROVER, NOW).withStatus(Status.DONE, NOW)).orElseThrow();
    }
}
