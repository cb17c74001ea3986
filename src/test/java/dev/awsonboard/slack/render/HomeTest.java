package dev.awsonboard.slack.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.model.view.View;
import dev.awsonboard.fakes.BlockKitLimits;
import dev.awsonboard.lifecycle.port.IamGateway;
import dev.awsonboard.lifecycle.model.GrantTerm;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.Overview;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.StatusQuery;
import dev.awsonboard.slack.language.Texts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The App Home builder: golden views for a person and an approver, Block Kit's limits, escaping. */
class HomeTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final String ALICE = "UALICE0001";
    private static final String BOB = "UBOB000001";
    private static final String APPROVER = "UAPPROVER1";
    private static final String APPROVER_2 = "UAPPROVER2";
    private static final String REQUESTER = "UREQUESTER";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Request request(String id, Kind kind, Status status, String user, String target, String requester,
                                   List<String> groups, String reason, Instant at) {
        return Request.submitted(id, kind, user, target, requester, groups, reason, at).withStatus(status, at);
    }

    private static StatusQuery.UserFacts facts(String user, boolean mfa, boolean console) {
        return new StatusQuery.UserFacts(user, true, "arn:aws:iam::123456789012:user/" + user, List.of("developers"),
                mfa ? List.of(IamGateway.MfaDevice.of("arn:aws:iam::123456789012:mfa/" + user)) : List.of(), console,
                Optional.empty(), NOW.minus(Duration.ofDays(3)));
    }

    /** A grant of admins running for two hours since an hour ago. */
    private static Request grant(String id, String user, String person) {
        return request(id, Kind.GRANT, Status.GRANTED, user, person, person, List.of("admins"), "database migration",
                NOW.minus(Duration.ofHours(1))).withApprover(APPROVER_2, NOW.minus(Duration.ofHours(1)))
                .withGrant(new GrantTerm(Duration.ofHours(2), NOW.plus(Duration.ofHours(1))), NOW.minus(Duration.ofHours(1)));
    }

    /** alice: an onboarding waiting for her codes, a grant running, and an older IAM user she may ask resets for. */
    static Overview.Personal alice() {
        Request setup = request("r-onboard01", Kind.ONBOARD, Status.AWAITING_MFA, "sampleUser", ALICE, REQUESTER,
                List.of("developers"), "needs the console", NOW.minus(Duration.ofHours(2)))
                .withApprover(APPROVER, NOW.minus(Duration.ofHours(1)));
        return new Overview.Personal(ALICE, NOW,
                new Overview.Identity(List.of(facts("alice.ops", true, true), facts("sampleUser", false, true)), Optional.empty()),
                List.of(new Overview.Open(setup, List.of(Overview.Step.ENTER_CODES, Overview.Step.SHOW_PASSWORD)),
                        new Overview.Open(grant("r-grant01", "alice.ops", ALICE), List.of(Overview.Step.END_GRANT))),
                List.of(new Overview.Offer("alice.ops", List.of(Kind.RESET_MFA, Kind.RESET_PASSWORD))),
                Optional.empty());
    }

    /** An approver with no IAM user: an offboarding they asked for, two requests waiting, recent decisions. */
    static Overview.Personal approver() {
        Request offboard = request("r-offboard01", Kind.OFFBOARD, Status.REQUESTED, "bob.smith", BOB, APPROVER,
                List.of(), "left the company", NOW.minus(Duration.ofMinutes(30)));
        Request onboard = request("r-onboard02", Kind.ONBOARD, Status.REQUESTED, "carol", "UCAROL0001", REQUESTER,
                List.of("developers", "readonly"), "joins the data team", NOW.minus(Duration.ofHours(5)));
        Request reset = request("r-reset01", Kind.RESET_MFA, Status.DONE, "bob.smith", BOB, BOB, List.of(), "new phone",
                NOW.minus(Duration.ofDays(2))).withApprover(APPROVER_2, NOW.minus(Duration.ofDays(2)));
        Request denied = request("r-denied01", Kind.ONBOARD, Status.DENIED, "mallory", "UMALLORY01", REQUESTER, List.of(),
                "", NOW.minus(Duration.ofDays(4))).withApprover(APPROVER, NOW.minus(Duration.ofDays(4)));
        return new Overview.Personal(APPROVER, NOW, new Overview.Identity(List.of(), Optional.empty()),
                List.of(new Overview.Open(offboard, List.of(Overview.Step.CANCEL))), List.of(),
                Optional.of(new Overview.Approvals(List.of(new Overview.Waiting(onboard, true), new Overview.Waiting(offboard, false)),
                        List.of(reset, denied),
                        new Overview.Counts(2, 1, 5, 1), List.of(grant("r-grant02", "bob.smith", BOB)), 1)));
    }

    private static JsonNode tree(View view) {
        try {
            return JSON.readTree(Golden.json(view));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void personsHomeMatchesItsGoldenView() {
        Golden.assertMatches("home-person.en.json", Golden.json(Home.view(Texts.english(), alice(), Optional.empty())));
    }

    @Test
    void approversHomeMatchesItsGoldenView() {
        Golden.assertMatches("home-approver.en.json", Golden.json(Home.view(Texts.english(), approver(), Optional.of(Locale.ENGLISH))));
    }

    @Test
    void homesInJapaneseMatchTheirGoldenViews() throws IOException {
        Properties ja = new Properties();
        try (InputStream in = HomeTest.class.getResourceAsStream("/i18n/messages_ja.properties")) {
            assertThat(in).as("the Japanese texts").isNotNull();
            ja.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        // A Japanese Home with these keys missing would be half English.
        assertThat(ja).containsKeys("kind.ONBOARD", "status.AWAITING_MFA");
        Texts jaTexts = Texts.of(Locale.JAPANESE);
        Golden.assertMatches("home-person.ja.json", Golden.json(Home.view(jaTexts, alice(), Optional.of(Locale.JAPANESE))));
        Golden.assertMatches("home-approver.ja.json", Golden.json(Home.view(jaTexts, approver(), Optional.empty())));
    }

    @Test
    void buttonsCarryTheMessagesActionIdsAndTheRequestId() {
        String person = Golden.json(Home.view(Texts.english(), alice(), Optional.empty()));
        assertThat(person).contains("\"action_id\" : \"onboard_enter_codes\"", "\"action_id\" : \"onboard_show_password\"",
                "\"value\" : \"r-onboard01\"", "\"action_id\" : \"home_reset_mfa\"", "\"value\" : \"alice.ops\"")
                .doesNotContain("onboard_approve", "onboard_cancel");
        String approver = Golden.json(Home.view(Texts.english(), approver(), Optional.empty()));
        assertThat(approver).contains("\"action_id\" : \"onboard_approve\"", "\"action_id\" : \"onboard_deny\"",
                "\"action_id\" : \"onboard_cancel\"", "Create this IAM user?", "another approver approves it")
                // their own offboarding request: Deny (or Cancel), but no Approve that would be refused
                .doesNotContain("Delete this IAM user?");
    }

    @Test
    void languageSelectShowsWhatThePersonChose() {
        JsonNode none = tree(Home.view(Texts.english(), alice(), Optional.empty()));
        JsonNode japanese = tree(Home.view(Texts.english(), alice(), Optional.of(Locale.JAPANESE)));
        assertThat(select(none).path("initial_option").path("value").asText()).isEqualTo("slack");
        assertThat(select(japanese).path("initial_option").path("value").asText()).isEqualTo("ja");
        assertThat(select(none).path("options").findValuesAsText("value")).containsExactly("en", "ja", "slack");
    }

    private static JsonNode select(JsonNode view) {
        for (JsonNode block : view.path("blocks")) {
            if ("language".equals(block.path("block_id").asText())) {
                return block.path("accessory");
            }
        }
        throw new AssertionError("no language block");
    }

    @Test
    void longListsStayWithinAViewsHundredBlocksAndSayHowManyMoreFromTheCounts() {
        JsonNode view = tree(Home.view(Texts.english(), longApprover(), Optional.empty()));

        assertThat(view.path("blocks").size()).isLessThanOrEqualTo(Home.MAX_BLOCKS);
        assertThat(BlockKitLimits.view(view)).isEmpty();
        assertThat(view.toString()).contains("and 32 more", "and 37 more", "and 45 more", "and 20 more");
    }

    /** An approver with every list of the Home longer than it shows. */
    static Overview.Personal longApprover() {
        List<Overview.Open> open = new ArrayList<>();
        List<Overview.Offer> offers = new ArrayList<>();
        List<Request> waiting = new ArrayList<>();
        String longName = "u".repeat(64);
        for (int i = 0; i < 40; i++) {
            open.add(new Overview.Open(request("r-open" + i, Kind.RESET_PASSWORD, Status.AWAITING_PASSWORD, longName, ALICE,
                    APPROVER, List.of(), "x".repeat(500), NOW), List.of(Overview.Step.SHOW_PASSWORD, Overview.Step.CANCEL)));
            offers.add(new Overview.Offer(longName + i, List.of(Kind.RESET_MFA, Kind.RESET_PASSWORD)));
        }
        for (int i = 0; i < 60; i++) {
            waiting.add(request("r-wait" + i, Kind.ONBOARD, Status.REQUESTED, longName, BOB, REQUESTER,
                    List.of("g".repeat(128), "h".repeat(128)), "y".repeat(500), NOW));
        }
        return new Overview.Personal(APPROVER, NOW, new Overview.Identity(
                java.util.stream.IntStream.range(0, 30).mapToObj(i -> facts(longName, true, true)).toList(), Optional.empty()),
                open.subList(0, Overview.OPEN_LISTED), open.size(), offers, Optional.of(new Overview.Approvals(waiting.stream().limit(Overview.WAITING_LISTED).map(r -> new Overview.Waiting(r, true)).toList(),
                waiting.subList(0, 5), new Overview.Counts(60, 0, 0, 0),
                java.util.stream.IntStream.range(0, Overview.GRANTS_LISTED).mapToObj(i -> grant("r-grant" + i, longName, BOB)
                        .withGrant(new GrantTerm(Duration.ofHours(2), NOW.plus(Duration.ofMinutes(i))), NOW)).toList(), 30)));
    }

    @Test
    void whatPeopleTypedIsEscaped() {
        Request hostile = request("r-evil", Kind.ONBOARD, Status.REQUESTED, "evil", BOB, REQUESTER, List.of(),
                "<!channel> look <https://evil.example|here> & <@U999>", NOW);
        Overview.Personal p = new Overview.Personal(APPROVER, NOW, new Overview.Identity(List.of(), Optional.empty()),
                List.of(), List.of(), Optional.of(new Overview.Approvals(List.of(new Overview.Waiting(hostile, true)), List.of(),
                new Overview.Counts(1, 0, 0, 0))));

        String view = tree(Home.view(Texts.english(), p, Optional.empty())).toString();

        assertThat(view).doesNotContain("<!channel>", "<https://evil", "<@U999>").contains("&lt;!channel&gt;", "&amp;");
    }

    @Test
    void anIamProblemIsSaidInsteadOfTheIdentity() {
        Overview.Personal p = new Overview.Personal(ALICE, NOW,
                new Overview.Identity(List.of(), Optional.of(Notice.of(Reason.IAM_CHECK_FAILED, "code", "Throttling"))),
                List.of(), List.of(), Optional.empty());

        String view = tree(Home.view(Texts.english(), p, Optional.empty())).toString();

        assertThat(view).contains("could not read IAM just now", "`Throttling`").doesNotContain("no IAM user");
    }

    @Test
    void usersNotLookedUpInIamAreNamedWithoutFacts() {
        Overview.Personal p = new Overview.Personal(ALICE, NOW, new Overview.Identity(List.of(), List.of("sampleUser"),
                Optional.empty()), List.of(), List.of(), Optional.empty());

        String view = tree(Home.view(Texts.english(), p, Optional.empty())).toString();

        assertThat(view).contains("`sampleUser`", "open this tab again").doesNotContain("MFA", "no IAM user");
    }

    @Test
    void timesShowInEachReadersOwnTimeZone() {
        assertThat(Home.when(NOW)).isEqualTo("<!date^1795514400^{date_short_pretty} {time}|2026-11-24 10:00 UTC>");
    }
}
