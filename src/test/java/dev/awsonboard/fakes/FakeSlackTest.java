package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackFilesUploadV2Exception;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.files.FilesDeleteResponse;
import com.slack.api.methods.response.files.FilesInfoResponse;
import com.slack.api.methods.response.files.FilesUploadV2Response;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import com.slack.api.methods.response.conversations.ConversationsInfoResponse;
import com.slack.api.methods.response.views.ViewsPublishResponse;
import com.slack.api.methods.response.views.ViewsUpdateResponse;
import com.slack.api.model.User;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.view.View;
import com.slack.api.webhook.WebhookResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/** Drives the fake through the real Slack SDK, so the fake is proven against the client the bot uses. */
class FakeSlackTest {

    static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    static final String ALICE = "UALICE0001";

    private final ManualClock clock = new ManualClock(START);
    private FakeSlack fake;
    private Slack slack;
    private MethodsClient client;

    @BeforeEach
    void start() {
        fake = FakeSlack.start(clock);
        // The channel most tests post in, with the bot invited, and one person.
        fake.inviteBot("C1").addUser(ALICE, "alice").addMember("C1", ALICE);
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
        fake.inviteBot("C0APPROVAL");
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
        fake.inviteBot("C0APPROVAL");
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
        fake.addUser("U123", "bob");
        String dm = client.conversationsOpen(r -> r.users(List.of("U123"))).getChannel().getId();
        client.chatPostMessage(r -> r.channel(dm).text("hello"));

        assertThat(dm).isEqualTo("DU123");
        assertThat(fake.messages("DU123")).extracting(FakeSlack.Message::text).containsExactly("hello");
    }

    @Test
    void usersInfoKnowsRegisteredPeopleOnly() throws Exception {
        fake.addUser("X999", "carol");

        assertThat(client.usersInfo(r -> r.user(ALICE)).getUser().getName()).isEqualTo("alice");
        assertThat(client.usersInfo(r -> r.user("X999")).getUser().getName()).isEqualTo("carol");
        // A well-formed id is not a person: unknown ids fail rather than silently succeed.
        assertThat(client.usersInfo(r -> r.user("U777")).getError()).isEqualTo("user_not_found");
    }

    @Test
    void filesUploadV2StoresTheExactBytesAndSharesTheFileIntoTheDm() throws Exception {
        fake.addUser("U123", "bob");
        assertThat(client.conversationsOpen(r -> r.users(List.of("U123"))).getChannel().getId()).isEqualTo("DU123");
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
        // (auth.test is filtered out: the SDK's JVM-wide TeamIdCache adds one only for a token's first call;
        // conversations.open is this test's own set-up.)
        assertThat(fake.calls()).extracting(FakeSlack.Call::method)
                .filteredOn(m -> !m.equals("auth.test") && !m.equals("conversations.open"))
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

        // files.info needs files:read, which manifest.yml does not ask for (the bot never calls it).
        grantAlso("files:read");
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

        ViewsOpenResponse opened = client.viewsOpen(r -> r.triggerId(fake.trigger()).view(modal));
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
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"channel\":\"C1\",\"text\":\"json\"}"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("\"ok\":true");
        JsonNode params = fake.lastCall("chat.postMessage").orElseThrow().params();
        assertThat(params.get("text").asText()).isEqualTo("json");
        assertThat(fake.messages("C1")).extracting(FakeSlack.Message::text).containsExactly("json");
    }

    @Nested
    class Scopes {
        @Test
        void aMethodOutsideTheGrantedScopesAnswersMissingScopeNamingNeededAndProvided() throws Exception {
            fake.revokeScopes("chat:write");

            ChatPostMessageResponse r = client.chatPostMessage(req -> req.channel("C1").text("hello"));

            assertThat(r.isOk()).isFalse();
            assertThat(r.getError()).isEqualTo("missing_scope");
            assertThat(r.getNeeded()).isEqualTo("chat:write");
            assertThat(r.getProvided().split(",")).contains("users:read", "files:write").doesNotContain("chat:write");
            assertThat(fake.messages("C1")).isEmpty();
        }

        @Test
        void conversationsInfoNeedsTheReadScopeOfTheConversationsKind() throws Exception {
            fake.addPrivateChannel("GSECRET").inviteBot("GSECRET").revokeScopes("groups:read");

            assertThat(client.conversationsInfo(r -> r.channel("C1")).isOk()).isTrue();
            ConversationsInfoResponse secret = client.conversationsInfo(r -> r.channel("GSECRET"));
            assertThat(secret.getError()).isEqualTo("missing_scope");
            assertThat(secret.getNeeded()).isEqualTo("groups:read");
        }

