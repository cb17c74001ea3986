package dev.awsonboard.slack.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import dev.awsonboard.fakes.BlockKitLimits;
import dev.awsonboard.lifecycle.model.Approval;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.Intake;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.slack.language.Texts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message and view the builders make, for every kind in every status, with the longest
 * names and reasons Slack and IAM allow, stays within Block Kit's limits in both languages and
 * leaves no placeholder unfilled. The limits are the ones FakeSlack enforces on the wire.
 */
class MessagesInBothLanguagesTest {
    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final Gson GSON = GsonFactory.createSnakeCase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEFTOVER = Pattern.compile("\\{[A-Za-z]+(,[a-z]+)?}");
    /** Slack's date formatting ({@code <!date^1795514400^{date_short_pretty} {time}|...>}) has braces of its own. */
    private static final Pattern SLACK_DATE = Pattern.compile("<!date\\^[^>]*>");
    /** 64 characters, IAM's longest user name. */
    private static final String LONG_USER = "firstname.middlename.lastname+contractor=platform,team@example-1";
    /** IAM group and policy names run to 128 characters. */
    private static final String LONG_NAME = "g".repeat(120) + "-group-1";

    static Stream<Texts> languages() {
        return Stream.of(Texts.english(), Texts.of(Texts.JAPANESE));
    }

    private static List<Holding> manyHoldings() {
        List<Holding> plan = new ArrayList<>();
        plan.add(new Holding(Holding.Type.LOGIN_PROFILE, LONG_USER));
        IntStream.range(0, 2).forEach(i -> plan.add(new Holding(Holding.Type.ACCESS_KEY, "AKIAEXAMPLE00000000" + i)));
        IntStream.range(0, 5).forEach(i -> plan.add(new Holding(Holding.Type.SIGNING_CERTIFICATE, "C".repeat(40) + i)));
        IntStream.range(0, 5).forEach(i -> plan.add(new Holding(Holding.Type.SSH_KEY, "APKAEIBAERJR2EXAMPLE" + i)));
        IntStream.range(0, 2).forEach(i -> plan.add(new Holding(Holding.Type.SERVICE_CREDENTIAL, "ACCA" + "X".repeat(20) + i)));
        IntStream.range(0, 4).forEach(i -> plan.add(new Holding(Holding.Type.VIRTUAL_MFA_DEVICE,
                "arn:aws:iam::123456789012:mfa/" + LONG_USER + i)));
        IntStream.range(0, 4).forEach(i -> plan.add(new Holding(Holding.Type.OTHER_MFA_DEVICE, "GAHT1234567" + i)));
        IntStream.range(0, 10).forEach(i -> plan.add(new Holding(Holding.Type.INLINE_POLICY, LONG_NAME + i)));
        IntStream.range(0, 20).forEach(i -> plan.add(new Holding(Holding.Type.MANAGED_POLICY,
                "arn:aws:iam::123456789012:policy/" + LONG_NAME + i)));
        IntStream.range(0, 10).forEach(i -> plan.add(new Holding(Holding.Type.GROUP, LONG_NAME + i)));
        return plan;
    }

