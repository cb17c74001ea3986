package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.files.FilesDeleteResponse;
import com.slack.api.methods.response.files.FilesInfoResponse;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import com.slack.api.methods.response.views.ViewsUpdateResponse;
import com.slack.api.model.view.View;
import com.slack.api.webhook.WebhookResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewTitle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Drives the fake through the real Slack SDK, so the fake is proven against the client the bot uses. */
class FakeSlackTest {

    private FakeSlack fake;
    private Slack slack;
    private MethodsClient client;

    @BeforeEach
    void start() {
        fake = FakeSlack.start();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiUrl());
        slack = Slack.getInstance(config);
        client = slack.methods(fake.botToken());
    }

    @AfterEach
    void stop() throws Exception {
        slack.close();
        fake.close();
    }

    @Test
    void authTestAnswersWithTheBotIdentity() throws Exception {
        AuthTestResponse r = client.authTest(req -> req);

        assertThat(r.isOk()).isTrue();
        assertThat(r.getUserId()).isEqualTo("UBOT0001");
        assertThat(r.getTeamId()).isEqualTo("T0001");
        assertThat(r.getBotId()).isEqualTo("B0001");
        assertThat(fake.lastCall("auth.test")).get().extracting(FakeSlack.Call::token).isEqualTo(FakeSlack.DEFAULT_TOKEN);
    }

    @Test
    void aWrongTokenGetsInvalidAuthAndIsStillRecorded() throws Exception {
        AuthTestResponse r = slack.methods("xoxb-wrong").authTest(req -> req);

        assertThat(r.isOk()).isFalse();
        assertThat(r.getError()).isEqualTo("invalid_auth");
        // Two calls, not one: the SDK first tries its own hidden auth.test (TeamIdCache), which is not cached on failure.
        assertThat(fake.calls("auth.test")).extracting(FakeSlack.Call::token).containsExactly("xoxb-wrong", "xoxb-wrong");
    }

    @Test
    void aConfiguredTokenIsTheOnlyOneAccepted() throws Exception {
        try (FakeSlack other = FakeSlack.start("xoxb-other-token-1234567890")) {
            SlackConfig config = new SlackConfig();
            config.setMethodsEndpointUrlPrefix(other.apiUrl());
            try (Slack s = Slack.getInstance(config)) {
                assertThat(other.botToken()).isEqualTo("xoxb-other-token-1234567890");
                assertThat(s.methods("xoxb-other-token-1234567890").authTest(r -> r).isOk()).isTrue();
                assertThat(s.methods(FakeSlack.DEFAULT_TOKEN).authTest(r -> r).getError()).isEqualTo("invalid_auth");
            }
        }
    }

    @Test
    void anUnknownMethodAnswersUnknownMethod() throws Exception {
        assertThat(client.emojiList(r -> r).getError()).isEqualTo("unknown_method");
    }

    @Test
    void chatUpdateReplacesTheStoredMessageAndKeepsItsTs() throws Exception {
        ChatPostMessageResponse posted = client.chatPostMessage(r -> r
                .channel("C0APPROVAL")
                .text("Request pending")
                .blocks(asBlocks(section(s -> s.blockId("status").text(markdownText("*pending*"))))));
        assertThat(posted.isOk()).isTrue();
        assertThat(posted.getTs()).isEqualTo("1700000000.000100");
        assertThat(posted.getMessage().getBlocks()).hasSize(1);
        // The blocks form field arrives as JSON text and is recorded parsed.
        assertThat(fake.lastCall("chat.postMessage").orElseThrow().params().at("/blocks/0/block_id").asText())
                .isEqualTo("status");

        ChatUpdateResponse updated = client.chatUpdate(r -> r
                .channel("C0APPROVAL").ts(posted.getTs())
                .text("Request approved")
                .blocks(asBlocks(section(s -> s.blockId("status").text(markdownText("*approved*"))))));

        assertThat(updated.isOk()).isTrue();
        List<FakeSlack.Message> messages = fake.messages("C0APPROVAL");
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).ts()).isEqualTo(posted.getTs());
        assertThat(messages.get(0).text()).isEqualTo("Request approved");
        assertThat(messages.get(0).blocks().at("/0/text/text").asText()).isEqualTo("*approved*");
        assertThat(messages.get(0).edited()).isTrue();
    }

    @Test
    void chatUpdateOfAnUnknownTsAnswersMessageNotFound() throws Exception {
        ChatUpdateResponse r = client.chatUpdate(req -> req.channel("C0APPROVAL").ts("1.000000").text("x"));

        assertThat(r.getError()).isEqualTo("message_not_found");
    }

    @Test
    void postMessageTimestampsIncrease() throws Exception {
        String first = client.chatPostMessage(r -> r.channel("C1").text("a")).getTs();
        String second = client.chatPostMessage(r -> r.channel("C1").text("b")).getTs();

        assertThat(Double.parseDouble(second)).isGreaterThan(Double.parseDouble(first));
    }

    @Test
    void conversationsOpenGivesADeterministicDmIdThatMessagesLandIn() throws Exception {
        String dm = client.conversationsOpen(r -> r.users(List.of("U123"))).getChannel().getId();
        client.chatPostMessage(r -> r.channel(dm).text("hello"));

        assertThat(dm).isEqualTo("DU123");
        assertThat(fake.messages("DU123")).extracting(FakeSlack.Message::text).containsExactly("hello");
    }

    @Test
    void usersInfoKnowsUIdsAndRegisteredUsersButNotOthers() throws Exception {
        fake.addUser("X999", "alice");

        assertThat(client.usersInfo(r -> r.user("U777")).getUser().getId()).isEqualTo("U777");
        assertThat(client.usersInfo(r -> r.user("X999")).getUser().getName()).isEqualTo("alice");
        assertThat(client.usersInfo(r -> r.user("X000")).getError()).isEqualTo("user_not_found");
    }

    @Test
    void filesUploadV2StoresTheExactBytesAndSharesTheFileIntoTheDm() throws Exception {
        byte[] png = pngLikeBytes();

        FilesUploadV2Response r = client.filesUploadV2(req -> req
                .channel("DU123")
                .filename("mfa-qr.png")
                .title("Your MFA QR code")
                .fileData(png)
                .initialComment("Scan this"));

        assertThat(r.isOk()).isTrue();
        String fileId = r.getFile().getId();
        assertThat(fileId).isEqualTo("F0001");
        assertThat(r.getFile().getIms()).containsExactly("DU123");
        // What the SDK 1.51.0 really does: two Web API calls with a raw-bytes POST in between, no files.info.
        // (auth.test is filtered out: the SDK's JVM-wide TeamIdCache adds one only for a token's first call.)
        assertThat(fake.calls()).extracting(FakeSlack.Call::method).filteredOn(m -> !m.equals("auth.test"))
                .containsExactly("files.getUploadURLExternal", "files.completeUploadExternal");
        assertThat(fake.lastCall("files.getUploadURLExternal").orElseThrow().param("length"))
                .isEqualTo(String.valueOf(png.length));
        assertThat(fake.lastCall("files.completeUploadExternal").orElseThrow().params().at("/files/0/title").asText())
                .isEqualTo("Your MFA QR code");

        FakeSlack.UploadedFile stored = fake.file(fileId).orElseThrow();
        assertThat(stored.bytes()).isEqualTo(png);
        assertThat(stored.filename()).isEqualTo("mfa-qr.png");
        assertThat(stored.title()).isEqualTo("Your MFA QR code");
        assertThat(stored.channels()).containsExactly("DU123");
        assertThat(fake.messages("DU123")).singleElement()
                .satisfies(m -> assertThat(m.fileIds()).containsExactly(fileId))
                .satisfies(m -> assertThat(m.text()).isEqualTo("Scan this"));

        FilesInfoResponse info = client.filesInfo(req -> req.file(fileId));
        assertThat(info.getFile().getMimetype()).isEqualTo("image/png");
        assertThat(info.getFile().getSize()).isEqualTo(png.length);

        FilesDeleteResponse deleted = client.filesDelete(req -> req.file(fileId));
        assertThat(deleted.isOk()).isTrue();
        assertThat(fake.isDeleted(fileId)).isTrue();
        assertThat(client.filesDelete(req -> req.file(fileId)).getError()).isEqualTo("file_not_found");
        assertThat(client.filesInfo(req -> req.file(fileId)).getError()).isEqualTo("file_deleted");
    }

    @Test
    void filesDeleteOfAnUnknownFileAnswersFileNotFound() throws Exception {
        assertThat(client.filesDelete(r -> r.file("F9999")).getError()).isEqualTo("file_not_found");
    }

    @Test
    void viewsOpenThenUpdateByViewIdAndByExternalId() throws Exception {
        View modal = view(v -> v.type("modal").callbackId("onboard_request").externalId("req-1")
                .privateMetadata("{\"request\":1}")
                .title(viewTitle(t -> t.type("plain_text").text("Onboard to AWS")))
                .blocks(asBlocks(section(s -> s.text(plainText("step 1"))))));

        ViewsOpenResponse opened = client.viewsOpen(r -> r.triggerId("123.456.abc").view(modal));
        assertThat(opened.isOk()).isTrue();
        String viewId = opened.getView().getId();
        assertThat(viewId).isEqualTo("V0001");
        assertThat(opened.getView().getCallbackId()).isEqualTo("onboard_request");
        assertThat(opened.getView().getPrivateMetadata()).isEqualTo("{\"request\":1}");

        View step2 = view(v -> v.type("modal").callbackId("onboard_request")
                .title(viewTitle(t -> t.type("plain_text").text("Onboard to AWS")))
                .blocks(asBlocks(section(s -> s.text(plainText("step 2"))))));
        ViewsUpdateResponse byId = client.viewsUpdate(r -> r.viewId(viewId).hash(opened.getView().getHash()).view(step2));
        assertThat(byId.isOk()).isTrue();
        assertThat(byId.getView().getId()).isEqualTo(viewId);
        assertThat(fake.lastView().orElseThrow().at("/blocks/0/text/text").asText()).isEqualTo("step 2");

        // The first hash is stale now: Slack refuses such an update.
        assertThat(client.viewsUpdate(r -> r.viewId(viewId).hash(opened.getView().getHash()).view(step2)).getError())
                .isEqualTo("hash_conflict");

        // A hash the fake never issued (e.g. from a SlackRequests view_submission payload) is not a conflict.
        assertThat(client.viewsUpdate(r -> r.viewId(viewId).hash("1768471200.1").view(step2)).isOk()).isTrue();

        ViewsUpdateResponse byExternalId = client.viewsUpdate(r -> r.externalId("req-1").view(modal));
        assertThat(byExternalId.getView().getId()).isEqualTo(viewId);
        assertThat(fake.views()).hasSize(4);
        assertThat(client.viewsUpdate(r -> r.viewId("V9999").view(modal)).getError()).isEqualTo("not_found");
    }

    @Test
    void failNextHandsTheErrorToTheSdkThenRecovers() throws Exception {
        fake.failNext("chat.postMessage", 1, "channel_not_found");

        ChatPostMessageResponse first = client.chatPostMessage(r -> r.channel("C1").text("a"));
        ChatPostMessageResponse second = client.chatPostMessage(r -> r.channel("C1").text("a"));

        assertThat(first.isOk()).isFalse();
        assertThat(first.getError()).isEqualTo("channel_not_found");
        assertThat(second.isOk()).isTrue();
        assertThat(fake.callCount("chat.postMessage")).isEqualTo(2);
        assertThat(fake.messages("C1")).hasSize(1);
    }

    @Test
    void rateLimitNextMakesTheSdkThrowA429WithRetryAfterAndDoesNotRetry() throws Exception {
        fake.rateLimitNext("chat.postMessage", 1, 7);

        SlackApiException e = catchThrowableOfType(SlackApiException.class,
                () -> client.chatPostMessage(r -> r.channel("C1").text("a")));

        assertThat(e).isNotNull();
        assertThat(e.getResponse().code()).isEqualTo(429);
        assertThat(e.getResponse().header("Retry-After")).isEqualTo("7");
        assertThat(e.getError().getError()).isEqualTo("ratelimited");
        // The synchronous MethodsClient does not retry by itself: exactly one call reached the fake.
        assertThat(fake.callCount("chat.postMessage")).isEqualTo(1);
        assertThat(client.chatPostMessage(r -> r.channel("C1").text("a")).isOk()).isTrue();
    }

    @Test
    void serverErrorNextMakesTheSdkThrowWithThatStatus() throws Exception {
        fake.serverErrorNext("views.open", 2, 503);

        SlackApiException e = catchThrowableOfType(SlackApiException.class,
                () -> client.viewsOpen(r -> r.triggerId("t").view(view(v -> v.type("modal")))));

        assertThat(e).isNotNull();
        assertThat(e.getResponse().code()).isEqualTo(503);
        assertThat(fake.callCount("views.open")).isEqualTo(1);
    }

    @Test
    void postsToAResponseUrlAreRecorded() throws Exception {
        WebhookResponse r = slack.send(fake.responseUrl("cmd-1"), "{\"text\":\"working on it\",\"response_type\":\"ephemeral\"}");

        assertThat(r.getCode()).isEqualTo(200);
        assertThat(fake.responses()).singleElement().satisfies(resp -> {
            assertThat(resp.id()).isEqualTo("cmd-1");
            assertThat(resp.body().get("text").asText()).isEqualTo("working on it");
        });
    }

    @Test
    void concurrentPostsAreAllStoredWithDistinctTimestamps() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                tasks.add(() -> client.chatPostMessage(r -> r.channel("C1").text("m" + n)).getTs());
            }
            Set<String> ts = new java.util.HashSet<>();
            for (Future<String> f : pool.invokeAll(tasks)) ts.add(f.get());

            assertThat(ts).hasSize(64);
            assertThat(fake.messages("C1")).hasSize(64);
            assertThat(fake.callCount("chat.postMessage")).isEqualTo(64);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aJsonBodyWithABearerTokenIsAccepted() throws Exception {
        // Some callers (and Bolt for a few methods) send JSON; the fake must read it the same way.
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fake.apiUrl() + "chat.postMessage"))
                        .header("Authorization", "Bearer " + fake.botToken())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"channel\":\"C9\",\"text\":\"json\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("\"ok\":true");
        JsonNode params = fake.lastCall("chat.postMessage").orElseThrow().params();
        assertThat(params.get("text").asText()).isEqualTo("json");
        assertThat(fake.messages("C9")).extracting(FakeSlack.Message::text).containsExactly("json");
    }

    /** A PNG signature followed by every byte value, so any text re-encoding on the way would show. */
    private static byte[] pngLikeBytes() {
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        byte[] out = new byte[sig.length + 256];
        System.arraycopy(sig, 0, out, 0, sig.length);
        for (int i = 0; i < 256; i++) out[sig.length + i] = (byte) i;
        return out;
    }
}