        @Test
        void usergroupsUsersListNamesTheGroupsMembersWithUsergroupsRead() throws Exception {
            fake.addUser("UBOB000001", "bob").addUserGroup("S0ADMINS", ALICE, "UBOB000001").addUserGroup("S0EMPTY");

            var admins = client.usergroupsUsersList(r -> r.usergroup("S0ADMINS"));
            assertThat(admins.isOk()).isTrue();
            assertThat(admins.getUsers()).containsExactly(ALICE, "UBOB000001");
            assertThat(client.usergroupsUsersList(r -> r.usergroup("S0EMPTY")).getUsers()).isEmpty();
            assertThat(client.usergroupsUsersList(r -> r.usergroup("S0NOSUCH")).getError()).isEqualTo("no_such_subteam");
            assertThat(fake.lastCall("usergroups.users.list").orElseThrow().param("usergroup")).isEqualTo("S0NOSUCH");

            fake.setUserGroupMembers("S0ADMINS", "UBOB000001");
            assertThat(client.usergroupsUsersList(r -> r.usergroup("S0ADMINS")).getUsers()).containsExactly("UBOB000001");

            fake.revokeScopes("usergroups:read");
            var refused = client.usergroupsUsersList(r -> r.usergroup("S0ADMINS"));
            assertThat(refused.getError()).isEqualTo("missing_scope");
            assertThat(refused.getNeeded()).isEqualTo("usergroups:read");
        }

        @Test
        void theManifestGrantsEveryScopeTheBotsCallsNeedButNotFilesRead() throws Exception {
            // files.info is the one served method outside manifest.yml's grant; the bot does not call it.
            assertThat(client.filesInfo(r -> r.file("F0001")).getNeeded()).isEqualTo("files:read");
            assertThat(client.usersInfo(r -> r.user(ALICE)).isOk()).isTrue();
            assertThat(client.conversationsOpen(r -> r.users(List.of(ALICE))).isOk()).isTrue();
            // A group DM needs mpim:write, which the manifest does not ask for either.
            fake.addUser("UBOB000001", "bob");
            assertThat(client.conversationsOpen(r -> r.users(List.of(ALICE, "UBOB000001"))).getNeeded()).isEqualTo("mpim:write");
        }
    }

    @Nested
    class Membership {
        @Test
        void postingToAPublicChannelWithoutTheBotAnswersNotInChannel() throws Exception {
            fake.addChannel("CPUBLIC").addMember("CPUBLIC", ALICE);

            assertThat(client.chatPostMessage(r -> r.channel("CPUBLIC").text("hi")).getError()).isEqualTo("not_in_channel");
            assertThat(fake.messages("CPUBLIC")).isEmpty();
        }

        @Test
        void chatWritePublicLetsTheBotPostIntoAPublicChannelItIsNotIn() throws Exception {
            fake.addChannel("CPUBLIC");
            grantAlso("chat:write.public");

            assertThat(client.chatPostMessage(r -> r.channel("CPUBLIC").text("hi")).isOk()).isTrue();
            assertThat(fake.isMember("CPUBLIC", FakeSlack.BOT_USER_ID)).isFalse();
        }

        @Test
        void aPrivateChannelWithoutTheBotLooksLikeNoChannelAtAll() throws Exception {
            fake.addPrivateChannel("CSECRET").addMember("CSECRET", ALICE);
            grantAlso("chat:write.public");

            assertThat(client.chatPostMessage(r -> r.channel("CSECRET").text("hi")).getError()).isEqualTo("channel_not_found");
            assertThat(client.conversationsInfo(r -> r.channel("CSECRET")).getError()).isEqualTo("channel_not_found");
            assertThat(client.chatPostMessage(r -> r.channel("CNOSUCH").text("hi")).getError()).isEqualTo("channel_not_found");
        }

        @Test
        void theBotSeesAPublicChannelItIsNotInAsNotAMember() throws Exception {
            fake.addChannel("CPUBLIC");

            assertThat(client.conversationsInfo(r -> r.channel("CPUBLIC")).getChannel().isMember()).isFalse();
            assertThat(client.conversationsJoin(r -> r.channel("CPUBLIC")).getError()).isEqualTo("missing_scope");
            grantAlso("channels:join");
            assertThat(client.conversationsJoin(r -> r.channel("CPUBLIC")).isOk()).isTrue();
            assertThat(client.chatPostMessage(r -> r.channel("CPUBLIC").text("hi")).isOk()).isTrue();
        }

        @Test
        void anArchivedChannelAnswersIsArchived() throws Exception {
            fake.archiveChannel("C1");

            assertThat(client.chatPostMessage(r -> r.channel("C1").text("hi")).getError()).isEqualTo("is_archived");
        }

