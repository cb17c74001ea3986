package dev.awsonboard.slack.webapi;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.awsonboard.fakes.FakeSlack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bot's own Web API client answers as the SDK's would: same results, same errors, any number of calls. */
class SharedGsonMethodsClientTest {
    private final FakeSlack fake = FakeSlack.start().addUser("U0ALICE", "alice").addChannel("C0APPROVALS").inviteBot("C0APPROVALS");
    private final Slack slack = SlackClients.slack(fake.apiUrl());
    private final MethodsClient ours = SlackClients.methods(slack, fake.botToken());
    private final MethodsClient sdk = slack.methods(fake.botToken());

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void aPostedMessageReadsBackAsTheSdkReadsIt() throws Exception {
        ChatPostMessageResponse a = ours.chatPostMessage(m -> m.channel("C0APPROVALS").text("one"));
        ChatPostMessageResponse b = sdk.chatPostMessage(m -> m.channel("C0APPROVALS").text("two"));

        assertThat(a.isOk()).isTrue();
        assertThat(a.getChannel()).isEqualTo(b.getChannel()).isEqualTo("C0APPROVALS");
        assertThat(a.getTs()).isNotBlank().isNotEqualTo(b.getTs());
        assertThat(b.getMessage().getText()).isEqualTo("two");
        assertThat(a.getMessage()).as("the echoed message is not built; the bot never reads it").isNull();
        assertThat(fake.message("C0APPROVALS", a.getTs()).orElseThrow().text()).isEqualTo("one");
        assertThat(ours.chatUpdate(u -> u.channel("C0APPROVALS").ts(a.getTs()).text("edited")).isOk()).isTrue();
        assertThat(fake.message("C0APPROVALS", a.getTs()).orElseThrow().text()).isEqualTo("edited");
    }

    @Test
    void slacksRefusalIsAnAnswerNotAnExceptionAsWithTheSdk() throws Exception {
        var refused = ours.chatPostMessage(m -> m.channel("C0NOWHERE").text("x"));
        var refusedBySdk = sdk.chatPostMessage(m -> m.channel("C0NOWHERE").text("x"));

        assertThat(refused.isOk()).isFalse();
        assertThat(refused.getError()).isEqualTo(refusedBySdk.getError()).isEqualTo("channel_not_found");
    }

    @Test
    void aRateLimitIsASlackApiExceptionCarryingRetryAfter() {
        fake.rateLimitNext("chat.postMessage", 1, 7);

        assertThatThrownBy(() -> ours.chatPostMessage(m -> m.channel("C0APPROVALS").text("x")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.getResponse().code()).isEqualTo(429);
                    assertThat(e.getResponse().header("Retry-After")).isEqualTo("7");
                });
    }

    @Test
    void dmsUsersAndViewsGoThroughTheSharedClientToo() throws Exception {
        String dm = ours.conversationsOpen(c -> c.users(List.of("U0ALICE"))).getChannel().getId();
        assertThat(dm).isNotBlank();
        assertThat(ours.usersInfo(u -> u.user("U0ALICE").includeLocale(true)).getUser().getName()).isEqualTo("alice");
        fake.addMember("C0APPROVALS", "U0ALICE");
        assertThat(ours.chatPostEphemeral(e -> e.channel("C0APPROVALS").user("U0ALICE").text("psst")).isOk()).isTrue();
        var published = ours.viewsPublish(v -> v.userId("U0ALICE").view(com.slack.api.model.view.Views.view(x -> x.type("home")
                .blocks(List.of(com.slack.api.model.block.Blocks.divider())))));
        assertThat(published.isOk()).isTrue();
        assertThat(published.getView()).as("the echoed view is not built").isNull();
        assertThat(fake.homeView("U0ALICE")).isPresent();
        for (int i = 0; i < 3; i++) { // the shared Gson serves call after call
            assertThat(ours.chatPostMessage(m -> m.channel(dm).text("hi")).isOk()).isTrue();
        }
    }
}
