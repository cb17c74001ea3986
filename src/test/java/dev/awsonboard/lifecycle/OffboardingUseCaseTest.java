package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.awsonboard.lifecycle.Domain.ALICE;
import static dev.awsonboard.lifecycle.Domain.APPROVER;
import static dev.awsonboard.lifecycle.Domain.BOT;
import static dev.awsonboard.lifecycle.Domain.MALLORY;
import static dev.awsonboard.lifecycle.Domain.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/** Offboarding's story ({@link Offboarding}) and the departures that file it ({@link Departures}) on in-memory ports. */
class OffboardingUseCaseTest {
    private final Domain d = new Domain();

    @Test
    void everythingTheUserHoldsGoesInTheOrderIamDemandsThenTheUserAndTheSummarySaysWhat() {
        d.onboardAlice();
        String key = d.iam.giveAccessKey("sampleUser");
        String id = d.submitted(APPROVER, Kind.OFFBOARD, null, ALICE);
        List<Holding> plan = d.request(id).plan();
        assertThat(plan).extracting(Holding::type).containsExactly(Holding.Type.LOGIN_PROFILE, Holding.Type.ACCESS_KEY,
                Holding.Type.VIRTUAL_MFA_DEVICE, Holding.Type.MANAGED_POLICY, Holding.Type.GROUP);

        Request done = d.approve(id);
        assertThat(done.status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser")).isEmpty();
        assertThat(done.removed()).containsExactlyElementsOf(plan);
        assertThat(done.removed()).contains(new Holding(Holding.Type.ACCESS_KEY, key));
        assertThat(d.iam.calls()).containsSubsequence("DeleteLoginProfile", "DeleteAccessKey", "DeactivateMFADevice",
                "DeleteVirtualMFADevice", "DetachUserPolicy", "RemoveUserFromGroup", "DeleteUser");
        assertThat(d.iam.devices()).isEmpty();
    }

    @Test
    void aUserThisBotDidNotMakeIsRefusedUnlessAnyUserMayBeOffboarded() {
        d.iam.existing("legacy", Map.of());
        assertThat(d.request(d.ask(APPROVER, Kind.OFFBOARD, "legacy", null).notice().arg("id")).ending().reason())
                .isEqualTo(Reason.IAM_USER_NOT_OURS);

        Domain any = new Domain(s -> s.withProvisioning(new ProvisioningSettings(List.of(), "/", Map.of(), Optional.empty(),
                Optional.empty(), true, true)));
        any.iam.existing("legacy", Map.of());
        assertThat(any.ask(MALLORY, Kind.OFFBOARD, "legacy", null).isDone()).isTrue();
        assertThat(any.request("r-1").ending().reason()).isEqualTo(Reason.ONLY_FOR_YOURSELF);
        String id = any.submitted(APPROVER, Kind.OFFBOARD, "legacy", null);
        any.approve(id);
        assertThat(any.iam.user("legacy")).isEmpty();
    }

    @Test
    void anOffboardingReplacesASetupStillWaitingForItsPerson() {
        String onboarding = d.submitted(REQUESTER, Kind.ONBOARD, "sampleUser", ALICE);
        d.approve(onboarding);
        assertThat(d.slack.filesAlive()).hasSize(1);

        String id = d.submitted(APPROVER, Kind.OFFBOARD, "sampleUser", null);
        d.approve(id);

        assertThat(d.request(onboarding).status()).isEqualTo(Status.CANCELLED);
        assertThat(d.request(onboarding).ending().reason()).isEqualTo(Reason.SUPERSEDED);
        assertThat(d.slack.filesAlive()).isEmpty();
        assertThat(d.request(id).status()).isEqualTo(Status.DONE);
        assertThat(d.iam.user("sampleUser")).isEmpty();
    }

    @Test
    void aPersonWhoLeftGetsOneOffboardingFiledByTheBotForApprovalAndARepeatedEventFilesNothing() {
        d.onboardAlice();

        List<Outcome<Request>> first = d.uses.departures().personLeft(ALICE, "left");
        assertThat(first).hasSize(1).allMatch(Outcome::isDone);
        Request filed = d.request(((Outcome.Done<Request>) first.get(0)).value().id());
        assertThat(filed.requesterUserId()).isEqualTo(BOT);
        assertThat(filed.status()).isEqualTo(Status.REQUESTED);
        assertThat(d.iam.user("sampleUser")).isPresent();
        // The bot is not told about requests it filed.
        assertThat(d.slack.toldTo(BOT)).isEmpty();

        assertThat(d.uses.departures().personLeft(ALICE, "left")).noneMatch(Outcome::isDone);
        assertThat(d.store.findOpenByIamUserName("sampleUser")).hasSize(1);
    }

    @Test
    void underTheApproversRuleOnlyApproversMayAsk() {
        Domain strict = new Domain(s -> s.withPolicy(new AccessPolicy(java.util.Set.of(APPROVER), java.util.Set.of(), false,
                Map.of(Kind.OFFBOARD, AccessPolicy.Who.APPROVERS))));
        strict.onboardAlice();
        assertThat(strict.ask(ALICE, Kind.OFFBOARD, "sampleUser", ALICE).notice().reason()).isEqualTo(Reason.NOT_ALLOWED_TO_REQUEST);
    }
}