        @Test
        void anEphemeralForSomeoneOutsideTheChannelAnswersUserNotInChannel() throws Exception {
            fake.addUser("UBOB000001", "bob");

            assertThat(client.chatPostEphemeral(r -> r.channel("C1").user(ALICE).text("only you")).isOk()).isTrue();
            assertThat(client.chatPostEphemeral(r -> r.channel("C1").user("UBOB000001").text("only you")).getError())
                    .isEqualTo("user_not_in_channel");
            fake.addChannel("CPUBLIC").addMember("CPUBLIC", ALICE);
            assertThat(client.chatPostEphemeral(r -> r.channel("CPUBLIC").user(ALICE).text("only you")).getError())
                    .isEqualTo("not_in_channel");
        }

        @Test
        void sharingAFileIntoAChannelWithoutTheBotAnswersNotInChannel() throws Exception {
            fake.addChannel("CPUBLIC");
            byte[] bytes = {1, 2, 3};

            SlackFilesUploadV2Exception e = catchThrowableOfType(SlackFilesUploadV2Exception.class,
                    () -> client.filesUploadV2(req -> req.channel("CPUBLIC").filename("a.bin").fileData(bytes)));

            assertThat(e.getCompleteResponse().getError()).isEqualTo("not_in_channel");
            assertThat(fake.uploadedFiles()).singleElement().satisfies(f -> assertThat(f.channels()).isEmpty());
        }

        @Test
        void aDmExistsOnceOpenedAndAUserIdPostsIntoIt() throws Exception {
            assertThat(client.chatPostMessage(r -> r.channel("D" + ALICE).text("hi")).getError()).isEqualTo("channel_not_found");

            assertThat(client.chatPostMessage(r -> r.channel(ALICE).text("via user id")).getChannel()).isEqualTo("D" + ALICE);
            assertThat(client.chatPostMessage(r -> r.channel("D" + ALICE).text("via dm id")).isOk()).isTrue();
            assertThat(fake.messages("D" + ALICE)).extracting(FakeSlack.Message::text).containsExactly("via user id", "via dm id");
        }

        @Test
        void aDmThePersonOpenedFromTheirSideTakesMessagesWithoutConversationsOpen() throws Exception {
            fake.addUser("UBOB000001", "bob");
            String dm = fake.openDm("UBOB000001");

            assertThat(client.chatPostMessage(r -> r.channel(dm).text("hi")).isOk()).isTrue();
            assertThat(fake.isMember(dm, FakeSlack.BOT_USER_ID)).isTrue();
            assertThat(fake.callCount("conversations.open")).isZero();
        }
    }

    @Nested
    class BlockKit {
        @Test
        void sectionTextOver3000CharactersIsRefusedWithInvalidBlocksNamingThePath() throws Exception {
            ChatPostMessageResponse r = client.chatPostMessage(req -> req.channel("C1").text("fallback")
                    .blocks(asBlocks(divider(), section(s -> s.text(markdownText("x".repeat(3001)))))));

            assertThat(r.getError()).isEqualTo("invalid_blocks");
            assertThat(r.getResponseMetadata().getMessages())
                    .containsExactly("[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]");
            assertThat(fake.messages("C1")).isEmpty();
            assertThat(client.chatPostMessage(req -> req.channel("C1").text("fallback")
                    .blocks(asBlocks(section(s -> s.text(markdownText("x".repeat(3000))))))).isOk()).isTrue();
        }

        @Test
        void aMessageTakesFiftyBlocksAndChatUpdateIsHeldToTheSame() throws Exception {
            String ts = client.chatPostMessage(req -> req.channel("C1").text("t").blocks(dividers(50))).getTs();

            ChatUpdateResponse r = client.chatUpdate(req -> req.channel("C1").ts(ts).text("t").blocks(dividers(51)));

            assertThat(ts).isNotNull();
            assertThat(r.getError()).isEqualTo("invalid_blocks");
            assertThat(r.getResponseMetadata().getMessages()).containsExactly("[ERROR] no more than 50 items allowed [json-pointer:/blocks]");
            assertThat(fake.message("C1", ts).orElseThrow().blocks()).hasSize(50);
        }

        @Test
        void headerButtonAndFieldLimitsAreEachNamed() throws Exception {
            List<TextObject> elevenFields = new ArrayList<>();
            for (int i = 0; i < 11; i++) elevenFields.add(plainText(i == 3 ? "f".repeat(2001) : "f"));

            ChatPostMessageResponse r = client.chatPostMessage(req -> req.channel("C1").text("t").blocks(asBlocks(
                    header(h -> h.text(plainText("h".repeat(151)))),
                    section(s -> s.fields(elevenFields)),
                    actions(a -> a.blockId("b".repeat(256)).elements(asElements(
                            button(b -> b.actionId("ok").text(plainText("t".repeat(76))).value("v".repeat(2001)))))))));

            assertThat(r.getError()).isEqualTo("invalid_blocks");
            assertThat(r.getResponseMetadata().getMessages()).containsExactlyInAnyOrder(
                    "[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]",
                    "[ERROR] no more than 10 items allowed [json-pointer:/blocks/1/fields]",
                    "[ERROR] must be less than 2001 characters [json-pointer:/blocks/1/fields/3/text]",
                    "[ERROR] must be less than 256 characters [json-pointer:/blocks/2/block_id]",
                    "[ERROR] must be less than 76 characters [json-pointer:/blocks/2/elements/0/text/text]",
                    "[ERROR] must be less than 2001 characters [json-pointer:/blocks/2/elements/0/value]");
            // Ephemeral messages are held to the same limits (the SDK's response type drops the explanation).
            ChatPostEphemeralResponse ephemeral = client.chatPostEphemeral(req -> req.channel("C1").user(ALICE).text("t")
                    .blocks(asBlocks(header(h -> h.text(plainText("h".repeat(151)))))));
            assertThat(ephemeral.getError()).isEqualTo("invalid_blocks");
        }

