package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.APPROVER_2;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Linking an existing IAM user to its person, and unlinking it ({@link Linking}, {@link Unlinking}). */
class LinkingUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void anExistingUserIsLinkedOnApprovalAfterTheApproversReadWhatIamSaysOfIt() {
        d.iam.existing("alice.old", Map.of());
        String key = d.iam.giveAccessKey("alice.old");
        String unused = d.iam.giveAccessKey("alice.old");
        d.iam.useAccessKey(key, Instant.parse("2026-10-01T08:00:00Z"));
        String id = d.submitted(APPROVER, Kind.LINK, "ALICE.OLD", ALICE);

        Request asked = d.request(id);
        assertThat(asked.iamUserName()).isEqualTo("alice.old");
        assertThat(asked.targetUserId()).isEqualTo(ALICE);
        assertThat(asked.linkedTo()).isNull();
        assertThat(asked.plan()).containsExactly(new Holding(Holding.Type.ACCESS_KEY, key, "2026-10-01"),
                new Holding(Holding.Type.ACCESS_KEY, unused, Holding.NEVER_USED));
        assertThat(d.iam.calls()).doesNotContain("TagUser");

        assertThat(d.approve(id).status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("alice.old").orElseThrow().tags).containsEntry(Tags.SLACK_USER, ALICE);
        Link link = d.links.byName("alice.old").orElseThrow();
        assertThat(link.how()).isEqualTo(Link.How.LINKED);
        assertThat(link.madeBy()).isEqualTo(APPROVER_2);
        // Now it is hers: she may reset it herself.
        assertThat(d.submitted(ALICE, Kind.RESET_PASSWORD, "alice.old", null)).isNotNull();
    }

    @Test
    void aPersonMayAskToLinkAUserToThemselvesOnlyAndAnApproverDecides() {
        d.iam.existing("alice.old", Map.of());
        assertThat(d.ask(MALLORY, Kind.LINK, "alice.old", ALICE).notice().reason()).isEqualTo(Reason.ONLY_FOR_YOURSELF);
        String own = d.submitted(ALICE, Kind.LINK, "alice.old", ALICE);
        assertThat(d.uses.decisions().approve(own, ALICE).notice().reason()).isEqualTo(Reason.ONLY_APPROVERS_APPROVE);
        assertThat(d.approve(own).status()).isEqualTo(Status.DONE);
        assertThat(d.links.byName("alice.old").orElseThrow().slackUserId()).isEqualTo(ALICE);
    }

    @Test
    void aRelinkShowsWhoseItWasAndMovesItAndLinkingToTheSameOwnerIsRefused() {
        d.onboardAlice();
        Request same = d.request(d.ask(APPROVER, Kind.LINK, "sampleUser", ALICE).notice().arg("id"));
        assertThat(same.ending().reason()).isEqualTo(Reason.ALREADY_LINKED);

        String id = d.submitted(APPROVER, Kind.LINK, "sampleUser", MALLORY);
        assertThat(d.request(id).linkedTo()).isEqualTo(ALICE);
        d.approve(id);
        assertThat(d.links.byName("sampleUser").orElseThrow().slackUserId()).isEqualTo(MALLORY);
        assertThat(d.iam.user("sampleUser").orElseThrow().tags).containsEntry(Tags.SLACK_USER, MALLORY);
    }

    @Test
    void aLinkWhoseRecordFailsAfterTheTagPutsTheTagBack() {
        d.iam.existing("alice.old", Map.of());
        String id = d.submitted(APPROVER, Kind.LINK, "alice.old", ALICE);
        d.iam.failNext("TagUser", InMemoryIam.error(IamException.Kind.ACCESS_DENIED, "AccessDenied"));

        Request failed = d.approve(id);
        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.ending().reason()).isEqualTo(Reason.IAM_ACCESS_DENIED);
        assertThat(d.links.byName("alice.old")).isEmpty();
        assertThat(d.iam.user("alice.old").orElseThrow().tags).doesNotContainKey(Tags.SLACK_USER);
    }

    @Test
    void unlinkingTakesTheTagAndTheLinkAwaySoTheUserCannotBeResetUntilLinkedAgain() {
        d.onboardAlice();
        assertThat(d.request(d.ask(REQUESTER, Kind.UNLINK, "sampleUser", null).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.ONLY_FOR_YOURSELF);

        String id = d.submitted(ALICE, Kind.UNLINK, "sampleUser", null);
        assertThat(d.request(id).linkedTo()).isEqualTo(ALICE);
        assertThat(d.approve(id).status()).isEqualTo(Status.DONE);

        assertThat(d.links.byName("sampleUser")).isEmpty();
        assertThat(d.iam.user("sampleUser").orElseThrow().tags).doesNotContainKey(Tags.SLACK_USER)
                .containsKey(Tags.REQUEST_ID);
        assertThat(d.request(d.ask(APPROVER, Kind.RESET_MFA, "sampleUser", null).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.IAM_USER_OWNER_UNKNOWN);
        assertThat(d.request(d.ask(APPROVER, Kind.UNLINK, "sampleUser", null).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.NOT_LINKED);
    }
}
