package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Plays Slack calling the app: builds the bodies Slack sends to {@code POST /slack/events}, signs them
 * with Slack's v0 scheme and POSTs them over real HTTP.
 *
 * <p>Bodies follow src/test/resources/slack-samples/payloads; team, app and bot ids match {@link FakeSlack}
 * so the bot's Web API calls and Slack's requests describe the same workspace. The {@code ...Body}
 * builders are public so a test can replay the exact same body (Slack retries, forged signatures).
 */
public final class SlackRequests {

    public static final String TEAM_ID = FakeSlack.TEAM_ID;
    public static final String TEAM_DOMAIN = FakeSlack.TEAM_DOMAIN;
    public static final String APP_ID = FakeSlack.APP_ID;
    /** Slash commands carry no channel in the brief's signature; they come from this channel. */
    public static final String DEFAULT_CHANNEL_ID = "C0GENERAL";
    public static final String DEFAULT_CHANNEL_NAME = "general";
    /** The deprecated verification token Slack still puts into payloads; signing is what counts. */
    public static final String VERIFICATION_TOKEN = "verification-token";
    public static final String EVENTS_PATH = "/slack/events";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final URI endpoint;
    private final String signingSecret;
    private final Clock clock;
    private final Function<String, String> responseUrlFor;
    private final Supplier<String> triggerIds;
    private final HttpClient http;
    private final AtomicLong sequence = new AtomicLong();
    /** The workspace every payload comes from: the bot's own, unless {@link #fromTeam} says another. */
    private final String teamId;
    private static final AtomicLong EVENT_IDS = new AtomicLong();

    public SlackRequests(URI baseUri, String signingSecret, Clock clock) {
        this(baseUri, signingSecret, clock,
                id -> "https://hooks.slack.com/actions/" + TEAM_ID + "/" + id + "/fakeResponseUrlSecret");
    }

    /**
     * @param responseUrlFor makes the response_url put into block actions, e.g. {@code fakeSlack::responseUrl}
     *                       so that {@code ctx.respond} lands in {@link FakeSlack#responses()}
     */
    public SlackRequests(URI baseUri, String signingSecret, Clock clock, Function<String, String> responseUrlFor) {
        this(baseUri, signingSecret, clock, responseUrlFor, null);
    }

    /**
     * Requests whose response_urls and trigger_ids come from {@code slack}, as a real workspace's do: the bot
     * can then use them only the way Slack lets it (5 posts per response_url, one view per trigger_id, 3 s).
     */
    public SlackRequests(URI baseUri, String signingSecret, Clock clock, FakeSlack slack) {
        this(baseUri, signingSecret, clock, slack::responseUrl, slack::trigger);
    }