        @Test
        void blockIdsMustBeUniqueInAMessageAndActionIdsInTheirBlock() throws Exception {
            ChatPostMessageResponse sameBlockId = client.chatPostMessage(req -> req.channel("C1").text("t").blocks(asBlocks(
                    section(s -> s.blockId("status").text(plainText("a"))), section(s -> s.blockId("status").text(plainText("b"))))));
            ChatPostMessageResponse sameActionIdInOneBlock = client.chatPostMessage(req -> req.channel("C1").text("t").blocks(asBlocks(
                    actions(a -> a.elements(asElements(button(b -> b.actionId("go").text(plainText("A"))),
                            button(b -> b.actionId("go").text(plainText("B")))))))));
            // The same action_id in two blocks is allowed: Slack wants it unique "in the containing block".
            ChatPostMessageResponse sameActionIdInTwoBlocks = client.chatPostMessage(req -> req.channel("C1").text("t").blocks(asBlocks(
                    actions(a -> a.elements(asElements(button(b -> b.actionId("go").text(plainText("A")))))),
                    actions(a -> a.elements(asElements(button(b -> b.actionId("go").text(plainText("B")))))))));

            assertThat(sameBlockId.getResponseMetadata().getMessages()).containsExactly("[ERROR] duplicate block_id [json-pointer:/blocks/1/block_id]");
            assertThat(sameActionIdInOneBlock.getResponseMetadata().getMessages())
                    .containsExactly("[ERROR] duplicate action_id [json-pointer:/blocks/0/elements/1/action_id]");
            assertThat(sameActionIdInTwoBlocks.isOk()).isTrue();
        }

        @Test
        void aViewIsRefusedWithInvalidArgumentsNamingTheViewsFields() throws Exception {
            View tooLong = view(v -> v.type("modal").callbackId("c".repeat(256)).privateMetadata("m".repeat(3001))
                    .title(viewTitle(t -> t.type("plain_text").text("A title of 25 characters!")))
                    .submit(viewSubmit(t -> t.type("plain_text").text("s".repeat(25))))
                    .blocks(dividers(101)));
            String trigger = fake.trigger();

            ViewsOpenResponse r = client.viewsOpen(req -> req.triggerId(trigger).view(tooLong));

            assertThat(r.getError()).isEqualTo("invalid_arguments");
            assertThat(r.getResponseMetadata().getMessages()).containsExactlyInAnyOrder(
                    "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
                    "[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]",
                    "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]",
                    "[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]",
                    "[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]");
            // A modal takes 100 blocks, and the refused call did not use the trigger up.
            assertThat(client.viewsOpen(req -> req.triggerId(trigger).view(modal(dividers(100)))).isOk()).isTrue();
        }

        @Test
        void viewsUpdateIsHeldToTheSameLimits() throws Exception {
            String viewId = client.viewsOpen(req -> req.triggerId(fake.trigger()).view(modal(dividers(1)))).getView().getId();

            ViewsUpdateResponse r = client.viewsUpdate(req -> req.viewId(viewId).view(view(v -> v.type("modal")
                    .title(viewTitle(t -> t.type("plain_text").text("ok"))).privateMetadata("m".repeat(3001)))));

            assertThat(r.getError()).isEqualTo("invalid_arguments");
            assertThat(fake.view(viewId).orElseThrow().path("blocks")).hasSize(1);
        }

        @Test
        void postMessageTextIsCutAt40000CharactersAndChatUpdateRefusesOver4000() throws Exception {
            String ts = client.chatPostMessage(req -> req.channel("C1").text("y".repeat(40_001))).getTs();

            assertThat(fake.message("C1", ts).orElseThrow().text()).hasSize(40_000);
            assertThat(client.chatUpdate(req -> req.channel("C1").ts(ts).text("z".repeat(4_001))).getError()).isEqualTo("msg_too_long");
            assertThat(client.chatUpdate(req -> req.channel("C1").ts(ts).text("z".repeat(4_000))).isOk()).isTrue();
        }
    }

