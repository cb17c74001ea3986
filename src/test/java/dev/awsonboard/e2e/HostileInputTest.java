package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.onboarding.IamNames;
import dev.awsonboard.onboarding.Status;
import dev.awsonboard.slack.CommandText;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeds are pinned so CI sends the same inputs every run; drop {@code seed} locally to explore.
 * Thousands of generated inputs through signed (and forged) HTTP requests: never a 5xx,
 * never an IAM call for invalid input, never a state change for someone not allowed.
 */
class HostileInputTest {
    private static TestBot t;
    private static String pending;
    private static final AtomicInteger INPUTS = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        t = TestBot.start(Files.createTempDirectory("hostile"));
        pending = t.requestSampleUser();
        t.approve(APPROVER, pending);
        t.awaitStatus(pending, Status.AWAITING_MFA);
    }

    @AfterContainer
    static void stop() {
        System.out.printf("hostile: %d generated inputs sent -> 0 server errors, no IAM call for invalid input, "
                + "no state change for unauthorized actors; IAM calls seen: %s%n", INPUTS.get(), t.iam.calls().size());
        t.close();
    }

    @Provide
    Arbitrary<String> commandTexts() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019+=,.@_-").ofMinLength(1).ofMaxLength(70),
                Arbitraries.strings().all().ofMaxLength(80));
        Arbitrary<String> mentions = Arbitraries.of("<@" + ALICE + "|alice>", "<@" + ALICE + ">", "@alice", "<@W0" + "ZZ>",
                "<!channel>", "<!here>", "<@U123|<script>>", "", "<#C123|general>", "<https://evil.example|click>");
        Arbitrary<String> tails = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(600),
                Arbitraries.of("groups=developers", "groups=admins,developers", "groups=", "<!channel> hi", "help"));
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(names, mentions, tails).as((n, m, r) -> n + " " + m + " " + r),
                Arbitraries.strings().all().ofMaxLength(3000),
                Arbitraries.of("help", "", " ", "\u0000", "\n\n", "sampleUser", "<@" + ALICE + ">"));
    }

    @Property(tries = 1200, seed = "20261124")
    void slashCommandTextsNeverBreakTheBotOrReachIamWhenInvalid(@ForAll("commandTexts") String text) {
        INPUTS.incrementAndGet();
        int iamBefore = t.iam.calls().size();
        int postedBefore = t.slack.messages(APPROVAL_CHANNEL).size();
        HttpResponse<String> r = t.command(MALLORY, text);
        assertThat(r.statusCode()).as(text).isLessThan(500);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");

        CommandText parsed = CommandText.parse(text);
        boolean validName = parsed.iamUserName().filter(n -> IamNames.userNameProblem(n).isEmpty()).isPresent();
        if (!validName || !parsed.isComplete()) {
            assertThat(t.iam.calls().size()).as("IAM calls for invalid input: " + text).isEqualTo(iamBefore);
        } else {
            assertThat(t.iam.calls().subList(iamBefore, t.iam.calls().size())).allMatch(a -> a.equals("GetUser") || a.equals("ListUserTags"));
        }
        List<FakeSlack.Message> posted = t.slack.messages(APPROVAL_CHANNEL);
        for (FakeSlack.Message m : posted.subList(postedBefore, posted.size())) {
            String blocks = m.blocks().toString();
            assertThat(blocks).doesNotContain("<!channel>", "<!here>", "<https://evil", "<script>");
        }
    }

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.oneOf(
                Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("", "      ", "123 456", "１２３４５６", "12345６", "000000", "-12345", "1e5000"));
    }

    @Property(tries = 800, seed = "20261124")
    void codeSubmissionsNeverEnableMfaForAnyoneButTheTargetAndNever5xx(@ForAll("codes") String a, @ForAll("codes") String b,
                                                                       @ForAll("actors") String actor) {
        INPUTS.incrementAndGet();
        int enableBefore = t.iam.callCount("EnableMFADevice");
        HttpResponse<String> r = t.submitCodes(actor, pending, a, b);
        assertThat(r.statusCode()).isLessThan(500);
        JsonNode json = t.json(r);
        assertThat(json.path("response_action").asText()).isEqualTo("errors");
        // The bot takes "123 456" as 123456, as people type it off their phone.
        String ca = a.replace(" ", "").strip();
        String cb = b.replace(" ", "").strip();
        boolean wellFormed = ca.matches("\\d{6}") && cb.matches("\\d{6}") && !ca.equals(cb);
        if (!actor.equals(ALICE) || !wellFormed) {
            assertThat(t.iam.callCount("EnableMFADevice")).isEqualTo(enableBefore);
        }
        assertThat(t.request(pending).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Provide
    Arbitrary<String> actors() {
        return Arbitraries.of(ALICE, MALLORY, REQUESTER, APPROVER, "U0", "W999999999", "", "UALICE0001 ");
    }

    @Provide
    Arbitrary<String> actionIds() {
        return Arbitraries.of("onboard_approve", "onboard_deny", "onboard_enter_codes", "onboard_show_password", "unknown_action");
    }

    @Property(tries = 600, seed = "20261124")
    void buttonClicksByTheWrongPeopleOrWithForgedValuesChangeNothing(@ForAll("actionIds") String action,
                                                                     @ForAll("actors") String actor,
                                                                     @ForAll("values") String value) {
        INPUTS.incrementAndGet();
        if ((actor.equals(APPROVER) && (action.equals("onboard_approve") || action.equals("onboard_deny")))
                || (actor.equals(ALICE) && value.equals(pending))) {
            return; // allowed actors on real requests are covered by the flow tests
        }
        int iamBefore = t.iam.calls().size();
        HttpResponse<String> r = t.send.blockAction(actor, action, value, APPROVAL_CHANNEL, "1700000000.000001", "trig");
        assertThat(r.statusCode()).isLessThan(500);
        assertThat(t.iam.calls().size()).isEqualTo(iamBefore);
        assertThat(t.request(pending).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.of(pending == null ? "req-1" : pending, "req-999", "", "' OR 1=1 --", "../../etc/passwd"),
                Arbitraries.strings().all().ofMaxLength(2100));
    }

    @Provide
    Arbitrary<Long> skews() {
        return Arbitraries.oneOf(Arbitraries.longs().between(310, 10_000_000), Arbitraries.longs().between(-10_000_000, -310));
    }

    @Property(tries = 300, seed = "20261124")
    void forgedStaleOrFutureRequestsAreRejectedWithoutEffect(@ForAll("commandTexts") String text, @ForAll("skews") long skew,
                                                            @ForAll boolean signCorrectly) {
        INPUTS.incrementAndGet();
        int postedBefore = t.slack.messages(APPROVAL_CHANNEL).size();
        int iamBefore = t.iam.calls().size();
        String body = t.send.slashCommandBody(REQUESTER, SlackRequests.DEFAULT_CHANNEL_ID, "/aws-onboard", text, "trig", "https://x");
        // A correct signature over a skewed timestamp, or a wrong signature over a fresh one.
        long ts = signCorrectly ? t.send.now() + skew : t.send.now();
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), ts, signCorrectly);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(t.slack.messages(APPROVAL_CHANNEL)).hasSize(postedBefore);
        assertThat(t.iam.calls()).hasSize(iamBefore);
    }

    @Property(tries = 100, seed = "20261124")
    void replayedApprovalIsHarmless(@ForAll("retryNums") int retry) {
        INPUTS.incrementAndGet();
        int iamBefore = t.iam.calls().size();
        String body = t.send.blockActionBody(APPROVER, "onboard_approve", pending, APPROVAL_CHANNEL, "1700000000.000001", "trig");
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded",
                Map.of("X-Slack-Retry-Num", String.valueOf(retry)), t.send.now(), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(t.iam.calls()).hasSize(iamBefore);
        assertThat(t.request(pending).status()).isEqualTo(Status.AWAITING_MFA);
    }

    @Provide
    Arbitrary<Integer> retryNums() {
        return Arbitraries.integers().between(0, 5);
    }

    @Property(tries = 50, seed = "20261124")
    void oversizedBodiesGetA4xx(@ForAll("sizes") int size) {
        INPUTS.incrementAndGet();
        String body = "payload=" + "a".repeat(size);
        HttpResponse<String> r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), t.send.now(), true);
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1_100_000, 3_000_000);
    }

}
