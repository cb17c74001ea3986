package dev.awsonboard.e2e;

import dev.awsonboard.Bot;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two-person approval through signed Slack requests: onboarding into {@code admins} needs two approvals, from
 * UAPPROVER1 and the members of the Slack user group S0SECOPS (read with usergroups.users.list).
 */
class TwoPersonApprovalTest {
    static final String SECOPS = "S0SECOPS";
    static final String SECOPS_MEMBER = "USECOPS001";
    static final String RULES = """
            groups: [developers, readonly, admins]
            approvalRules:
              - name: admins
                kinds: [onboard]
                groups: [admins]
                approvers: [UAPPROVER1, S0SECOPS]
                approvals: 2
            """;

    @TempDir
    Path dir;
    TestBot t;

    @BeforeEach
    void start() throws IOException {
        t = TestBot.start(dir, Map.of("ONBOARD_CONFIG", Files.writeString(dir.resolve("rules.yml"), RULES).toString()));
        t.iam.createGroup("admins");
        t.slack.addUser(SECOPS_MEMBER, "secops").addMember(APPROVAL_CHANNEL, SECOPS_MEMBER)
                .addUserGroup(SECOPS, APPROVER_2, SECOPS_MEMBER);
    }

    @AfterEach
    void stop() {
        t.close();
    }

    private String requestAdmin() {
        return t.submit(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=admins on call");
    }

    /** The approval message as Slack shows it now, as text. */
    private String message(String id) {
        return t.approvalMessageOf(id).blocks().toString();
    }

    @Test
    void oneOfTwoKeepsTheButtonsAndTheSecondStartsTheRun() {
        String id = requestAdmin();
        assertThat(message(id)).contains("*admins*: 0 of 2 approvals").contains("<@UAPPROVER1>").contains("<!subteam^S0SECOPS>");

        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> message(id).contains("1 of 2 approvals: <@UAPPROVER1>"));
        assertThat(message(id)).contains("onboard_approve", "onboard_deny");
        t.awaitToldPrivately(APPROVER, "Your approval is recorded (1 of 2)");
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);
        assertThat(t.iam.callCount("CreateUser")).isZero();