    @Nested
    class ThreadsHomeAndPermalinks {
        @Test
        void aThreadedReplyIsStoredWithItsParentAndCountedOnIt() throws Exception {
            String parent = client.chatPostMessage(r -> r.channel("C1").text("Request pending")).getTs();

            ChatPostMessageResponse reply = client.chatPostMessage(r -> r.channel("C1").threadTs(parent).text("Reminder"));
            ChatPostMessageResponse broadcast = client.chatPostMessage(r -> r.channel("C1").threadTs(parent).replyBroadcast(true).text("Done"));

            assertThat(reply.getMessage().getThreadTs()).isEqualTo(parent);
            assertThat(broadcast.getMessage().getSubtype()).isEqualTo("thread_broadcast");
            assertThat(fake.replies("C1", parent)).extracting(FakeSlack.Message::text, FakeSlack.Message::replyBroadcast)
                    .containsExactly(tuple("Reminder", false), tuple("Done", true));
            assertThat(fake.messages("C1")).filteredOn(m -> !m.isReply()).singleElement()
                    .satisfies(m -> assertThat(m.ts()).isEqualTo(parent));
            // The parent as Slack returns it now counts its replies.
            ChatUpdateResponse parentNow = client.chatUpdate(r -> r.channel("C1").ts(parent).text("Request approved"));
            assertThat(parentNow.getMessage().getReplyCount()).isEqualTo(2);
            assertThat(parentNow.getMessage().getLatestReply()).isEqualTo(broadcast.getTs());
        }

        @Test
        void aPermalinkNamesTheMessageAndForAReplyItsThread() throws Exception {
            String parent = client.chatPostMessage(r -> r.channel("C1").text("p")).getTs();
            String reply = client.chatPostMessage(r -> r.channel("C1").threadTs(parent).text("r")).getTs();

            assertThat(client.chatGetPermalink(r -> r.channel("C1").messageTs(parent)).getPermalink())
                    .isEqualTo("https://fake-team.slack.com/archives/C1/p" + parent.replace(".", ""));
            assertThat(client.chatGetPermalink(r -> r.channel("C1").messageTs(reply)).getPermalink())
                    .isEqualTo("https://fake-team.slack.com/archives/C1/p" + reply.replace(".", "") + "?thread_ts=" + parent + "&cid=C1");
            assertThat(client.chatGetPermalink(r -> r.channel("C1").messageTs("1.000000")).getError()).isEqualTo("message_not_found");
        }

        @Test
        void viewsPublishSetsEachPersonsHomeTabAndRefusesAStaleHash() throws Exception {
            fake.homeTabEnabled(true);
            View home = view(v -> v.type("home").blocks(asBlocks(section(s -> s.text(plainText("Your requests"))))));

            ViewsPublishResponse first = client.viewsPublish(r -> r.userId(ALICE).view(home));
            ViewsPublishResponse second = client.viewsPublish(r -> r.userId(ALICE).hash(first.getView().getHash()).view(home));
            ViewsPublishResponse stale = client.viewsPublish(r -> r.userId(ALICE).hash(first.getView().getHash()).view(home));

            assertThat(first.getView().getType()).isEqualTo("home");
            assertThat(second.getView().getId()).isEqualTo(first.getView().getId());
            assertThat(stale.getError()).isEqualTo("hash_conflict");
            assertThat(fake.homeView(ALICE).orElseThrow().at("/blocks/0/text/text").asText()).isEqualTo("Your requests");
            assertThat(client.viewsPublish(r -> r.userId("UNOBODY01").view(home)).getError()).isEqualTo("invalid_arguments");
            assertThat(client.viewsPublish(r -> r.userId(ALICE).view(modal(dividers(1)))).getError()).isEqualTo("invalid_arguments");
        }

        @Test
        void theHomeTabFollowsTheManifestWhichTurnsItOn() throws Exception {
            assertThat(FakeSlack.manifestHomeTabEnabled()).isTrue();

            ViewsPublishResponse r = client.viewsPublish(req -> req.userId(ALICE).view(view(v -> v.type("home").blocks(dividers(1)))));

            assertThat(r.isOk()).isTrue();
        }

        @Test
        void viewsPublishWithoutAHomeTabAnswersNotEnabled() throws Exception {
            fake.homeTabEnabled(false); // as for an app whose manifest leaves features.app_home.home_tab_enabled out

            ViewsPublishResponse r = client.viewsPublish(req -> req.userId(ALICE).view(view(v -> v.type("home").blocks(dividers(1)))));

            assertThat(r.getError()).isEqualTo("not_enabled");
            assertThat(fake.homeView(ALICE)).isEmpty();
        }
    }

