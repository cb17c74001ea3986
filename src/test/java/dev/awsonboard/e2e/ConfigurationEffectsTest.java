package dev.awsonboard.e2e;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;

/** What each setting of the YAML file changes in what the bot creates and whom it asks. */
class ConfigurationEffectsTest {
    @TempDir
    Path dir;

    private TestBot start(String yaml, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("custom.yml"), yaml);
        Map<String, String> all = new HashMap<>(env);
        all.put("ONBOARD_CONFIG", file.toString());
        return TestBot.start(dir, all);
    }

    @Test
    void pathBoundaryTagsDefaultGroupsAndSignInUrlShapeTheCreatedUser() throws Exception {
        try (TestBot t = start("""
                groups: [developers]
                defaultGroups: [readonly]
                iamPath: /onboarded/
                permissionsBoundary: arn:aws:iam::123456789012:policy/OnboardedBoundary
                tags: {team: platform, cost-center: "42"}
                signInUrl: https://acme.signin.aws.amazon.com/console
                """, Map.of())) {
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            var r = t.awaitStatus(id, Status.AWAITING_MFA);
            FakeIam.User user = t.iam.user("sampleUser").orElseThrow();
            assertThat(user.path()).isEqualTo("/onboarded/");
            assertThat(user.groups()).containsExactlyInAnyOrder("readonly", "developers");
            assertThat(user.tags()).containsEntry("team", "platform").containsEntry("cost-center", "42");
            assertThat(t.iam.permissionsBoundaryOf("sampleUser")).isEqualTo("arn:aws:iam::123456789012:policy/OnboardedBoundary");
            assertThat(r.mfaSerial()).isEqualTo("arn:aws:iam::123456789012:mfa/onboarded/sampleUser");
            assertThat(t.slack.messages(dm(ALICE)).toString()).contains("https://acme.signin.aws.amazon.com/console");
            t.finishSetup(id);
        }
    }

    @Test
    void attachChangePasswordPolicyFalseAttachesNothingAndTheDmStillGivesTheSignInSteps() throws Exception {
        try (TestBot t = start("""
                groups: [developers]
                attachChangePasswordPolicy: false
                """, Map.of())) {
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            // The operator grants iam:ChangePassword another way (a group policy, the account setting).
            assertThat(t.iam.callCount("AttachUserPolicy")).isZero();
            assertThat(t.iam.holdings("sampleUser").orElseThrow().attachedPolicies()).isEmpty();
            assertThat(t.iam.user("sampleUser").orElseThrow().passwordResetRequired()).isTrue();
        }
    }

    @Test
    void accountAliasNamesTheSignInUrlAndTheAuthenticatorLabel() throws Exception {
        try (TestBot t = start("groups: [developers]\n", Map.of())) {
            t.iam.setAccountAlias("acme-prod");
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            assertThat(t.slack.messages(dm(ALICE)).toString()).contains("https://acme-prod.signin.aws.amazon.com/console");
            assertThat(TestBot.otpauthUri(t.qrFileFor(ALICE).bytes())).startsWith("otpauth://totp/Amazon%20Web%20Services:sampleUser@acme-prod?");
        }
    }

    @Test
    void withoutAnApprovalChannelEachApproverIsAskedByDmAndEveryCopyIsUpdated() throws Exception {
        try (TestBot t = start("groups: [developers]\n", Map.of("ONBOARD_APPROVAL_CHANNEL", ""))) {
            var asked = t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice>");
            assertThat(asked.body()).contains("Got it");
            assertThat(t.awaitFollowUp()).contains("waiting for approval");
            assertThat(t.slack.messages(dm(APPROVER))).hasSize(1);
            assertThat(t.slack.messages(dm(APPROVER_2))).hasSize(1);
            String id = t.slack.messages(dm(APPROVER)).get(0).blocks().toString().replaceAll(".*\"value\":\"(req-[0-9]+)\".*", "$1");
            t.click(APPROVER_2, "onboard_approve", id, dm(APPROVER_2));
            t.awaitStatus(id, Status.AWAITING_MFA);
            for (String approver : new String[] {APPROVER, APPROVER_2}) {
                assertThat(t.slack.messages(dm(approver)).get(0).blocks().toString()).doesNotContain("onboard_approve");
            }
        }
    }

    @Test
    void aGroupNameLongerThanAnOptionLabelStillLetsTheRequestFormOpen() throws Exception {
        // IAM group names run to 128 characters; a Block Kit option's text stops at 75.
        String longGroup = "platform-engineering-production-read-only-access-for-on-call-rotation-members-eu";
        try (TestBot t = start("groups: [developers, " + longGroup + "]\n", Map.of())) {
            int views = t.slack.callCount("views.open");
            var r = t.command(REQUESTER, "sampleUser");

            // The form opens on a worker right after the ack, not in it.
            var form = t.awaitOpenedView(views);
            assertThat(r.body() + t.followUps()).doesNotContain("could not open the form");
            assertThat(form.path("callback_id").asText()).isEqualTo("onboard_request_modal");
            assertThat(form.toString()).contains("\"value\":\"" + longGroup + "\"");
        }
    }

    @Test
    void onlyConfiguredRequestersMayAsk() throws Exception {
        try (TestBot t = start("groups: [developers]\nrequesters: [" + REQUESTER + "]\n", Map.of())) {
            var refused = t.command(MALLORY, "sampleUser <@" + ALICE + "|alice>");
            assertThat(refused.body()).contains("not allowed to request AWS access");
            assertThat(t.iam.calls()).isEmpty();
            assertThat(t.slack.messages(TestBot.APPROVAL_CHANNEL)).isEmpty();
            t.requestSampleUser();
        }
    }

    @Test
    void auditChannelGetsEveryDecisionAndIamCallWithoutSecrets() throws Exception {
        try (TestBot t = start("groups: [developers]\nauditChannel: CAUDIT0001\n", Map.of())) {
            t.slack.inviteBot("CAUDIT0001");
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            t.finishSetup(id);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> t.slack.messages("CAUDIT0001").toString().contains("activate"));
            String trail = t.slack.messages("CAUDIT0001").toString();
            assertThat(trail).contains("*request*", "*approve*", "iam:CreateUser", "iam:CreateLoginProfile",
                    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "<@" + APPROVER + ">");
            assertThat(trail).doesNotContain(t.iam.lastPasswordSetFor("sampleUser"));
            assertThat(trail).contains("password=*****");
        }
    }
}