    /**
     * @param triggerIds makes the trigger_id of view submissions, e.g. {@code fakeSlack::trigger}; null: ids
     *                   of Slack's shape that no fake issued
     */
    public SlackRequests(URI baseUri, String signingSecret, Clock clock, Function<String, String> responseUrlFor,
                         Supplier<String> triggerIds) {
        String base = baseUri.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + EVENTS_PATH);
        this.signingSecret = signingSecret;
        this.clock = clock;
        this.responseUrlFor = responseUrlFor;
        this.triggerIds = triggerIds;
        // HTTP/1.1 explicitly: the default h2c upgrade attempt is not what Slack does and confuses some servers.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.teamId = TEAM_ID;
    }

    private SlackRequests(SlackRequests from, String teamId) {
        this.endpoint = from.endpoint;
        this.signingSecret = from.signingSecret;
        this.clock = from.clock;
        this.responseUrlFor = from.responseUrlFor;
        this.triggerIds = from.triggerIds;
        this.http = from.http;
        this.teamId = teamId;
    }

    /** The same requests, correctly signed, as a workspace other than the bot's sends them (another team's user). */
    public SlackRequests fromTeam(String otherTeamId) {
        return new SlackRequests(this, otherTeamId);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The request timestamp Slack would send now, per the injected clock. */
    public long now() {
        return clock.instant().getEpochSecond();
    }

    // ------------------------------------------------------------------ requests

    public HttpResponse<String> slashCommand(String userId, String command, String text, String triggerId,
                                             String responseUrl) {
        return slashCommand(userId, DEFAULT_CHANNEL_ID, command, text, triggerId, responseUrl);
    }

    public HttpResponse<String> slashCommand(String userId, String channelId, String command, String text,
                                             String triggerId, String responseUrl) {
        return sendForm(slashCommandBody(userId, channelId, command, text, triggerId, responseUrl));
    }

    public HttpResponse<String> blockAction(String userId, String actionId, String value, String channelId,
                                            String messageTs, String triggerId) {
        return sendForm(blockActionBody(userId, actionId, value, channelId, messageTs, triggerId));
    }

    public HttpResponse<String> viewSubmission(String userId, String callbackId, String privateMetadata,
                                               Map<String, Map<String, JsonNode>> stateValues, String viewId) {
        return sendForm(viewSubmissionBody(userId, callbackId, privateMetadata, stateValues, viewId));
    }

    public HttpResponse<String> messageEvent(String userId, String channelId, String text) {
        return raw(messageEventBody(userId, channelId, text), "application/json", Map.of(), now(), true);
    }

    /** The person opened the app's Home tab ({@code tab} "home") or its Messages tab ("messages"). */
    public HttpResponse<String> appHomeOpened(String userId, String tab) {
        return raw(appHomeOpenedBody(userId, tab), "application/json", Map.of(), now(), true);
    }

    /** A member's data changed; {@code deleted} true is how Slack reports a deactivated account. */
    public HttpResponse<String> userChange(String userId, String realName, boolean deleted) {
        return raw(userChangeBody(userId, realName, deleted), "application/json", Map.of(), now(), true);
    }

    /** A button clicked in the person's App Home tab: no channel, no message, no response URL. */
    public HttpResponse<String> homeButton(String userId, String actionId, String value, String triggerId) {
        return sendForm(homeActionBody(userId, actionId, "button", value, triggerId));
    }

    /** An option picked in a static select of the App Home tab. */
    public HttpResponse<String> homeSelect(String userId, String actionId, String selectedValue, String triggerId) {
        return sendForm(homeActionBody(userId, actionId, "static_select", selectedValue, triggerId));
    }

    /**
     * Sends any body, for hostile-input tests. {@code extraHeaders} are added last and replace same-named
     * headers (case-insensitive); an empty value drops that header, e.g. to send no signature at all.
     *
     * @param timestamp     epoch seconds for {@code X-Slack-Request-Timestamp} (and the signed base string)
     * @param signCorrectly false signs with a different secret: well-formed, but forged
     */
    public HttpResponse<String> raw(String body, String contentType, Map<String, String> extraHeaders,
                                    long timestamp, boolean signCorrectly) {
        String ts = Long.toString(timestamp);
        String secret = signCorrectly ? signingSecret : signingSecret + "-forged";
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", contentType);
        headers.put("X-Slack-Request-Timestamp", ts);
        headers.put("X-Slack-Signature", sign(secret, ts, body));
        headers.put("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)");
        headers.putAll(extraHeaders);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) req.header(k, v);
        });
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + endpoint, e);
        }
    }

    /**
     * Sends a correctly signed body with no Content-Length (chunked transfer encoding), as a proxy in
     * front of the bot may forward it.
     */
    public HttpResponse<String> chunked(String body, String contentType) {
        String ts = Long.toString(now());
        HttpRequest req = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", sign(signingSecret, ts, body))
                // a stream of unknown length goes out chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + endpoint, e);
        }
    }

    private HttpResponse<String> sendForm(String body) {
        return raw(body, "application/x-www-form-urlencoded", Map.of(), now(), true);
    }

    // ------------------------------------------------------------------ bodies

    /** Form body with the fields (and order) of SlashCommandPayload.json as Slack sends them. */
    public String slashCommandBody(String userId, String channelId, String command, String text,
                                   String triggerId, String responseUrl) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("token", VERIFICATION_TOKEN);
        f.put("team_id", teamId);
        f.put("team_domain", TEAM_DOMAIN);
        f.put("channel_id", channelId);
        f.put("channel_name", channelId.equals(DEFAULT_CHANNEL_ID) ? DEFAULT_CHANNEL_NAME
                : channelId.startsWith("D") ? "directmessage" : channelId.toLowerCase(Locale.ROOT));
        f.put("user_id", userId);
        f.put("user_name", userName(userId));
        f.put("command", command);
        f.put("text", text == null ? "" : text);
        f.put("api_app_id", APP_ID);
        f.put("is_enterprise_install", "false");
        f.put("response_url", responseUrl);
        f.put("trigger_id", triggerId);
        return form(f);
    }

    /** {@code payload=<json>} of a button click in a message, shaped like BlockActionPayload.json. */
    public String blockActionBody(String userId, String actionId, String value, String channelId,
                                  String messageTs, String triggerId) {
        long n = sequence.incrementAndGet();
        ObjectNode p = NODES.objectNode();
        p.put("type", "block_actions");
        p.set("user", user(userId));
        p.put("api_app_id", APP_ID);
        p.put("token", VERIFICATION_TOKEN);
        p.set("container", NODES.objectNode()
                .put("type", "message")
                .put("message_ts", messageTs)
                .put("channel_id", channelId)
                .put("is_ephemeral", false));
        p.put("trigger_id", triggerId);
        p.set("team", team());
        p.putNull("enterprise");
        p.put("is_enterprise_install", false);
        p.set("channel", NODES.objectNode().put("id", channelId).put("name", channelId.toLowerCase(Locale.ROOT)));
        p.set("message", NODES.objectNode()
                .put("type", "message")
                .put("user", FakeSlack.BOT_USER_ID)
                .put("bot_id", FakeSlack.BOT_ID)
                .put("app_id", APP_ID)
                .put("team", teamId)
                .put("text", "")
                .put("ts", messageTs)
                .set("blocks", NODES.arrayNode()));
        p.set("state", NODES.objectNode().set("values", NODES.objectNode()));
        p.put("response_url", responseUrlFor.apply("action-" + n));
        ObjectNode action = NODES.objectNode()
                .put("action_id", actionId)
                // Bolt routes on action_id; block_id is derived so it is stable and distinct per action.
                .put("block_id", actionId + "_block")
                .put("value", value)
                .put("type", "button")
                .put("action_ts", actionTs(n));
        action.set("text", NODES.objectNode().put("type", "plain_text").put("text", actionId).put("emoji", true));
        p.set("actions", NODES.arrayNode().add(action));
        return "payload=" + enc(p.toString());
    }

    /** {@code payload=<json>} of a modal submission, shaped like ViewSubmissionPayload.json. */
    public String viewSubmissionBody(String userId, String callbackId, String privateMetadata,
                                     Map<String, Map<String, JsonNode>> stateValues, String viewId) {
        long n = sequence.incrementAndGet();
        ObjectNode values = NODES.objectNode();
        stateValues.forEach((blockId, actions) -> {
            ObjectNode block = values.putObject(blockId);
            actions.forEach(block::set);
        });
        ObjectNode view = NODES.objectNode()
                .put("id", viewId)
                .put("team_id", teamId)
                .put("type", "modal")
                .put("private_metadata", privateMetadata == null ? "" : privateMetadata)
                .put("callback_id", callbackId)
                .put("external_id", "")
                .put("hash", (now() + "." + n))
                .put("clear_on_close", false)
                .put("notify_on_close", false)
                .put("root_view_id", viewId)
                .putNull("previous_view_id")
                .put("app_id", APP_ID)
                .put("app_installed_team_id", teamId)
                .put("bot_id", FakeSlack.BOT_ID);
        view.set("title", NODES.objectNode().put("type", "plain_text").put("text", "Modal").put("emoji", true));
        view.set("blocks", NODES.arrayNode());
        view.set("state", NODES.objectNode().set("values", values));
        ObjectNode p = NODES.objectNode();
        p.put("type", "view_submission");
        p.set("team", team());
        p.set("user", user(userId));
        p.put("api_app_id", APP_ID);
        p.put("token", VERIFICATION_TOKEN);
        p.put("trigger_id", triggerIds == null ? triggerId(n) : triggerIds.get());
        p.set("view", view);
        p.set("response_urls", NODES.arrayNode());
        p.putNull("enterprise");
        p.put("is_enterprise_install", false);
        return "payload=" + enc(p.toString());
    }

    /** JSON body of an Events API callback for a DM to the bot, shaped like MessagePayload.json. */
    public String messageEventBody(String userId, String channelId, String text) {
        long n = sequence.incrementAndGet();
        long now = now();
        String ts = now + "." + String.format("%06d", n);
        ObjectNode event = NODES.objectNode()
                .put("client_msg_id", UUID.nameUUIDFromBytes(("msg-" + n + "-" + now).getBytes(StandardCharsets.UTF_8)).toString())
                .put("type", "message")
                .put("text", text)
                .put("user", userId)
                .put("ts", ts)
                .put("team", teamId)
                .put("channel", channelId)
                .put("event_ts", ts)
                .put("channel_type", "im");
        ObjectNode p = NODES.objectNode();
        p.put("token", VERIFICATION_TOKEN);
        p.put("team_id", teamId);
        p.put("api_app_id", APP_ID);
        p.set("event", event);
        p.put("type", "event_callback");
        // Unique per event so the app's dedup sees new events as new and replays (same body) as replays.
        // Unique across every SlackRequests of the JVM: a restarted bot remembers the events it handled.
        p.put("event_id", String.format("Ev%010d", EVENT_IDS.incrementAndGet()));
        p.put("event_time", now);
        ArrayNode auths = NODES.arrayNode();
        auths.addObject().putNull("enterprise_id").put("team_id", teamId).put("user_id", FakeSlack.BOT_USER_ID)
                .put("is_bot", true).put("is_enterprise_install", false);
        p.set("authorizations", auths);
        p.put("is_ext_shared_channel", false);
        p.put("event_context", "4-fake-event-context-" + n);
        return p.toString();
    }

    /** The Events API envelope Slack wraps every event in, as in MessagePayload.json. */
    private ObjectNode eventEnvelope(ObjectNode event) {
        long n = sequence.incrementAndGet();
        ObjectNode p = NODES.objectNode();
        p.put("token", VERIFICATION_TOKEN);
        p.put("team_id", teamId);
        p.put("api_app_id", APP_ID);
        p.set("event", event);
        p.put("type", "event_callback");
        // From the one counter every event of the JVM takes its id from (see the DM's): an id of this
        // instance's own sequence met a DM's id now and then, and the bot dropped the later as a redelivery.
        p.put("event_id", String.format("Ev%010d", EVENT_IDS.incrementAndGet()));
        p.put("event_time", now());
        ArrayNode auths = NODES.arrayNode();
        auths.addObject().putNull("enterprise_id").put("team_id", teamId).put("user_id", FakeSlack.BOT_USER_ID)
                .put("is_bot", true).put("is_enterprise_install", false);
        p.set("authorizations", auths);
        p.put("is_ext_shared_channel", false);
        p.put("event_context", "4-fake-event-context-" + n);
        return p;
    }

    /** JSON body of an app_home_opened event, shaped like AppHomeOpenedPayload.json. */
    public String appHomeOpenedBody(String userId, String tab) {
        ObjectNode event = NODES.objectNode()
                .put("type", "app_home_opened")
                .put("user", userId)
                .put("channel", "D" + userId)
                .put("tab", tab)
                .put("event_ts", now() + ".000100");
        return eventEnvelope(event).toString();
    }

    /**
     * JSON body of a user_change event: the member's whole user object, with {@code deleted} as Slack sets it when
     * an admin deactivates the account (api.slack.com/events/user_change).
     */
    public String userChangeBody(String userId, String realName, boolean deleted) {
        ObjectNode user = NODES.objectNode()
                .put("id", userId)
                .put("team_id", teamId)
                .put("name", userName(userId))
                .put("deleted", deleted)
                .put("real_name", realName)
                .put("tz", "Europe/London")
                .put("tz_label", "Greenwich Mean Time")
                .put("tz_offset", 0)
                .put("is_bot", false)
                .put("is_app_user", false)
                .put("updated", now());
        user.set("profile", NODES.objectNode().put("real_name", realName).put("display_name", "").put("team", teamId));
        ObjectNode event = NODES.objectNode().put("type", "user_change");
        event.set("user", user);
        event.put("cache_ts", now());
        event.put("event_ts", now() + ".000200");
        return eventEnvelope(event).toString();
    }

    /**
     * {@code payload=<json>} of a click in an App Home tab, shaped like BlockActionPayload.json for a view container:
     * {@code container.type} "view", the home {@code view}, and no channel, message or response_url.
     */
    public String homeActionBody(String userId, String actionId, String elementType, String value, String triggerId) {
        long n = sequence.incrementAndGet();
        String viewId = "VHOME" + userId;
        ObjectNode p = NODES.objectNode();
        p.put("type", "block_actions");
        p.set("user", user(userId));
        p.put("api_app_id", APP_ID);
        p.put("token", VERIFICATION_TOKEN);
        p.set("container", NODES.objectNode().put("type", "view").put("view_id", viewId));
        p.put("trigger_id", triggerId);
        p.set("team", team());
        p.putNull("enterprise");
        p.put("is_enterprise_install", false);
        ObjectNode view = NODES.objectNode()
                .put("id", viewId)
                .put("team_id", teamId)
                .put("type", "home")
                .put("private_metadata", "")
                .put("callback_id", "aws_onboard_home")
                .put("external_id", "")
                .put("hash", now() + "." + n)
                .put("clear_on_close", false)
                .put("notify_on_close", false)
                .put("root_view_id", viewId)
                .putNull("previous_view_id")
                .put("app_id", APP_ID)
                .put("app_installed_team_id", teamId)
                .put("bot_id", FakeSlack.BOT_ID);
        view.set("blocks", NODES.arrayNode());
        view.set("state", NODES.objectNode().set("values", NODES.objectNode()));
        p.set("view", view);
        p.set("state", NODES.objectNode().set("values", NODES.objectNode()));
        ObjectNode action = NODES.objectNode()
                .put("action_id", actionId)
                .put("block_id", actionId + "_block")
                .put("type", elementType)
                .put("action_ts", actionTs(n));
        if (elementType.equals("static_select")) {
            action.set("selected_option", option(value));
        } else {
            action.put("value", value);
            action.set("text", NODES.objectNode().put("type", "plain_text").put("text", actionId).put("emoji", true));
        }
        p.set("actions", NODES.arrayNode().add(action));
        return "payload=" + enc(p.toString());
    }

    // ------------------------------------------------------------------ state value helpers

    /** A plain_text_input value as it appears under view.state.values.block.action. */
    public static JsonNode plainTextInput(String value) {
        return NODES.objectNode().put("type", "plain_text_input").put("value", value);
    }

    public static JsonNode usersSelect(String userId) {
        return NODES.objectNode().put("type", "users_select").put("selected_user", userId);
    }

    public static JsonNode staticSelect(String value) {
        ObjectNode n = NODES.objectNode().put("type", "static_select");
        n.set("selected_option", option(value));
        return n;
    }

    public static JsonNode multiStaticSelect(String... values) {
        ObjectNode n = NODES.objectNode().put("type", "multi_static_select");
        ArrayNode selected = n.putArray("selected_options");
        for (String v : values) selected.add(option(v));
        return n;
    }

    private static ObjectNode option(String value) {
        ObjectNode o = NODES.objectNode();
        o.set("text", NODES.objectNode().put("type", "plain_text").put("text", value).put("emoji", true));
        o.put("value", value);
        return o;
    }

    // ------------------------------------------------------------------ signing

    /** Slack signing v0: {@code v0=} + hex HMAC-SHA256(secret, {@code v0:{timestamp}:{body}}). */
    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode user(String userId) {
        return NODES.objectNode().put("id", userId).put("username", userName(userId))
                .put("name", userName(userId)).put("team_id", teamId);
    }

    private ObjectNode team() {
        return NODES.objectNode().put("id", teamId).put("domain", TEAM_DOMAIN);
    }

    /** Same default name FakeSlack's users.info gives an unregistered user. */
    private static String userName(String userId) {
        return "user-" + userId.toLowerCase(Locale.ROOT);
    }

    private String triggerId(long n) {
        return now() + "." + n + ".fake" + Long.toHexString(n * 7919);
    }

    private String actionTs(long n) {
        return now() + "." + String.format("%06d", n);
    }

    private static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (sb.length() > 0) sb.append('&');
            sb.append(enc(k)).append('=').append(enc(v == null ? "" : v));
        });
        return sb.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