    @Nested
    class TriggerIds {
        @Test
        void aTriggerOpensOneViewOnly() throws Exception {
            String trigger = fake.trigger();

            assertThat(client.viewsOpen(r -> r.triggerId(trigger).view(modal(dividers(1)))).isOk()).isTrue();
            assertThat(client.viewsOpen(r -> r.triggerId(trigger).view(modal(dividers(1)))).getError()).isEqualTo("exchanged_trigger_id");
            assertThat(client.viewsPush(r -> r.triggerId(trigger).view(modal(dividers(1)))).getError()).isEqualTo("exchanged_trigger_id");
            assertThat(fake.views()).hasSize(1);
        }

        @Test
        void aTriggerIsGoodForThreeSecondsOnTheFakesClock() throws Exception {
            String onTime = fake.trigger();
            String late = fake.trigger();
            clock.advance(Duration.ofSeconds(3));
            assertThat(client.viewsOpen(r -> r.triggerId(onTime).view(modal(dividers(1)))).isOk()).isTrue();

            clock.advance(Duration.ofMillis(1));

            assertThat(client.viewsOpen(r -> r.triggerId(late).view(modal(dividers(1)))).getError()).isEqualTo("expired_trigger_id");
        }

        @Test
        void aTriggerTheFakeNeverIssuedAnswersInvalidTriggerId() throws Exception {
            assertThat(client.viewsOpen(r -> r.triggerId("12345.98765.abcd2358fdea").view(modal(dividers(1)))).getError())
                    .isEqualTo("invalid_trigger_id");
        }
    }

