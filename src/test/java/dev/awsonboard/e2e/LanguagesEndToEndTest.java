package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.store.Database;
import dev.awsonboard.store.JdbcLanguageChoices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.awsonboard.e2e.TestBot.ALICE;
import static dev.awsonboard.e2e.TestBot.APPROVAL_CHANNEL;
import static dev.awsonboard.e2e.TestBot.APPROVER;
import static dev.awsonboard.e2e.TestBot.APPROVER_2;
import static dev.awsonboard.e2e.TestBot.MALLORY;
import static dev.awsonboard.e2e.TestBot.REQUESTER;
import static dev.awsonboard.e2e.TestBot.dm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each reader gets their own language: a person their choice, else their Slack locale, else the
 * default; channels the default ({@code defaultLanguage}).
 */
class LanguagesEndToEndTest {
    private static final Pattern JAPANESE = Pattern.compile("[\\p{IsHiragana}\\p{IsKatakana}\\p{IsHan}]");
    @TempDir
    Path dir;

    private TestBot start(String yaml, Map<String, String> env) throws IOException {
        Path config = Files.createDirectories(dir.resolve("config")).resolve("onboard.yml");
        Files.writeString(config, yaml);
        Map<String, String> all = new HashMap<>(env);
        all.put("ONBOARD_CONFIG", config.toString());
        return TestBot.start(dir, all);
    }

    /** Everything one person was shown: ephemeral notes and their DM, texts and blocks. */
    private static String shownTo(TestBot t, String user) {
        return Stream.concat(t.slack.ephemeralsTo(user).stream().map(e -> e.text() + " " + e.blocks()),
                t.slack.messages(dm(user)).stream().map(m -> m.text() + " " + m.blocks())).collect(Collectors.joining("\n"));
    }

    private static String allOf(List<FakeSlack.Message> messages) {
        return messages.stream().map(m -> m.text() + " " + m.blocks()).collect(Collectors.joining("\n"));
    }

    private static long lookupsOf(TestBot t, String user) {
        return t.slack.calls("users.info").stream().filter(c -> user.equals(c.params().path("user").asText())).count();
    }