        // APPROVER_2 may approve as a member of S0SECOPS, which Slack names when asked.
        t.approve(APPROVER_2, id);
        Request approved = t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(approved.approvers()).containsExactly(APPROVER, APPROVER_2);
        assertThat(t.slack.calls("usergroups.users.list")).isNotEmpty()
                .allSatisfy(c -> assertThat(c.param("usergroup")).isEqualTo(SECOPS));
        await().atMost(Duration.ofSeconds(20)).until(() -> message(id).contains("Approved by <@UAPPROVER1>, <@UAPPROVER2>"));
        assertThat(message(id)).contains("2 of 2 approvals: <@UAPPROVER1>, <@UAPPROVER2>").doesNotContain("onboard_approve");
        assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
        assertThat(t.iam.user("sampleUser").orElseThrow().tags()).containsEntry("aws-onboard:approved-by", APPROVER + " " + APPROVER_2);
        t.finishSetup(id);
        assertThat(t.request(id).status()).isEqualTo(Status.DONE);
    }

    @Test
    void theSameApproverTwiceCountsOnce() {
        String id = requestAdmin();
        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.request(id).approvals().size() == 1);

        t.approve(APPROVER, id);
        t.awaitToldPrivately(APPROVER, "You already approved this request");
        assertThat(t.request(id).approvers()).containsExactly(APPROVER);
        assertThat(t.request(id).status()).isEqualTo(Status.REQUESTED);
    }

    @Test
    void theRequesterIsNotOneOfTheTwo() {
        String id = t.submit(APPROVER, "sampleUser <@" + ALICE + "|alice> groups=admins on call");

        t.approve(APPROVER, id);
        t.awaitToldPrivately(APPROVER, "You made this request");
        t.approve(APPROVER_2, id);
        t.awaitToldPrivately(APPROVER_2, "Your approval is recorded (1 of 2)");
        assertThat(t.request(id).approvers()).containsExactly(APPROVER_2);

        // A second member of the user group makes two.
        t.approve(SECOPS_MEMBER, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(t.request(id).approvers()).containsExactly(APPROVER_2, SECOPS_MEMBER);
    }

    @Test
    void aDenyAfterTheFirstApprovalEndsTheRequestAndTheMessageSaysWhoDidWhat() {
        String id = requestAdmin();
        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.request(id).approvals().size() == 1);

        t.deny(APPROVER_2, id);
        t.awaitStatus(id, Status.DENIED);
        await().atMost(Duration.ofSeconds(20)).until(() -> message(id).contains("Denied by <@UAPPROVER2>"));
        assertThat(message(id)).contains("1 of 2 approvals: <@UAPPROVER1>").doesNotContain("onboard_approve");
        t.approve(SECOPS_MEMBER, id);
        t.awaitToldPrivately(SECOPS_MEMBER, "already denied");
        assertThat(t.iam.callCount("CreateUser")).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> t.slack.messages(TestBot.dm(REQUESTER)).toString().contains("was denied by"));
    }

    @Test
    void withoutUsergroupsReadAUserGroupsMemberDecidesNothingAndIsToldWhy() {
        t.slack.revokeScopes("usergroups:read");
        String id = requestAdmin();

        t.approve(APPROVER_2, id);
        t.awaitToldPrivately(APPROVER_2, "missing_scope");
        assertThat(t.request(id).approvals()).isEmpty();
        // A named approver needs no user group read.
        t.approve(APPROVER, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> t.request(id).approvals().size() == 1);
    }

    @Test
    void aRequestUnderNoRuleStillNeedsOneApprovalFromTheApprovers() {
        String id = t.requestSampleUser(); // groups=developers: the admins rule does not cover it
        assertThat(message(id)).doesNotContain("approvals");
        t.approve(APPROVER_2, id);
        t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(t.request(id).approvers()).containsExactly(APPROVER_2);
    }

    @Test
    void fortyClicksOverTwoReplicasGiveOneRun() throws Exception {
        try (Bot second = t.replica()) {
            String id = requestAdmin();
            SlackRequests toSecond = t.sendTo(second);
            String ts = t.approvalMessage().ts();
            List<Callable<HttpResponse<String>>> clicks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String approver = i % 2 == 0 ? APPROVER : APPROVER_2;
                SlackRequests target = i % 3 == 0 ? toSecond : t.send;
                clicks.add(() -> target.blockAction(approver, "onboard_approve", id, APPROVAL_CHANNEL, ts, "trigger-" + approver));
            }
            int ok = TestBot.allAtOnce(clicks);

            t.awaitStatus(id, Status.AWAITING_MFA);
            long approvals = t.bot.store().auditTrail(id).stream().filter(e -> e.action().equals("approve") && e.outcome().equals("ok")).count();
            System.out.printf("two-person approval: 40 approve clicks by 2 approvers over 2 replicas -> %d answered 200;"
                            + " approvals recorded=%d CreateUser=%d CreateVirtualMFADevice=%d%n", ok, approvals,
                    t.iam.callCount("CreateUser"), t.iam.callCount("CreateVirtualMFADevice"));
            assertThat(ok).isEqualTo(40);
            assertThat(approvals).isEqualTo(2);
            assertThat(t.request(id).approvers()).containsExactlyInAnyOrder(APPROVER, APPROVER_2);
            assertThat(t.iam.callCount("CreateUser")).isEqualTo(1);
            assertThat(t.iam.callCount("CreateVirtualMFADevice")).isEqualTo(1);
            assertThat(t.slack.uploadedFiles().stream().filter(f -> f.channels().contains(TestBot.dm(ALICE)))).hasSize(1);
        }
    }
}