    @Nested
    class Uploads {
        @Test
        void bytesOfAnotherLengthThanReservedAreRefusedAndTheFileCannotBeShared() throws Exception {
            client.conversationsOpen(r -> r.users(List.of(ALICE)));
            var reserved = client.filesGetUploadURLExternal(r -> r.filename("qr.png").length(10));

            HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(reserved.getUploadUrl()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9])).build(), HttpResponse.BodyHandlers.ofString());
            var completed = client.filesCompleteUploadExternal(r -> r.channelId("D" + ALICE)
                    .files(List.of(FilesCompleteUploadExternalRequest.FileDetails.builder().id(reserved.getFileId()).build())));

            assertThat(upload.statusCode()).isEqualTo(400);
            assertThat(completed.getError()).isEqualTo("file_not_found");
            assertThat(fake.file(reserved.getFileId()).orElseThrow().bytes()).isNull();
            assertThat(fake.messages("D" + ALICE)).isEmpty();
        }
    }

    @Nested
    class People {
        @Test
        void usersInfoDescribesPeopleBotsGuestsAndDeactivatedAccounts() throws Exception {
            fake.addBot("UOTHERBOT1", "otherbot").addGuest("UGUEST0001", "gus").addSingleChannelGuest("UGUEST0002", "sol")
                    .addUser("UGONE00001", "gone").deactivateUser("UGONE00001").revokeScopes("users:read.email");

            User alice = client.usersInfo(r -> r.user(ALICE)).getUser();
            assertThat(alice.isDeleted()).isFalse();
            assertThat(alice.isBot()).isFalse();
            assertThat(alice.isRestricted()).isFalse();
            assertThat(alice.getProfile().getEmail()).as("e-mail needs users:read.email").isNull();
            assertThat(client.usersInfo(r -> r.user("UOTHERBOT1")).getUser().isBot()).isTrue();
            User gus = client.usersInfo(r -> r.user("UGUEST0001")).getUser();
            assertThat(gus.isRestricted()).isTrue();
            assertThat(gus.isUltraRestricted()).isFalse();
            assertThat(client.usersInfo(r -> r.user("UGUEST0002")).getUser().isUltraRestricted()).isTrue();
            assertThat(client.usersInfo(r -> r.user("UGONE00001")).getUser().isDeleted()).isTrue();

            grantAlso("users:read.email");
            assertThat(client.usersInfo(r -> r.user(ALICE)).getUser().getProfile().getEmail()).isEqualTo("alice@example.com");
        }

        @Test
        void lookupByEmailFindsTheMemberRegisteredWithTheAddressIgnoringCase() throws Exception {
            fake.addUser("UBOB000001", "bob").setEmail("UBOB000001", "Bob.Jones@Example.com");

            var found = client.usersLookupByEmail(r -> r.email("bob.jones@example.com"));

            assertThat(found.isOk()).isTrue();
            assertThat(found.getUser().getId()).isEqualTo("UBOB000001");
            assertThat(found.getUser().getTeamId()).isEqualTo(FakeSlack.TEAM_ID);
            assertThat(found.getUser().getProfile().getEmail()).isEqualTo("Bob.Jones@Example.com");
            assertThat(client.usersLookupByEmail(r -> r.email("alice@example.com")).getUser().getId()).isEqualTo(ALICE);
            assertThat(fake.calls("users.lookupByEmail")).hasSize(2);
        }

        @Test
        void lookupByEmailAnswersUsersNotFoundForAnUnknownAddressABotOrSomeoneHidden() throws Exception {
            fake.addBot("UOTHERBOT1", "otherbot").addUser("UHIDDEN001", "hidden").hideFromBot("UHIDDEN001");

            assertThat(client.usersLookupByEmail(r -> r.email("ghost@example.com")).getError()).isEqualTo("users_not_found");
            assertThat(client.usersLookupByEmail(r -> r.email("otherbot@example.com")).getError()).isEqualTo("users_not_found");
            assertThat(client.usersLookupByEmail(r -> r.email("hidden@example.com")).getError()).isEqualTo("users_not_found");
        }

        @Test
        void lookupByEmailNeedsUsersReadEmail() throws Exception {
            fake.revokeScopes("users:read.email");

            var refused = client.usersLookupByEmail(r -> r.email("alice@example.com"));

            assertThat(refused.getError()).isEqualTo("missing_scope");
            assertThat(refused.getNeeded()).isEqualTo("users:read.email");
            assertThat(refused.getUser()).isNull();
        }

        @Test
        void usersInfoGivesTheLocaleOnlyWhenAskedAndTheTimeZoneAsItIsNow() throws Exception {
            fake.setLocale(ALICE, "ja-JP").setTimeZone(ALICE, ZoneId.of("Asia/Tokyo"));
            fake.addUser("UBOB000001", "bob").setTimeZone("UBOB000001", ZoneId.of("Europe/Berlin"));

            User plain = client.usersInfo(r -> r.user(ALICE)).getUser();
            User withLocale = client.usersInfo(r -> r.user(ALICE).includeLocale(true)).getUser();
            User bobInWinter = client.usersInfo(r -> r.user("UBOB000001")).getUser();
            clock.advance(Duration.ofDays(180));
            User bobInSummer = client.usersInfo(r -> r.user("UBOB000001")).getUser();

            assertThat(plain.getLocale()).isNull();
            assertThat(withLocale.getLocale()).isEqualTo("ja-JP");
            assertThat(withLocale.getTz()).isEqualTo("Asia/Tokyo");
            assertThat(withLocale.getTzOffset()).isEqualTo(9 * 3600);
            assertThat(withLocale.getTzLabel()).isEqualTo("Japan Standard Time");
            assertThat(bobInWinter.getTzOffset()).isEqualTo(3600);
            assertThat(bobInSummer.getTzOffset()).isEqualTo(7200);
            assertThat(bobInSummer.getTzLabel()).isEqualTo("Central European Summer Time");
        }

        @Test
        void openingADmAnswersWhatSlackAnswersForPeopleTheBotCannotMessage() throws Exception {
            fake.addBot("UOTHERBOT1", "otherbot").addUser("UGONE00001", "gone").deactivateUser("UGONE00001")
                    .addUser("UHIDDEN001", "hidden").hideFromBot("UHIDDEN001");

            assertThat(open("UOTHERBOT1")).isEqualTo("cannot_dm_bot");
            assertThat(open(FakeSlack.BOT_USER_ID)).isEqualTo("cannot_dm_bot");
            assertThat(open("UGONE00001")).isEqualTo("user_disabled");
            assertThat(open("UHIDDEN001")).isEqualTo("user_not_visible");
            assertThat(open("UNOBODY001")).isEqualTo("user_not_found");
            assertThat(client.usersInfo(r -> r.user("UHIDDEN001")).getError()).isEqualTo("user_not_visible");
            assertThat(client.chatPostMessage(r -> r.channel("UNOBODY001").text("hi")).getError()).isEqualTo("channel_not_found");
            assertThat(client.chatPostMessage(r -> r.channel("UOTHERBOT1").text("hi")).getError()).isEqualTo("channel_not_found");
            assertThat(open(ALICE)).isNull();
        }

        @Test
        void aDmOpenedBeforeThePersonWasDeactivatedStillTakesMessages() throws Exception {
            String dm = client.conversationsOpen(r -> r.users(List.of(ALICE))).getChannel().getId();
            fake.deactivateUser(ALICE);

            assertThat(client.chatPostMessage(r -> r.channel(dm).text("still delivered")).isOk()).isTrue();
            assertThat(open(ALICE)).isEqualTo("user_disabled");
        }

        /** conversations.open's error for one person, null when it opened. */
        private String open(String user) throws Exception {
            return client.conversationsOpen(r -> r.users(List.of(user))).getError();
        }
    }

    @Nested
    class ResponseUrlBudget {
        @Test
        void aResponseUrlTakesFivePostsThenAnswersExpiredUrlAndRecordsNothing() throws Exception {
            String url = fake.responseUrl("cmd-1");
            for (int i = 1; i <= 5; i++) {
                assertThat(slack.send(url, "{\"text\":\"update " + i + "\"}").getCode()).isEqualTo(200);
            }

            WebhookResponse sixth = slack.send(url, "{\"text\":\"update 6\"}");

            assertThat(sixth.getCode()).isEqualTo(404);
            assertThat(sixth.getBody()).isEqualTo("Expired url");
            assertThat(fake.responses()).hasSize(5).extracting(c -> c.body().path("text").asText()).doesNotContain("update 6");
        }

        @Test
        void aResponseUrlExpiresThirtyMinutesAfterItWasHandedOut() throws Exception {
            String url = fake.responseUrl("cmd-1");
            clock.advance(Duration.ofMinutes(30));
            assertThat(slack.send(url, "{\"text\":\"just in time\"}").getCode()).isEqualTo(200);

            clock.advance(Duration.ofSeconds(1));

            assertThat(slack.send(url, "{\"text\":\"too late\"}").getCode()).isEqualTo(404);
            assertThat(slack.send(fake.baseUrl() + "/response/never-handed-out", "{\"text\":\"x\"}").getCode()).isEqualTo(404);
            assertThat(fake.responses()).extracting(c -> c.body().path("text").asText()).containsExactly("just in time");
        }
    }

    @Nested
    class RateLimiting {
        @Test
        void enforcedTiersAnswer429WithRetryAfterUntilTheMinuteHasPassed() throws Exception {
            fake.enforceRateLimits();
            String ts = client.chatPostMessage(r -> r.channel("C1").text("t")).getTs();
            for (int i = 0; i < 50; i++) {
                assertThat(client.chatUpdate(r -> r.channel("C1").ts(ts).text("t")).isOk()).isTrue(); // Tier 3: 50 a minute
            }
            clock.advance(Duration.ofSeconds(5));

            SlackApiException limited = catchThrowableOfType(SlackApiException.class,
                    () -> client.chatUpdate(r -> r.channel("C1").ts(ts).text("t")));

            assertThat(limited.getResponse().code()).isEqualTo(429);
            // The 50 leave the window 60 s after they were made: 55 s from now.
            assertThat(limited.getResponse().header("Retry-After")).isEqualTo("55");
            clock.advance(Duration.ofSeconds(55));
            assertThat(client.chatUpdate(r -> r.channel("C1").ts(ts).text("t")).isOk()).isTrue();
        }

        @Test
        void withoutEnforcementAFastBotIsNeverLimited() throws Exception {
            for (int i = 0; i < 120; i++) {
                assertThat(client.chatPostMessage(r -> r.channel("C1").text("t")).isOk()).isTrue();
            }
        }
    }

    @Test
    void aHeldCallIsAnsweredOnlyAfterReleaseAll() throws Exception {
        fake.holdAll();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<ChatPostMessageResponse> posted = caller.submit(() -> client.chatPostMessage(m -> m.channel("C1").text("hi")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fake.held() == 1);

            assertThat(posted).isNotDone();
            assertThat(fake.messages("C1")).isEmpty();

            fake.releaseAll();
            assertThat(posted.get().isOk()).isTrue();
            assertThat(fake.messages("C1")).extracting(FakeSlack.Message::text).containsExactly("hi");
            assertThat(fake.held()).isZero();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void holdingOneMethodParksOnlyThatMethod() throws Exception {
        ChatPostMessageResponse posted = client.chatPostMessage(m -> m.channel("C1").text("before"));
        fake.hold("chat.update");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<ChatUpdateResponse> update = caller.submit(() -> client.chatUpdate(m -> m.channel("C1").ts(posted.getTs()).text("after")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fake.held() == 1);

            assertThat(client.chatPostMessage(m -> m.channel("C1").text("meanwhile")).isOk()).isTrue();
            assertThat(update).isNotDone();

            fake.releaseAll();
            assertThat(update.get().isOk()).isTrue();
            assertThat(fake.message("C1", posted.getTs()).orElseThrow().text()).isEqualTo("after");
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void latencyDelaysEveryAnswerOfTheNamedMethod() throws Exception {
        fake.setLatency("chat.postMessage", Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThat(client.chatPostMessage(m -> m.channel("C1").text("late")).isOk()).isTrue();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void latencyForEverythingAlsoDelaysResponseUrls() throws Exception {
        String url = fake.responseUrl("late");
        fake.setLatency("*", Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"late\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(fake.responses()).extracting(FakeSlack.ResponseCall::id).containsExactly("late");
    }

    private static List<LayoutBlock> dividers(int n) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (int i = 0; i < n; i++) blocks.add(divider());
        return blocks;
    }

    private static View modal(List<LayoutBlock> blocks) {
        return view(v -> v.type("modal").title(viewTitle(t -> t.type("plain_text").text("Test"))).blocks(blocks));
    }

    /** The manifest's bot scopes plus these. */
    private void grantAlso(String... scopes) {
        List<String> all = new ArrayList<>(FakeSlack.manifestBotScopes());
        all.addAll(List.of(scopes));
        fake.grantScopes(all.toArray(String[]::new));
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
