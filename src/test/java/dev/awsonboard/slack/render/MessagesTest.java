package dev.awsonboard.slack.render;

import com.slack.api.model.view.View;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.slack.language.Texts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Block Kit builders: escaping, Slack's limits, and buttons only while they make sense. */
class MessagesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final Texts EN = Texts.english();

    private static Request request(String reason) {
        return Request.newRequest("req-1", "sampleUser", "UALICE", "UREQ", List.of("developers"), reason, T);
    }

    private static Request of(Kind kind) {
        return Request.submitted("req-2", kind, "bob", "UBOB", "UREQ", List.of(), "left", T)
                .withStatus(Status.REQUESTED, T)
                .withPlan(List.of(new Holding(Holding.Type.LOGIN_PROFILE, "bob"), new Holding(Holding.Type.ACCESS_KEY, "AKIAEXAMPLE"),
                        new Holding(Holding.Type.VIRTUAL_MFA_DEVICE, "arn:aws:iam::123456789012:mfa/bob"),
                        new Holding(Holding.Type.OTHER_MFA_DEVICE, "GAHT12345678"), new Holding(Holding.Type.GROUP, "developers")), T);
    }

    @Test
    void approvalShowsWhoWhatWhyWithButtonsWhileRequested() {
        String blocks = Messages.approval(EN, request("new hire")).toString();
        assertThat(blocks).contains("<@UREQ>", "<@UALICE>", "sampleUser", "developers", "new hire",
                Ids.APPROVE, Ids.DENY, "req-1");
    }

    @Test
    void offboardingApprovalListsWhatWillBeRemovedFromIamAsReadAtRequestTime() {
        String blocks = Messages.approval(EN, of(Kind.OFFBOARD)).toString();
        assertThat(blocks).contains("Offboarding request", "console password", "access key `AKIAEXAMPLE`",
                "membership of group `developers`", "deletes the user", "Delete this IAM user?");
    }

    @Test
    void mfaResetApprovalNamesTheVirtualDevicesItRemovesAndTheOnesThatStay() {
        String blocks = Messages.approval(EN, of(Kind.RESET_MFA)).toString();
        assertThat(blocks).contains("MFA reset request", "virtual MFA device `arn:aws:iam::123456789012:mfa/bob`",
                "These stay", "`GAHT12345678`");
    }

    @Test
    void approvalEscapesWhatTheRequesterTyped() {
        String blocks = Messages.approval(EN, request("<!channel> look <https://evil.example|here> & <@U999>")).toString();
        assertThat(blocks).doesNotContain("<!channel>", "<https://evil", "<@U999>")
                .contains("&lt;!channel&gt;", "&amp;");
    }

    @Test
    void decidedRequestsHaveNoButtonsAndSayWhoDecided() {
        Request approved = request("").withApprover("UAPP", T).withStatus(Status.AWAITING_MFA, T);
        String blocks = Messages.approval(EN, approved).toString();
        assertThat(blocks).doesNotContain(Ids.APPROVE, Ids.DENY).contains("Approved by <@UAPP>", "waiting for <@UALICE>");
    }

    @Test
    void everyKindInEveryStatusHasItsWordsForApproversRequesterAndPerson() {
        for (Kind kind : Kind.values()) {
            for (Status s : Status.values()) {
                Request r = of(kind).withApprover("UAPP", T).withStatus(s, T);
                if (s.isTerminal() && s != Status.DONE && s != Status.DENIED) {
                    r = r.withEnding(s, Notice.of(Reason.IAM_FAILED, "action", "CreateUser", "code", "X"), T);
                }
                assertThat(Messages.statusLine(EN, r)).as(kind + "/" + s).isNotBlank().doesNotContain("{");
                assertThat(Messages.forRequester(EN, r)).as(kind + "/" + s).isNotBlank().doesNotContain("{");
                assertThat(Messages.approval(EN, r).toString()).as(kind + "/" + s).doesNotContain("{user");
                if (s.isTerminal() && s != Status.DONE) {
                    assertThat(Messages.setupEnded(EN, r)).as(kind + "/" + s).isNotBlank();
                }
            }
        }
    }

    @Test
    void everyReasonHasWords() {
        for (Reason reason : Reason.values()) {
            assertThat(EN.has("reason." + reason.name())).as(reason.name()).isTrue();
        }
    }

    @Test
    void requesterGetsACancelButtonOnlyWhileNobodyDecided() {
        assertThat(Messages.forRequesterBlocks(EN, request("")).toString()).contains(Ids.CANCEL);
        assertThat(Messages.forRequesterBlocks(EN, request("").withStatus(Status.APPROVED, T)).toString()).doesNotContain(Ids.CANCEL);
    }

    @Test
    void setupOffersShowPasswordOnlyToANewUserAndTheClosedSetupHasNoButtons() {
        Request onboard = request("").withStatus(Status.AWAITING_MFA, T);
        Request reset = of(Kind.RESET_MFA).withStatus(Status.AWAITING_MFA, T);
        assertThat(Messages.setup(EN, onboard, "https://x", false).toString()).contains(Ids.ENTER_CODES, Ids.SHOW_PASSWORD);
        assertThat(Messages.setup(EN, reset, "https://x", false).toString()).contains(Ids.ENTER_CODES).doesNotContain(Ids.SHOW_PASSWORD);
        assertThat(Messages.closedSetup(EN, onboard).toString()).doesNotContain(Ids.ENTER_CODES, Ids.SHOW_PASSWORD);
        assertThat(Messages.setupDone(EN, onboard.withStatus(Status.DONE, T), true).toString()).contains(Ids.FIRST_PASSWORD);
        assertThat(Messages.setupDone(EN, onboard.withStatus(Status.DONE, T), false).toString()).doesNotContain(Ids.FIRST_PASSWORD);
    }

    @Test
    void aNewUserWithoutGroupsIsToldItCanDoLittleYet() {
        Request none = Request.newRequest("req-3", "x", "UALICE", "UREQ", List.of(), "", T);
        assertThat(Messages.setup(EN, none, "https://x", true).toString()).contains("in no group yet");
        assertThat(Messages.setup(EN, request(""), "https://x", false).toString()).doesNotContain("in no group yet");
    }

    @Test
    void messagesStayWithinBlockKitLimits() {
        Request r = request("x".repeat(5000));
        assertThat(Messages.approval(EN, r)).hasSizeLessThanOrEqualTo(50);
        assertThat(Messages.approval(EN, r).toString()).doesNotContain("x".repeat(3001));
        List<View> views = List.of(
                Modals.request(EN, Optional.of("a".repeat(200)), Optional.of("UALICE"), List.of(), "y".repeat(900), List.of("g1", "g2"), "C1"),
                Modals.codes(EN, "req-1", "sampleUser"), Modals.passwordLoading(EN),
                Modals.password(EN, "sampleUser", "pw", "https://x"), Modals.message(EN, "cb", "modal.codes.title", "t"));
        for (View v : views) {
            assertThat(v.getTitle().getText().length()).isLessThanOrEqualTo(24);
            if (v.getSubmit() != null) {
                assertThat(v.getSubmit().getText().length()).isLessThanOrEqualTo(24);
            }
            assertThat(v.getBlocks()).hasSizeLessThanOrEqualTo(100);
            assertThat(v.getPrivateMetadata() == null ? 0 : v.getPrivateMetadata().length()).isLessThanOrEqualTo(3000);
        }
    }

    @Test
    void passwordIsPlainTextSoNoMarkupInItCanChangeIt() {
        View v = Modals.password(EN, "sampleUser", "a*b_c~`d<&>", "https://x");
        assertThat(v.getBlocks().toString()).contains("plain_text").contains("a*b_c~`d<&>");
    }
}
