package dev.awsonboard.slack;

import com.slack.api.model.view.View;
import dev.awsonboard.onboarding.Request;
import dev.awsonboard.onboarding.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Block Kit builders: escaping, Slack's limits, and buttons only while they make sense. */
class MessagesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

    private static Request request(String reason) {
        return Request.newRequest("req-1", "sampleUser", "UALICE", "UREQ", List.of("developers"), reason, T);
    }

    @Test
    void approvalShowsWhoWhatWhyWithButtonsWhileRequested() {
        String blocks = Messages.approval(request("new hire")).toString();
        assertThat(blocks).contains("<@UREQ>", "<@UALICE>", "sampleUser", "developers", "new hire",
                Ids.APPROVE, Ids.DENY, "req-1");
    }

    @Test
    void approvalEscapesWhatTheRequesterTyped() {
        String blocks = Messages.approval(request("<!channel> look <https://evil.example|here> & <@U999>")).toString();
        assertThat(blocks).doesNotContain("<!channel>", "<https://evil", "<@U999>")
                .contains("&lt;!channel&gt;", "&amp;");
    }

    @Test
    void decidedRequestsHaveNoButtonsAndSayWhoDecided() {
        Request approved = request("").withApprover("UAPP", T).withStatus(Status.AWAITING_MFA, T);
        String blocks = Messages.approval(approved).toString();
        assertThat(blocks).doesNotContain(Ids.APPROVE, Ids.DENY).contains("Approved by <@UAPP>", "waiting for <@UALICE>");
        for (Status s : Status.values()) {
            assertThat(Messages.statusLine(request("").withStatus(s, T))).isNotBlank();
            assertThat(Messages.forRequester(request("").withApprover("UAPP", T).withStatus(s, T))).isNotBlank();
        }
    }

    @Test
    void messagesStayWithinBlockKitLimits() {
        Request r = request("x".repeat(5000));
        assertThat(Messages.approval(r)).hasSizeLessThanOrEqualTo(50);
        assertThat(Messages.approval(r).toString()).doesNotContain("x".repeat(3001));
        List<View> views = List.of(
                Modals.request(Optional.of("a".repeat(200)), Optional.of("UALICE"), List.of(), "y".repeat(900), List.of("g1", "g2"), "C1"),
                Modals.codes("req-1", "sampleUser"), Modals.passwordLoading(),
                Modals.password("sampleUser", "pw", "https://x"), Modals.message("cb", "a very long title that goes on", "t"));
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
        View v = Modals.password("sampleUser", "a*b_c~`d<&>", "https://x");
        assertThat(v.getBlocks().toString()).contains("plain_text").contains("a*b_c~`d<&>");
    }
}
