package dev.awsonboard.slack.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awsonboard.fakes.BlockKitLimits;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.model.CredentialReport;
import dev.awsonboard.lifecycle.model.Link;
import dev.awsonboard.slack.language.Texts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The account's IAM users as approvers see them: the users answer and the App Home section, golden, within Block Kit's limits. */
class AccountViewsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant REPORT = NOW.minus(Duration.ofHours(1));
    private static final String ALICE = "UALICE0001";
    private static final String BOB = "UBOB000001";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CredentialReport.User user(String name, boolean console, boolean mfa, Optional<Instant> signedIn,
                                              List<CredentialReport.AccessKey> keys) {
        return new CredentialReport.User(name, "arn:aws:iam::123456789012:user/" + name, NOW.minus(Duration.ofDays(400)),
                console, signedIn, mfa, keys);
    }

    private static Link link(String name, String person) {
        return new Link("123456789012", "AIDA" + name.length(), name, "T0TEAM0001", person, Link.How.ONBOARDED, "UAPPROVER1",
                NOW.minus(Duration.ofDays(30)));
    }

    /**
     * An account adopted half way: alice's user with MFA, old.ops linked to bob without MFA, an admin's
     * console user nobody is linked to, a deploy user with keys, and bob's old user suggested by its tag.
     */
    static AccountUsers.Roster roster() {
        return new AccountUsers.Roster(REPORT, NOW, "/", List.of(
                new AccountUsers.Row(user("admin.legacy", true, false, Optional.of(NOW.minus(Duration.ofDays(90))), List.of()),
                        Optional.empty(), Optional.empty()),
                new AccountUsers.Row(user("bob.old", true, false, Optional.empty(), List.of()), Optional.empty(),
                        Optional.of(new AccountUsers.Suggestion("bob.old", "bob@example.com", AccountUsers.Suggestion.Source.TAG, BOB))),
                new AccountUsers.Row(user("ci-deploy", false, false, Optional.empty(), List.of(
                        new CredentialReport.AccessKey(NOW.minus(Duration.ofDays(400)), Optional.of(NOW.minus(Duration.ofDays(2)))),
                        new CredentialReport.AccessKey(NOW.minus(Duration.ofDays(10)), Optional.empty()))),
                        Optional.empty(), Optional.empty()),
                new AccountUsers.Row(user("old.ops", true, false, Optional.of(NOW.minus(Duration.ofDays(3))), List.of()),
                        Optional.of(link("old.ops", BOB)), Optional.empty()),
                new AccountUsers.Row(user("sampleUser", true, true, Optional.of(NOW.minus(Duration.ofHours(5))), List.of()),
                        Optional.of(link("sampleUser", ALICE)), Optional.empty())));
    }

    private static JsonNode tree(Object value) {
        try {
            return JSON.readTree(Golden.json(value));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theUsersAnswerMatchesItsGoldenInBothLanguages() {
        Golden.assertMatches("users.en.json", Golden.json(AccountViews.users(Texts.english(), roster())));
        Golden.assertMatches("users.ja.json", Golden.json(AccountViews.users(Texts.of(Locale.JAPANESE), roster())));
    }

    @Test
    void anApproversHomeWithTheUsersMatchesItsGoldenInBothLanguages() {
        Golden.assertMatches("home-approver-users.en.json", Golden.json(Home.view(Texts.english(), HomeTest.approver(),
                Optional.of(Locale.ENGLISH), Optional.of(roster()))));
        Golden.assertMatches("home-approver-users.ja.json", Golden.json(Home.view(Texts.of(Locale.JAPANESE),
                HomeTest.approver(), Optional.of(Locale.JAPANESE), Optional.of(roster()))));
    }

    @Test
    void theWeeklySummaryMatchesItsGoldenInBothLanguagesWithinAMessagesLimits() {
        Golden.assertMatches("summary.en.json", Golden.json(AccountViews.summary(Texts.english(), roster().mfaCoverage())));
        Golden.assertMatches("summary.ja.json", Golden.json(AccountViews.summary(Texts.of(Locale.JAPANESE), roster().mfaCoverage())));

        assertThat(BlockKitLimits.message(tree(AccountViews.summary(Texts.english(), roster().mfaCoverage())))).isEmpty();
        assertThat(AccountViews.summaryText(Texts.english(), roster().mfaCoverage()))
                .isEqualTo("Weekly MFA coverage: 3 IAM users with a console password and no MFA");
    }

    @Test
    void theAnswerSaysWhoseEachUserIsItsMfaPasswordAndKeysWithButtonsForWhatCanBeDone() {
        String answer = tree(AccountViews.users(Texts.english(), roster())).toString();

        assertThat(answer).contains("`old.ops` → <@" + BOB + ">", "`admin.legacy` → _nobody_", "*no MFA*",
                "access keys: 2, the oldest made 400 days ago, last used", "never signed in with the password",
                "*3* with a console password and no MFA", "1 linked to a person, 2 not linked",
                "\"action_id\":\"users_enrol_mfa\",\"value\":\"old.ops\"",
                "\"action_id\":\"users_link_suggestion\",\"value\":\"bob.old|" + BOB + "\"", "`bob@example.com`");
        assertThat(AccountViews.usersText(Texts.english(), roster())).isEqualTo(
                "IAM users under /: 5; 3 with a console password and no MFA.");
    }

    @Test
    void consoleUsersWithoutMfaAreListedFirst() {
        JsonNode blocks = tree(AccountViews.users(Texts.english(), roster()));
        String lines = blocks.get(2).path("text").path("text").asText();

        assertThat(lines.indexOf("old.ops")).isLessThan(lines.indexOf("ci-deploy"));
        assertThat(lines.indexOf("admin.legacy")).isLessThan(lines.indexOf("sampleUser"));
    }

    @Test
    void aHomeBeforeTheFirstReportSaysSoAndTheApproversHomeWithoutUsersIsUnchanged() {
        String notRead = tree(Home.view(Texts.english(), HomeTest.approver(), Optional.empty(), Optional.empty())).toString();
        String without = tree(Home.view(Texts.english(), HomeTest.approver(), Optional.empty())).toString();

        assertThat(notRead).contains("Reading IAM's credential report", "/aws-onboard users");
        assertThat(without).doesNotContain("IAM users", "credential report");
        assertThat(tree(Home.view(Texts.english(), HomeTest.alice(), Optional.empty(), Optional.of(roster()))).toString())
                .as("a person who is no approver sees no account").doesNotContain("old.ops", "IAM users");
    }

    @Test
    void everyCoveredAccountSaysSo() {
        AccountUsers.Roster covered = new AccountUsers.Roster(REPORT, NOW, "/people/", List.of(new AccountUsers.Row(
                user("sampleUser", true, true, Optional.empty(), List.of()), Optional.of(link("sampleUser", ALICE)), Optional.empty())));

        String answer = tree(AccountViews.users(Texts.english(), covered)).toString();

        assertThat(answer).contains("Every IAM user with a console password has MFA", "`/people/`")
                .doesNotContain("users_enrol_mfa", "users_link_suggestion");
    }

    @Test
    void hundredsOfUsersStayWithinAMessagesFiftyBlocksAndAHomesHundredSayingHowManyMore() {
        List<AccountUsers.Row> rows = new ArrayList<>();
        String longName = "u".repeat(60);
        for (int i = 0; i < 600; i++) {
            String name = longName + String.format("%04d", i);
            rows.add(switch (i % 3) {
                case 0 -> new AccountUsers.Row(user(name, true, false, Optional.of(NOW), List.of(
                        new CredentialReport.AccessKey(NOW, Optional.of(NOW)), new CredentialReport.AccessKey(NOW, Optional.empty()))),
                        Optional.of(link(name, ALICE)), Optional.empty());
                case 1 -> new AccountUsers.Row(user(name, true, false, Optional.empty(), List.of()), Optional.empty(),
                        Optional.of(new AccountUsers.Suggestion(name, "x".repeat(200) + "@example.com",
                                AccountUsers.Suggestion.Source.TAG, BOB)));
                default -> new AccountUsers.Row(user(name, false, false, Optional.empty(), List.of()), Optional.empty(), Optional.empty());
            });
        }
        AccountUsers.Roster big = new AccountUsers.Roster(REPORT, NOW, "/", rows);

        JsonNode answer = tree(AccountViews.users(Texts.english(), big));
        JsonNode home = tree(Home.view(Texts.english(), HomeTest.longApprover(), Optional.empty(), Optional.of(big)));

        assertThat(answer.size()).isLessThanOrEqualTo(50);
        assertThat(BlockKitLimits.message(answer)).isEmpty();
        assertThat(answer.toString()).contains("and 500 more", "and 190 more");
        assertThat(home.path("blocks").size()).isLessThanOrEqualTo(Home.MAX_BLOCKS);
        assertThat(BlockKitLimits.view(home)).isEmpty();
        assertThat(home.toString()).contains("and 195 more", "*600* IAM users");
    }

    @Test
    void anAddressFromATagIsEscaped() {
        AccountUsers.Roster hostile = new AccountUsers.Roster(REPORT, NOW, "/", List.of(new AccountUsers.Row(
                user("x", true, false, Optional.empty(), List.of()), Optional.empty(),
                Optional.of(new AccountUsers.Suggestion("x", "a<!channel>@evil.example", AccountUsers.Suggestion.Source.TAG, BOB)))));

        String answer = tree(AccountViews.users(Texts.english(), hostile)).toString();

        assertThat(answer).doesNotContain("<!channel>").contains("&lt;!channel&gt;");
    }
}
