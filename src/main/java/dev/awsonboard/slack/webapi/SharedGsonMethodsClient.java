package dev.awsonboard.slack.webapi;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.methods.Methods;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.methods.request.chat.ChatPostEphemeralRequest;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.conversations.ConversationsOpenRequest;
import com.slack.api.methods.request.users.UsersInfoRequest;
import com.slack.api.methods.request.views.ViewsPublishRequest;
import com.slack.api.methods.request.views.ViewsUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.methods.response.views.ViewsPublishResponse;
import com.slack.api.methods.response.views.ViewsUpdateResponse;
import com.slack.api.util.json.GsonFactory;
import okhttp3.FormBody;
import okhttp3.Response;

import java.io.IOException;

import static com.slack.api.methods.RequestFormBuilder.toForm;

/**
 * The SDK's Web API client with one Gson for every response of the calls the bot makes in bulk.
 * The SDK builds a new Gson per call, and a new Gson reflects the response classes again each time:
 * under a burst of requests that was a third of the bot's CPU. Requests and errors are the SDK's own.
 *
 * <p>The message that {@code chat.postMessage} and {@code chat.update} echo back, and the view that
 * {@code views.publish} and {@code views.update} echo back, are not read into objects: the bot never
 * uses them, and building every block of them again was a sixth of all the memory the bot allocated
 * under a burst. Their {@code getMessage()} and {@code getView()} are null here.
 */
final class SharedGsonMethodsClient extends MethodsClientImpl {
    private final Slack slack;
    private final Gson gson;

    SharedGsonMethodsClient(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        setEndpointUrlPrefix(slack.getConfig().getMethodsEndpointUrlPrefix());
        this.slack = slack;
        this.gson = GsonFactory.createSnakeCase(slack.getConfig()).newBuilder()
                .addDeserializationExclusionStrategy(new SkipEchoes()).create();
    }

    @Override
    public ChatPostMessageResponse chatPostMessage(ChatPostMessageRequest req) throws IOException, SlackApiException {
        return post(Methods.CHAT_POST_MESSAGE, toForm(req), getToken(req), ChatPostMessageResponse.class);
    }

    @Override
    public ChatUpdateResponse chatUpdate(ChatUpdateRequest req) throws IOException, SlackApiException {
        return post(Methods.CHAT_UPDATE, toForm(req), getToken(req), ChatUpdateResponse.class);
    }

    @Override
    public ChatPostEphemeralResponse chatPostEphemeral(ChatPostEphemeralRequest req) throws IOException, SlackApiException {
        return post(Methods.CHAT_POST_EPHEMERAL, toForm(req), getToken(req), ChatPostEphemeralResponse.class);
    }

    @Override
    public ConversationsOpenResponse conversationsOpen(ConversationsOpenRequest req) throws IOException, SlackApiException {
        return post(Methods.CONVERSATIONS_OPEN, toForm(req), getToken(req), ConversationsOpenResponse.class);
    }

    @Override
    public UsersInfoResponse usersInfo(UsersInfoRequest req) throws IOException, SlackApiException {
        return post(Methods.USERS_INFO, toForm(req), getToken(req), UsersInfoResponse.class);
    }

    @Override
    public ViewsPublishResponse viewsPublish(ViewsPublishRequest req) throws IOException, SlackApiException {
        return post(Methods.VIEWS_PUBLISH, toForm(req), getToken(req), ViewsPublishResponse.class);
    }

    @Override
    public ViewsUpdateResponse viewsUpdate(ViewsUpdateRequest req) throws IOException, SlackApiException {
        return post(Methods.VIEWS_UPDATE, toForm(req), getToken(req), ViewsUpdateResponse.class);
    }

    /** What the SDK does for a form call (an HTTP error becomes a SlackApiException), parsed by the shared Gson. */
    private <T extends SlackApiTextResponse> T post(String method, FormBody.Builder form, String token, Class<T> type)
            throws IOException, SlackApiException {
        try (Response response = runPostFormWithToken(form, method, token)) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new SlackApiException(slack.getConfig(), response, body);
            }
            T parsed = gson.fromJson(body, type);
            parsed.setHttpResponseHeaders(response.headers().toMultimap());
            return parsed;
        }
    }

    /** The echoed message of a post or an edit, and the echoed view of a publish or an update. */
    private static final class SkipEchoes implements com.google.gson.ExclusionStrategy {
        @Override
        public boolean shouldSkipField(com.google.gson.FieldAttributes f) {
            Class<?> owner = f.getDeclaringClass();
            return (f.getName().equals("message") && (owner == ChatPostMessageResponse.class || owner == ChatUpdateResponse.class))
                    || (f.getName().equals("view") && (owner == ViewsPublishResponse.class || owner == ViewsUpdateResponse.class));
        }

        @Override
        public boolean shouldSkipClass(Class<?> type) {
            return false;
        }
    }
}