    /** A request of this kind in this status, with every field as long as it can get. */
    private static Request request(Kind kind, Status status) {
        List<String> groups = kind == Kind.ONBOARD ? IntStream.range(0, 10).mapToObj(i -> LONG_NAME + i).toList()
                : kind == Kind.GRANT ? List.of(LONG_NAME) : List.of();
        Request r = Request.submitted("r-abc234defg", kind, LONG_USER, "UALICE0001", "UREQUESTER", groups,
                        "理由 reason & <stuff> ".repeat(Intake.MAX_REASON / 20).substring(0, Intake.MAX_REASON), T)
                .withUser("arn:aws:iam::123456789012:user/" + LONG_USER, "https://123456789012.signin.aws.amazon.com/console", T)
                .withPlan(manyHoldings(), T)
                .withApprovalMessages(List.of(new MessageRef("CAPPROVALS", "1.2")), T)
                .withApprover("UAPPROVER1", T)
                .withStatus(status, T);
        if (kind == Kind.OFFBOARD) {
            r = r.withRemoved(manyHoldings(), T);
        }
        if (kind == Kind.GRANT) {
            r = r.withGrant(new GrantTerm(java.time.Duration.ofDays(99).plusMinutes(59), T), T);
        }
        if (status == Status.REQUESTED || status == Status.DENIED || status == Status.PROVISIONING) {
            // Under several rules with the longest names, each asking ten approvers, approved by ten so far.
            List<String> ten = IntStream.range(0, 10).mapToObj(i -> (i % 2 == 0 ? "U" : "S") + "ABCDEFGH0" + i).toList();
            List<ApprovalNeed> needs = IntStream.range(0, 5).mapToObj(i -> new ApprovalNeed("r".repeat(39) + i, 10, ten,
                    ten.subList(0, 9))).toList();
            r = r.withApprovals(ten.stream().map(a -> new Approval(a, T)).toList(), needs, T);
        }
        if (status.isTerminal() && status != Status.DONE && status != Status.DENIED) {
            r = r.withEnding(status, Notice.of(Reason.UNEXPECTED, "what", "IllegalStateException: " + "x".repeat(300)), T)
                    .withLeftovers(T);
        }
        return r;
    }