    @Test
    void aliceOnboardsInJapaneseWhileTheRequesterReadsEnglishAndTheApprovalChannelTheDefault() throws IOException {
        try (TestBot t = start("groups: [developers, readonly]\n", Map.of())) {
            t.slack.setLocale(ALICE, "ja-JP");
            String id = t.requestSampleUser(); // the requester's ack and follow-up: English (checked inside)
            assertThat(t.approvalMessage().blocks().toString()).contains("AWS access request", "Approve").doesNotContainPattern(JAPANESE);

            // A refusal goes to whoever clicked, in their language: alice may not approve.
            t.approve(ALICE, id);
            await().atMost(Duration.ofSeconds(10)).until(() -> shownTo(t, ALICE).contains("申請を承認できるのは承認者だけです。"));

            t.approve(APPROVER, id);
            Request waiting = t.awaitStatus(id, Status.AWAITING_MFA);

            // Her DM: the QR's comment, the setup message and its buttons, all Japanese.
            String dmText = shownTo(t, ALICE);
            assertThat(dmText).contains("この QR コードを認証アプリで読み取ってください。", "AWS アカウントの準備ができました",
                    "*サインイン URL:*", "*IAM ユーザー名:* `sampleUser`", "認証コードを入力", "パスワードを表示", "連続する 2 つの新しい認証コード");
            assertThat(t.qrFileFor(ALICE).title()).isEqualTo("sampleUser の AWS MFA QR コード");

            // The codes form, its inline errors and its answer.
            int views = t.slack.callCount("views.open");
            t.click(ALICE, "onboard_enter_codes", id, dm(ALICE));
            JsonNode form = t.awaitOpenedView(views);
            assertThat(form.path("title").path("text").asText()).isEqualTo("MFA の有効化");
            assertThat(form.toString()).contains("認証コード 1", "認証コード 2", "MFA を有効にする");
            assertThat(t.submitCodes(ALICE, id, "12", "654321").body()).contains("6 桁の認証コードを入力してください");
            assertThat(t.submitCodes(ALICE, id, "000000", "111111").body()).contains("AWS がこの認証コードを受け付けませんでした");

            // Someone else's click is refused in their own language (mallory's is English).
            t.click(MALLORY, "onboard_enter_codes", id, dm(ALICE));
            await().atMost(Duration.ofSeconds(10)).until(() -> shownTo(t, MALLORY).contains("can finish this setup"));
            assertThat(shownTo(t, MALLORY)).doesNotContainPattern(JAPANESE);

            List<String> codes = t.codesFromQr(ALICE);
            HttpResponse<String> done = t.submitCodes(ALICE, id, codes.get(0), codes.get(1));
            assertThat(done.body()).contains("MFA を有効にしました", "sampleUser");
            t.awaitStatus(id, Status.DONE);

            // Completion, the closed setup message, the one password reveal and an out-of-date click.
            await().atMost(Duration.ofSeconds(10)).until(() -> shownTo(t, ALICE).contains("QR コードは削除しました"));
            assertThat(t.slack.message(dm(ALICE), t.request(id).setupMessage().ts()).orElseThrow().blocks().toString())
                    .contains("この設定は終了しました");
            t.click(ALICE, "onboard_first_password", id, dm(ALICE));
            await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.lastView()
                    .map(v -> v.path("blocks").toString().contains("\"password\"")).orElse(false));
            JsonNode password = t.slack.lastView().orElseThrow();
            assertThat(password.path("title").path("text").asText()).isEqualTo("あなたのパスワード");
            assertThat(password.toString()).contains("の一時パスワードです", "閉じる");
            t.click(ALICE, "onboard_show_password", id, dm(ALICE));
            await().atMost(Duration.ofSeconds(10)).until(() -> shownTo(t, ALICE).contains("このボタンは古くなっています"));

            // Nothing alice was shown is English; nothing the requester or the channel got is Japanese.
            assertThat(shownTo(t, ALICE)).doesNotContain("Enter codes", "Show password", "MFA is enabled", "Only approvers",
                    "out of date", "Scan this QR code");
            assertThat(t.followUps()).allSatisfy(f -> assertThat(f).doesNotContainPattern(JAPANESE));
            assertThat(shownTo(t, REQUESTER)).doesNotContainPattern(JAPANESE);
            assertThat(allOf(t.slack.messages(APPROVAL_CHANNEL))).doesNotContainPattern(JAPANESE);
            assertThat(t.approvalMessage().blocks().toString()).contains("Done");
            assertThat(waiting.mfaSerial()).isNotBlank();

            // users.info about alice came only from the two fitness checks (at the request, before IAM changes);
            // her dozen messages, modals and refusals reused what they saw.
            assertThat(lookupsOf(t, ALICE)).isEqualTo(2);
            assertThat(lookupsOf(t, REQUESTER)).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void defaultLanguageJaMakesChannelMessagesJapaneseWhileAnEnglishRequesterReadsEnglish() throws IOException {
        try (TestBot t = start("groups: [developers, readonly]\ndefaultLanguage: ja\n", Map.of())) {
            t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice> groups=developers 新しいメンバー");
            String followUp = t.awaitFollowUp();
            assertThat(followUp).contains("waiting for approval").doesNotContainPattern(JAPANESE);
            await().atMost(Duration.ofSeconds(10)).until(() -> !t.slack.messages(APPROVAL_CHANNEL).isEmpty());
            FakeSlack.Message approval = t.approvalMessage();
            assertThat(approval.text()).contains("AWS アクセス申請");
            assertThat(approval.blocks().toString()).contains("*申請者*", "*対象者*", "承認", "却下", "この IAM ユーザーを作成しますか？",
                    "承認者の承認を待っています。");

            String id = t.latestApprovalRequestId();
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            // alice's Slack locale is English (en-US): her DM is English although the channel reads Japanese.
            assertThat(shownTo(t, ALICE)).contains("Your AWS account is ready", "Enter codes").doesNotContainPattern(JAPANESE);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.message(APPROVAL_CHANNEL, approval.ts()).orElseThrow()
                    .blocks().toString().contains("が承認しました"));
            t.finishSetup(id);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.slack.message(APPROVAL_CHANNEL, approval.ts()).orElseThrow()
                    .blocks().toString().contains("完了"));
        }
    }

    @Test
    void aPersonsStoredChoiceBeatsTheirSlackLocale() throws IOException {
        try (TestBot t = start("groups: [developers, readonly]\n", Map.of())) {
            t.slack.setLocale(ALICE, "ja-JP");
            // alice chose English in the bot (App Home keeps it in the database); bob's Slack is English, he chose Japanese.
            try (Database db = Database.open(t.env.get("DATABASE_URL"))) {
                JdbcLanguageChoices choices = new JdbcLanguageChoices(db.dataSource(), Clock.systemUTC());
                choices.choose(ALICE, Optional.of(Locale.ENGLISH));
                choices.choose(TestBot.BOB, Optional.of(Locale.JAPANESE));
            }
            String id = t.requestSampleUser();
            t.approve(APPROVER, id);
            t.awaitStatus(id, Status.AWAITING_MFA);
            assertThat(shownTo(t, ALICE)).contains("Your AWS account is ready", "Enter codes").doesNotContainPattern(JAPANESE);

            assertThat(t.command(TestBot.BOB, "help").body()).contains("承認者の承認を得てから");
        }
    }

    @Test
    void withoutAnApprovalChannelEachApproverReadsTheirOwnCopyInTheirLanguageAlsoAfterARestart() throws IOException {
        try (TestBot t = start("groups: [developers, readonly]\n", Map.of("ONBOARD_APPROVAL_CHANNEL", ""))) {
            t.slack.setLocale(APPROVER_2, "ja-JP");
            t.command(REQUESTER, "sampleUser <@" + ALICE + "|alice>");
            assertThat(t.awaitFollowUp()).contains("waiting for approval");
            assertThat(allOf(t.slack.messages(dm(APPROVER)))).contains("AWS access request").doesNotContainPattern(JAPANESE);
            assertThat(allOf(t.slack.messages(dm(APPROVER_2)))).contains("AWS アクセス申請", "承認");

            // A new process knows nothing of whose DM is whose; the refreshed copies still go out in each language.
            t.restart();
            String id = t.slack.messages(dm(APPROVER)).get(0).blocks().toString().replaceAll(".*\"value\":\"(req-[0-9]+)\".*", "$1");
            t.click(APPROVER, "onboard_approve", id, dm(APPROVER));
            t.awaitStatus(id, Status.AWAITING_MFA);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    t.slack.messages(dm(APPROVER_2)).get(0).blocks().toString().contains("が承認しました"));
            assertThat(t.slack.messages(dm(APPROVER)).get(0).blocks().toString()).contains("Approved by").doesNotContainPattern(JAPANESE);
        }
    }
}
