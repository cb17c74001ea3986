package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.lifecycle.model.Status;
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
        // Thousands of inputs, each awaited until its after-ack work is over: TestBot makes every
        // wait look at once and often (Awaitility's default 100 ms alone cost minutes here).
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

    /** IAM's user name grammar, written out here rather than taken from the bot: 1-64 of letters, digits, + = , . @ _ -. */
    static boolean iamName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (char c : s.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "+=,.@_-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Slack's escaped user mention, as Slack sends it with should_escape: {@code <@U...>} or {@code <@U...|name>}. */
    static boolean userMention(String s) {
        return s.matches("<@[UW][A-Z0-9]{2,20}(\\|[^>]*)?>");
    }

    /** IAM actions that change something: no command may cause one before an approver said yes. */
    static final java.util.Set<String> READS = java.util.Set.of("GetUser", "ListUserTags", "GetLoginProfile", "ListMFADevices",
            "ListAccessKeys", "ListSigningCertificates", "ListSSHPublicKeys", "ListServiceSpecificCredentials", "ListUserPolicies",
            "ListAttachedUserPolicies", "ListGroupsForUser", "ListAccountAliases", "GetAccountPasswordPolicy");

    /** One command as people type it: a verb (or none, or an unknown word), a name, a mention, the rest. */
    record Typed(String verb, String name, String mention, String tail) {
        String text() {
            return String.join(" ", java.util.stream.Stream.of(verb, name, mention, tail).filter(x -> !x.isEmpty()).toList());
        }
    }

    @Provide
    Arbitrary<Typed> typedCommands() {
        Arbitrary<String> verbs = Arbitraries.of("", "", "reset-mfa", "reset-password", "offboard", "status", "cancel", "help",
                "RESET-MFA", "delete", "remove", "offboarding", "reset");
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ019+=,.@_-").ofMinLength(1).ofMaxLength(70),
                Arbitraries.strings().withChars("ab #/*\\'\"<>!&;|`$%").ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(40).map(x -> x.replaceAll("\\s", "")),
                Arbitraries.of("", "sampleUser", "alice.smith", "bob", "req-1"));
        Arbitrary<String> mentions = Arbitraries.of("<@" + ALICE + "|alice>", "<@" + ALICE + ">", "@alice", "<@W0ZZ>",
                "<@U0NOBODY99>", "<!channel>", "<!here>", "<@U123|<script>>", "", "<#C123|general>", "<https://evil.example|click>");
        Arbitrary<String> tails = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc xyz!?").ofMaxLength(300),
                Arbitraries.of("", "needs the console", "groups=developers", "groups=admins,developers", "groups=", "<!channel> hi",
                        "help", "x".repeat(600)));
        return net.jqwik.api.Combinators.combine(verbs, names, mentions, tails).as(Typed::new);
    }

    @Provide
    Arbitrary<String> commandTexts() {
        return Arbitraries.oneOf(typedCommands().map(Typed::text), Arbitraries.strings().all().ofMaxLength(3000),
                Arbitraries.of("help", "", " ", "\u0000", "\n\n", "sampleUser", "<@" + ALICE + ">"));
    }

    /**
     * Sends a command and waits until everything it started after its ack is over: a stored
     * request's checks, a status lookup (both end with a follow-up through the response URL).
     */
    private static HttpResponse<String> settled(String text) {
        HttpResponse<String> r = t.command(MALLORY, text);
        if (r.body().contains("Got it") || r.body().contains("Looking it up")) {
            t.awaitFollowUp();
        }
        awaitChecksDone();
        return r;
    }

    /** Waits until every request a command stored has been checked (the checks run after the ack). */
    private static void awaitChecksDone() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> t.bot.store().findByStatus(java.util.EnumSet.of(Status.SUBMITTED)).isEmpty());
    }

    @Property(tries = 1200, seed = "20261124")
    void typedCommandsNeverWriteToIamAndReadItOnlyForWellFormedNames(@ForAll("typedCommands") Typed typed) {
        INPUTS.incrementAndGet();
        int iamBefore = t.iam.calls().size();
        int postedBefore = t.slack.messages(APPROVAL_CHANNEL).size();
        HttpResponse<String> r = settled(typed.text());
        assertThat(r.statusCode()).as(typed.text()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");

        List<String> calls = t.iam.calls().subList(iamBefore, t.iam.calls().size());
        // The rules, not the bot's parser, say when IAM may be asked at all: a well-formed IAM user
        // name must stand where a name goes (first, or right after a verb that names someone);
        // onboarding also needs a well-formed mention of the person.
        List<String> tokens = java.util.Arrays.stream(typed.text().strip().split("\\s+")).filter(x -> !x.isEmpty()).toList();
        boolean verb = !tokens.isEmpty() && List.of("reset-mfa", "reset-password", "offboard", "status")
                .contains(tokens.get(0).toLowerCase(java.util.Locale.ROOT));
        boolean mayRead = verb ? tokens.size() > 1 && iamName(tokens.get(1))
                : !tokens.isEmpty() && iamName(tokens.get(0)) && tokens.stream().anyMatch(HostileInputTest::userMention);
        if (!mayRead) {
            assertThat(calls).as("IAM calls for: " + typed.text()).isEmpty();
        }
        assertThat(calls).as("IAM writes for: " + typed.text()).allMatch(READS::contains);
        // Mallory's resets, offboardings and cancels never touch alice's open setup.
        assertThat(t.request(pending).status()).as(typed.text()).isEqualTo(Status.AWAITING_MFA);
        List<FakeSlack.Message> posted = t.slack.messages(APPROVAL_CHANNEL);
        for (FakeSlack.Message m : posted.subList(postedBefore, posted.size())) {
            String blocks = m.blocks().toString();
            assertThat(blocks).doesNotContain("<!channel>", "<!here>", "<https://evil", "<script>");
        }
    }

    @Property(tries = 400, seed = "20261124")
    void anyTextNeverBreaksTheBotNorWritesToIam(@ForAll("commandTexts") String text) {
        INPUTS.incrementAndGet();
        int iamBefore = t.iam.calls().size();
        HttpResponse<String> r = settled(text);
        assertThat(r.statusCode()).as(text).isEqualTo(200);
        assertThat(r.body()).doesNotContain("Exception", "\tat ");
        List<String> calls = t.iam.calls().subList(iamBefore, t.iam.calls().size());
        // No IAM user name can be read from a text with no token of IAM's grammar.
        boolean anyName = java.util.Arrays.stream(text.split("\\s+")).anyMatch(HostileInputTest::iamName);
        if (!anyName) {
            assertThat(calls).as("IAM calls for: " + text).isEmpty();
        }
        assertThat(calls).allMatch(READS::contains);
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
        return Arbitraries.of("onboard_approve", "onboard_deny", "onboard_enter_codes", "onboard_show_password", "onboard_cancel",
                "onboard_first_password", "unknown_action");
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

    @Property(tries = 15, seed = "20261124")
    void approvalReplayedWhileStillRequestedCreatesOneUser(@ForAll("retryNums") int replays) {
        INPUTS.incrementAndGet();
        String name = "replay" + INPUTS.get();
        String id = t.submit(REQUESTER, name + " <@" + ALICE + "|alice>");
        String body = t.send.blockActionBody(APPROVER, "onboard_approve", id, APPROVAL_CHANNEL, "1700000000.000001", "trig");
        // The same signed click again and again while the request is still REQUESTED, as a flaky network resends it.
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new java.util.ArrayList<>();
        for (int i = 0; i <= replays; i++) {
            Map<String, String> headers = i == 0 ? Map.of() : Map.of("X-Slack-Retry-Num", String.valueOf(i));
            sent.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> t.send.raw(body, "application/x-www-form-urlencoded",
                    headers, t.send.now(), true)));
        }
        sent.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        t.awaitStatus(id, Status.AWAITING_MFA);
        assertThat(t.bot.store().auditTrail(id)).filteredOn(e -> e.action().equals("approve") && e.outcome().equals("ok")).hasSize(1);
        assertThat(t.bot.store().auditTrail(id)).filteredOn(e -> e.action().equals("iam:CreateUser") && e.outcome().equals("ok")).hasSize(1);
    }

    @Provide
    Arbitrary<Integer> retryNums() {
        return Arbitraries.integers().between(1, 5);
    }

    @Property(tries = 50, seed = "20261124")
    void oversizedBodiesGetA4xx(@ForAll("sizes") int size) {
        INPUTS.incrementAndGet();
        String body = "payload=" + "a".repeat(size);
        HttpResponse<String> r;
        try {
            r = t.send.raw(body, "application/x-www-form-urlencoded", Map.of(), t.send.now(), true);
        } catch (java.io.UncheckedIOException e) {
            // Jetty answers 413 without reading the rest and closes the connection; a client still
            // sending sees the close before the answer (seen once in a busy full run). Also a refusal.
            try {
                assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + t.bot.port() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("the bot still answers after the close").isEqualTo(200);
            } catch (java.io.IOException | InterruptedException down) {
                throw new AssertionError("the bot stopped answering after an oversized body", down);
            }
            return;
        }
        assertThat(r.statusCode()).isBetween(400, 499);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1_100_000, 3_000_000);
    }

}