    private static JsonNode json(Object slackModel) {
        try {
            return JSON.readTree(GSON.toJson(slackModel));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFits(String what, List<LayoutBlock> blocks) {
        JsonNode node = json(blocks);
        assertThat(BlockKitLimits.message(node)).as(what).isEmpty();
        assertThat(SLACK_DATE.matcher(node.toString()).replaceAll("")).as(what).doesNotContainPattern(LEFTOVER);
    }

    private static void assertFits(String what, View view) {
        JsonNode node = json(view);
        assertThat(BlockKitLimits.view(node)).as(what).isEmpty();
        assertThat(node.toString()).as(what).doesNotContainPattern(LEFTOVER);
    }

    private static void assertText(String what, String text) {
        assertThat(SLACK_DATE.matcher(text).replaceAll("")).as(what).isNotBlank().doesNotContainPattern(LEFTOVER);
    }

    @ParameterizedTest
    @MethodSource("languages")
    void everyMessageForEveryKindInEveryStatusFitsBlockKit(Texts t) {
        for (Kind kind : Kind.values()) {
            for (Status status : Status.values()) {
                Request r = request(kind, status);
                String what = t.languageTag() + " " + kind + "/" + status;
                assertFits(what + " approval", Messages.approval(t, r));
                assertFits(what + " requester", Messages.forRequesterBlocks(t, r));
                assertFits(what + " closed setup", Messages.closedSetup(t, r));
                assertFits(what + " password invite", Messages.passwordInvite(t, r));
                assertText(what + " approval fallback", Messages.approvalText(t, r));
                assertText(what + " requester text", Messages.forRequester(t, r));
                assertText(what + " status line", Messages.statusLine(t, r));
                if (kind.deliversMfa()) {
                    assertFits(what + " setup", Messages.setup(t, r, r.signInUrl(), true));
                    assertText(what + " setup fallback", Messages.setupText(t, r));
                }
                if (kind == Kind.GRANT) {
                    assertFits(what + " person", Messages.forPersonBlocks(t, r));
                    assertText(what + " person text", Messages.forPerson(t, r));
                }
                if (status == Status.DONE && (kind.deliversMfa() || kind == Kind.RESET_PASSWORD)) {
                    assertFits(what + " done", Messages.setupDone(t, r, true));
                    assertText(what + " done fallback", Messages.setupDoneText(t, r));
                }
                if (status.isTerminal() && status != Status.DONE) {
                    assertText(what + " setup ended", Messages.setupEnded(t, r));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void everyViewFitsBlockKitWithTheLongestInputs(Texts t) {
        List<String> offered = IntStream.range(0, 100).mapToObj(i -> LONG_NAME + i).toList();
        String problem = ":warning: " + t.notice(Notice.of(Reason.CODES_REJECTED));
        Map<String, View> views = new LinkedHashMap<>();
        views.put("request", Modals.request(t, Optional.of("a".repeat(200)), Optional.of("UALICE0001"), offered.subList(0, 10),
                "y".repeat(900), offered, "C1"));
        views.put("codes", Modals.codes(t, "r-abc234defg", LONG_USER));
        views.put("codes again", Modals.codes(t, "r-abc234defg", LONG_USER, problem));
        views.put("password loading", Modals.passwordLoading(t));
        views.put("password", Modals.password(t, LONG_USER, "P".repeat(128), "https://" + "a".repeat(63) + ".signin.aws.amazon.com/console"));
        for (String title : List.of("modal.codes.title", "modal.codes.done", "modal.codes.problem", "modal.password.title")) {
            views.put(title, Modals.message(t, Ids.CODES_MODAL, title, t.get("modal.codes.checking")));
        }
        views.forEach((name, view) -> assertFits(t.languageTag() + " " + name, view));
    }

    /** Titles, submit and close buttons must fit as written: clipping would cut a word in half. */
    @ParameterizedTest
    @MethodSource("languages")
    void modalTitlesAndButtonsFitWithoutClipping(Texts t) {
        for (String key : List.of("modal.request.title", "modal.request.submit", "modal.cancel", "modal.close", "modal.codes.title",
                "modal.codes.submit", "modal.codes.done", "modal.codes.problem", "modal.password.title")) {
            assertThat(t.plain(key).codePointCount(0, t.plain(key).length())).as(t.languageTag() + " " + key).isLessThanOrEqualTo(24);
        }
        for (String key : List.of("approval.approve", "approval.deny", "approval.confirm.no", "requester.cancel", "setup.enterCodes",
                "setup.showPassword")) {
            assertThat(t.plain(key).length()).as(t.languageTag() + " " + key).isLessThanOrEqualTo(30);
        }
    }

    /** Every text of the file, filled in with values of every placeholder type, renders whole. */
    @ParameterizedTest
    @MethodSource("languages")
    void everyTextRendersWithItsPlaceholdersFilled(Texts t) throws IOException {
        Properties keys = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("i18n/messages.properties")) {
            keys.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (String key : keys.stringPropertyNames()) {
            Matcher m = LEFTOVER.matcher(keys.getProperty(key));
            while (m.find()) {
                String name = m.group().substring(1, m.group().length() - 1).split(",")[0];
                String type = m.group(1) == null ? "" : m.group(1).substring(1);
                args.put(name, switch (type) {
                    case "mention" -> "UALICE0001";
                    case "status" -> "EXPIRED";
                    case "kind" -> "RESET_MFA";
                    case "duration" -> "PT2H";
                    case "holdings" -> manyHoldings().subList(0, 3);
                    default -> "value";
                });
            }
        }
        for (String key : keys.stringPropertyNames()) {
            assertText(t.languageTag() + " " + key, t.get(key, args));
        }
    }

    @ParameterizedTest
    @MethodSource("languages")
    void theStatusAnswerNamesMfaTypesInTheReadersLanguage(Texts t) {
        var facts = new dev.awsonboard.lifecycle.StatusQuery.UserFacts(LONG_USER, true, "arn:aws:iam::1:user/x", List.of("developers"),
                List.of(new dev.awsonboard.lifecycle.port.IamGateway.MfaDevice("arn:aws:iam::1:mfa/x",
                        dev.awsonboard.lifecycle.port.IamGateway.MfaDevice.Type.VIRTUAL)), true, Optional.of(T), T);
        String answer = Messages.status(t, new dev.awsonboard.lifecycle.StatusQuery.Report("UALICE0001", List.of(facts), List.of()), null);
        assertText("status", answer);
        assertThat(answer).contains(t.get("status.mfa.type.VIRTUAL")).doesNotContain("VIRTUAL", "virtual".equals(t.get("status.mfa.type.VIRTUAL"))
                ? "仮想" : "virtual");
    }
}
