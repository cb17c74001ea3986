package dev.awsonboard.e2e;

import dev.awsonboard.lifecycle.model.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may ask for a reset or an offboarding ({@code whoMayRequest}: self, approvers or anyone,
 * per command), and that no approver approves a request about their own access.
 */
class WhoMayRequestTest {
    private static final String ALICE_MENTION = "<@" + ALICE + "|alice>";

    @TempDir
    Path dir;

    private TestBot start(String name, String yaml) {
        Path home = LifecycleEndToEndTest.mkdirs(dir.resolve(name));
        return TestBot.start(home, Map.of("ONBOARD_CONFIG", LifecycleEndToEndTest.config(home, yaml)));
    }

    @Test
    void byDefaultAnyoneMayAskAboutThemselvesAndApproversAboutAnyone() {
        try (TestBot t = TestBot.start(dir)) {
            t.onboardAlice();
            for (String verb : List.of("reset-mfa", "reset-password", "offboard")) {
                int mark = t.iamMark();
                // Someone else, named by mention: refused in the acknowledgement, nothing stored, IAM not asked.
                HttpResponse<String> refused = t.command(REQUESTER, verb + " " + ALICE_MENTION);
                assertThat(t.json(refused).path("text").asText()).as(verb).contains("only for yourself; an approver can ask for anyone");
                assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).as(verb).isEmpty();

                // Someone else, named by IAM user: the owner is known only after IAM is read, then it is refused.
                HttpResponse<String> taken = t.command(REQUESTER, verb + " sampleUser");
                assertThat(taken.body()).contains("Got it");
                assertThat(t.awaitFollowUp()).as(verb).contains("only for yourself");
                assertThat(t.iamWritesSince(mark)).as(verb).isEmpty();
            }
            assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(1); // alice's onboarding only

            // alice for herself, and an approver for her, are put before the approvers.
            String own = t.submit(ALICE, "reset-password " + ALICE_MENTION);
            t.command(ALICE, "cancel " + own);
            String byApprover = t.submit(APPROVER, "offboard " + ALICE_MENTION);
            assertThat(t.request(byApprover).status()).isEqualTo(Status.REQUESTED);
        }
    }

    @Test
    void approversOnlyRefusesThePersonThemselves() {
        try (TestBot t = start("approvers", "groups: [developers]\n"
                + "whoMayRequest: {resetMfa: approvers, resetPassword: approvers, offboard: approvers}\n")) {
            t.onboardAlice();
            int mark = t.iamMark();
            for (String text : List.of("reset-mfa " + ALICE_MENTION, "reset-password sampleUser", "offboard " + ALICE_MENTION)) {
                HttpResponse<String> refused = t.command(ALICE, text);
                assertThat(t.json(refused).path("text").asText()).as(text).contains("You are not allowed to ask for");
            }
            assertThat(t.iam.calls().subList(mark, t.iam.calls().size())).isEmpty();
            assertThat(t.bot.store().findByTarget(ALICE)).hasSize(1);

            String id = t.submit(APPROVER, "reset-mfa " + ALICE_MENTION);
            t.approve(APPROVER_2, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
        }
    }

    @Test
    void anyoneMayAskAboutAnyoneWhenConfigured() {
        try (TestBot t = start("anyone", "groups: [developers]\nwhoMayRequest: {resetMfa: anyone}\n")) {
            t.onboardAlice();
            String id = t.submit(REQUESTER, "reset-mfa " + ALICE_MENTION + " she asked me to");
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            // Only resetMfa was opened up: the others keep the default.
            HttpResponse<String> refused = t.command(REQUESTER, "offboard " + ALICE_MENTION);
            assertThat(t.json(refused).path("text").asText()).contains("only for yourself");
        }
    }

    @Test
    void noApproverApprovesARequestAboutTheirOwnAccess() {
        try (TestBot t = TestBot.start(dir)) {
            // APPROVER_2 gets an IAM user of their own; they may not approve it.
            String onboarding = t.submit(REQUESTER, "approver2 <@" + APPROVER_2 + "|approver2>");
            t.approve(APPROVER_2, onboarding);
            t.awaitToldPrivately(APPROVER_2, "This request is about your own AWS access, so another approver has to approve it");
            assertThat(t.request(onboarding).status()).isEqualTo(Status.REQUESTED);
            t.approve(APPROVER, onboarding);
            t.awaitStatus(onboarding, Status.AWAITING_MFA);
            List<String> codes = t.codesFromQr(APPROVER_2);
            t.submitCodes(APPROVER_2, onboarding, codes.get(0), codes.get(1));
            t.awaitStatus(onboarding, Status.DONE);

            for (String verb : List.of("reset-mfa", "reset-password", "offboard")) {
                String id = t.submit(APPROVER, verb + " <@" + APPROVER_2 + "|approver2>");
                t.approve(APPROVER_2, id);
                t.awaitToldPrivately(APPROVER_2, "about your own AWS access");
                t.approve(APPROVER, id);
                t.awaitToldPrivately(APPROVER, "You made this request, so another approver has to approve it");
                assertThat(t.request(id).status()).as(verb).isEqualTo(Status.REQUESTED);
                t.command(APPROVER, "cancel " + id);
                assertThat(t.request(id).status()).as(verb).isEqualTo(Status.CANCELLED);
            }
            // Asked by themselves, it is their own request twice over; another approver decides.
            String own = t.submit(APPROVER_2, "reset-password <@" + APPROVER_2 + "|approver2>");
            t.approve(APPROVER_2, own);
            t.awaitToldPrivately(APPROVER_2, "You made this request");
            t.approve(APPROVER, own);
            t.awaitStatus(own, Status.AWAITING_PASSWORD);
            assertThat(t.slack.messages(dm(APPROVER_2)).toString()).contains("onboard_show_password");
        }
    }
}
