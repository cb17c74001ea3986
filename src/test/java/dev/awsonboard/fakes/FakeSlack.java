package dev.awsonboard.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * In-process fake of the Slack Web API, spoken to over real HTTP by the real Slack Java SDK
 * (point it here with {@code SlackConfig#setMethodsEndpointUrlPrefix(fake.apiUrl())}).
 *
 * <p>Wire-level rather than a Mockito mock so that what is tested is what Slack would see:
 * the SDK's form encoding, its JSON-typed form fields, its upload-v2 sequence and its handling
 * of error bodies, 429s and 5xx. Response field names follow /work/shared/slack-samples.
 *
 * <p>All state sits behind one lock: tests hit the fake from many threads and the volume is
 * tiny, so simple beats clever here.
 */
public final class FakeSlack implements AutoCloseable {

    /**
     * At least 16 characters on purpose: slack-api-client 1.51.0 resolves the team id with a hidden auth.test
     * (TeamIdCache) and, with DEBUG logging on, logs {@code token.substring(0, 16)}, so a shorter token such as
     * "xoxb-test-token" (15) makes every first SDK call throw StringIndexOutOfBoundsException.
     */
    public static final String DEFAULT_TOKEN = "xoxb-test-token-0000000000";
    public static final String BOT_USER_ID = "UBOT0001";
    public static final String BOT_ID = "B0001";
    public static final String TEAM_ID = "T0001";
    public static final String TEAM_NAME = "Fake Team";
    public static final String TEAM_DOMAIN = "fake-team";
    public static final String APP_ID = "A0001";

    /** One request to {@code /api/<method>}, failed or not. {@code params} holds form fields or the JSON body. */
    public record Call(String method, JsonNode params, String rawBody, String token) {
        /** Text of one parameter, or null; a JSON-typed field comes back as its JSON text. */
        public String param(String name) {
            JsonNode n = params.get(name);
            if (n == null || n.isNull()) return null;
            return n.isValueNode() ? n.asText() : n.toString();
        }
    }

    /** A message as the fake stores it per channel (chat.postMessage, chat.update, file shares). */
    public record Message(String channel, String ts, String threadTs, String user, String text,
                          JsonNode blocks, JsonNode attachments, List<String> fileIds, boolean edited) {
    }

    /** A file created through the upload-v2 flow. {@code bytes} is null until the bytes were POSTed. */
    public record UploadedFile(String id, String filename, String title, byte[] bytes,
                               List<String> channels, boolean deleted) {
    }

    /** A POST to a response URL (what Bolt's {@code ctx.respond} sends). */
    public record ResponseCall(String id, JsonNode body, String rawBody) {
    }

    // Fields the SDK sends as JSON text inside a form body; parsing them lets tests assert on structure.
    private static final Set<String> JSON_FIELDS =
            Set.of("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String token;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private final Object lock = new Object();
    private final List<Call> calls = new ArrayList<>();
    private final List<ResponseCall> responses = new ArrayList<>();
    private final Map<String, List<StoredMessage>> messagesByChannel = new LinkedHashMap<>();
    private final Map<String, StoredFile> files = new LinkedHashMap<>();
    private final Map<String, ObjectNode> viewsById = new LinkedHashMap<>();
    private final Map<String, String> viewIdByExternalId = new HashMap<>();
    private final Map<String, Set<String>> staleHashes = new HashMap<>();
    private final List<JsonNode> viewHistory = new ArrayList<>();
    private final Map<String, String> users = new LinkedHashMap<>();
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private List<String> grantedScopes = manifestBotScopes();
    private String appToken;
    private Supplier<String> socketModeUrls;
    private long tsCounter;
    private int fileCounter;
    private int viewCounter;
    private long hashCounter;

    private FakeSlack(String token) throws IOException {
        this.token = token;
        AtomicInteger threadNo = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "fake-slack-" + threadNo.incrementAndGet());
            t.setDaemon(true); // a forgotten close() must not keep the test JVM alive
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
        this.server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        users.put(BOT_USER_ID, "aws-onboard");
    }

    public static FakeSlack start() {
        return start(DEFAULT_TOKEN);
    }

    public static FakeSlack start(String token) {
        try {
            return new FakeSlack(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ addresses

    /** Give this to {@code SlackConfig#setMethodsEndpointUrlPrefix}. */
    public String apiUrl() {
        return baseUrl + "/api/";
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String botToken() {
        return token;
    }

    /** A response URL served by this fake; put it into slash command / block action payloads. */
    public String responseUrl(String id) {
        return baseUrl + "/response/" + id;
    }

    // ------------------------------------------------------------------ recorded state

    public List<Call> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String method) {
        synchronized (lock) {
            return calls.stream().filter(c -> c.method().equals(method)).toList();
        }
    }

    public Optional<Call> lastCall(String method) {
        List<Call> matching = calls(method);
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1));
    }

    public int callCount(String method) {
        return calls(method).size();
    }

    /** Messages currently in a channel, oldest first (chat.update edits in place). */
    public List<Message> messages(String channel) {
        synchronized (lock) {
            return messagesByChannel.getOrDefault(channel, List.of()).stream().map(StoredMessage::snapshot).toList();
        }
    }

    public Optional<Message> message(String channel, String ts) {
        return messages(channel).stream().filter(m -> m.ts().equals(ts)).findFirst();
    }

    public List<ResponseCall> responses() {
        synchronized (lock) {
            return List.copyOf(responses);
        }
    }

    /** Every view object returned by views.open/update/push, in order. */
    public List<JsonNode> views() {
        synchronized (lock) {
            return viewHistory.stream().<JsonNode>map(JsonNode::deepCopy).toList();
        }
    }

    public Optional<JsonNode> lastView() {
        synchronized (lock) {
            return viewHistory.isEmpty() ? Optional.empty()
                    : Optional.of(viewHistory.get(viewHistory.size() - 1).deepCopy());
        }
    }

    /** The current state of one view. */
    public Optional<JsonNode> view(String viewId) {
        synchronized (lock) {
            return Optional.ofNullable(viewsById.get(viewId)).<JsonNode>map(JsonNode::deepCopy);
        }
    }

    public List<UploadedFile> uploadedFiles() {
        synchronized (lock) {
            return files.values().stream().map(StoredFile::snapshot).toList();
        }
    }

    public Optional<UploadedFile> file(String id) {
        synchronized (lock) {
            return Optional.ofNullable(files.get(id)).map(StoredFile::snapshot);
        }
    }

    public boolean isDeleted(String id) {
        synchronized (lock) {
            StoredFile f = files.get(id);
            if (f == null) throw new IllegalArgumentException("no such file: " + id);
            return f.deleted;
        }
    }

    // ------------------------------------------------------------------ arranging

    /** Makes a user known to users.info with this name (ids starting with U or W are known anyway). */
    public FakeSlack addUser(String id, String name) {
        synchronized (lock) {
            users.put(id, name);
        }
        return this;
    }

    public FakeSlack addMember(String channel, String userId) {
        synchronized (lock) {
            members.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(userId);
        }
        return this;
    }

    /**
     * The bot scopes the token holds, reported as Slack does in the {@code x-oauth-scopes} header of every
     * Web API answer to a valid token. Default: every bot scope {@code manifest.yml} asks for.
     */
    public FakeSlack grantScopes(String... scopes) {
        synchronized (lock) {
            grantedScopes = List.of(scopes);
        }
        return this;
    }

    /** {@code oauth_config.scopes.bot} of the project's {@code manifest.yml} (tests run from the project root). */
    public static List<String> manifestBotScopes() {
        Path manifest = Path.of("manifest.yml");
        try {
            JsonNode bot = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(manifest))
                    .path("oauth_config").path("scopes").path("bot");
            List<String> scopes = new ArrayList<>();
            bot.forEach(n -> scopes.add(n.asText()));
            return List.copyOf(scopes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bot scopes from " + manifest.toAbsolutePath(), e);
        }
    }

    /**
     * Serves {@code apps.connections.open} for Socket Mode: called with this app-level token ({@code xapp-...})
     * as Bearer it answers {@code {"ok":true,"url":...}} with a fresh URL from {@code urls} per call, e.g.
     * {@link FakeSocketMode#newUrl()}. Any other token gets {@code invalid_auth}, a bot token
     * {@code not_allowed_token_type}, as Slack answers.
     */
    public FakeSlack socketMode(String appLevelToken, Supplier<String> urls) {
        synchronized (lock) {
            this.appToken = appLevelToken;
            this.socketModeUrls = urls;
        }
        return this;
    }

    /** The next {@code times} calls of {@code method} answer HTTP 200 {@code {"ok":false,"error":error}}. */
    public FakeSlack failNext(String method, int times, String error) {
        return addFault(method, times, new Fault(200, error, 0));
    }

    /** The next {@code times} calls of {@code method} answer HTTP 429 with {@code Retry-After}, as Slack's rate limiter does. */
    public FakeSlack rateLimitNext(String method, int times, int retryAfterSeconds) {
        return addFault(method, times, new Fault(429, "ratelimited", retryAfterSeconds));
    }

    /** The next {@code times} calls of {@code method} answer this HTTP status with a non-JSON body. */
    public FakeSlack serverErrorNext(String method, int times, int status) {
        return addFault(method, times, new Fault(status, null, 0));
    }

    private FakeSlack addFault(String method, int times, Fault fault) {
        synchronized (lock) {
            Deque<Fault> q = faults.computeIfAbsent(method, m -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) q.add(fault);
        }
        return this;
    }

    // ------------------------------------------------------------------ HTTP plumbing

    private record Fault(int status, String error, int retryAfterSeconds) {
    }

    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply json(JsonNode node) {
            return new Reply(200, "application/json; charset=utf-8", bytes(node.toString()), Map.of());
        }

        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", bytes(text), Map.of());
        }
    }

    /** Thrown inside a method handler to answer {@code {"ok":false,"error":...}}. */
    private static final class SlackError extends RuntimeException {
        SlackError(String error) {
            super(error, null, false, false);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            Reply reply;
            try {
                byte[] body = readAll(ex.getRequestBody());
                String path = ex.getRequestURI().getPath();
                if (path.startsWith("/api/")) {
                    reply = handleApi(ex, path.substring("/api/".length()), body);
                } else if (path.startsWith("/upload/") && "POST".equals(ex.getRequestMethod())) {
                    reply = handleUpload(path.substring("/upload/".length()), body);
                } else if (path.startsWith("/response/") && "POST".equals(ex.getRequestMethod())) {
                    reply = handleResponseUrl(path.substring("/response/".length()), body);
                } else if (path.startsWith("/files/") && "GET".equals(ex.getRequestMethod())) {
                    reply = handleDownload(ex, path.substring("/files/".length()));
                } else {
                    reply = Reply.text(404, "Not Found");
                }
            } catch (RuntimeException e) {
                // A bug in the fake must show up as a loud 500, not as a hung client.
                reply = Reply.text(500, "fake slack failed: " + e);
            }
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } finally {
            ex.close();
        }
    }

    private Reply handleApi(HttpExchange ex, String method, byte[] body) {
        String raw = new String(body, StandardCharsets.UTF_8);
        ObjectNode params = parseParams(ex, raw);
        String presented = bearer(ex);
        if (presented == null && params.hasNonNull("token")) presented = params.get("token").asText();

        Fault fault;
        synchronized (lock) {
            calls.add(new Call(method, params.deepCopy(), raw, presented));
            Deque<Fault> q = faults.get(method);
            fault = q == null ? null : q.poll();
        }
        if (fault != null) return faultReply(fault);
        if (method.equals("apps.connections.open")) return appsConnectionsOpen(presented);
        // Slack answers auth problems with HTTP 200 and ok:false; the SDK turns that into a response, not an exception.
        if (!token.equals(presented)) return error("invalid_auth");
        Reply reply;
        try {
            ObjectNode result = dispatch(method, params);
            if (result == null) {
                reply = error("unknown_method");
            } else {
                ObjectNode ok = NODES.objectNode().put("ok", true);
                ok.setAll(result);
                reply = Reply.json(ok);
            }
        } catch (SlackError e) {
            reply = error(e.getMessage());
        }
        String scopes;
        synchronized (lock) {
            scopes = String.join(",", grantedScopes);
        }
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("x-oauth-scopes", scopes);
        return new Reply(reply.status(), reply.contentType(), reply.body(), headers);
    }

    /** The one method that takes the app-level token rather than the bot token. */
    private Reply appsConnectionsOpen(String presented) {
        Supplier<String> urls;
        String expected;
        synchronized (lock) {
            urls = socketModeUrls;
            expected = appToken;
        }
        if (presented != null && presented.equals(token)) return error("not_allowed_token_type");
        if (expected == null || !expected.equals(presented)) return error("invalid_auth");
        return Reply.json(NODES.objectNode().put("ok", true).put("url", urls.get()));
    }

    private static Reply faultReply(Fault f) {
        if (f.status() == 429) {
            ObjectNode body = NODES.objectNode().put("ok", false).put("error", f.error());
            return new Reply(429, "application/json; charset=utf-8", bytes(body.toString()),
                    Map.of("Retry-After", String.valueOf(f.retryAfterSeconds())));
        }
        if (f.status() == 200) return error(f.error());
        return Reply.text(f.status(), "fake server error " + f.status());
    }

    private static Reply error(String error) {
        return Reply.json(NODES.objectNode().put("ok", false).put("error", error));
    }

    private static String bearer(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return h.substring(7).trim();
    }

    private static ObjectNode parseParams(HttpExchange ex, String raw) {
        ObjectNode params = NODES.objectNode();
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) putForm(params, query);
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("")
                .toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            JsonNode body = readJson(raw);
            if (body instanceof ObjectNode o) params.setAll(o);
        } else if (!raw.isEmpty()) {
            putForm(params, raw);
        }
        return params;
    }

    private static void putForm(ObjectNode params, String form) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (JSON_FIELDS.contains(key) && (value.startsWith("{") || value.startsWith("["))) {
                params.set(key, readJson(value));
            } else {
                params.put(key, value);
            }
        }
    }

    private Reply handleUpload(String fileId, byte[] body) {
        synchronized (lock) {
            StoredFile f = files.get(fileId);
            if (f == null) return Reply.text(404, "Not Found");
            // The SDK POSTs the raw bytes (okhttp RequestBody.create(byte[]), no multipart); store them as sent.
            f.bytes = body;
        }
        return Reply.text(200, "OK - " + body.length);
    }

    private Reply handleResponseUrl(String id, byte[] body) {
        String raw = new String(body, StandardCharsets.UTF_8);
        synchronized (lock) {
            responses.add(new ResponseCall(id, readJson(raw), raw));
        }
        return Reply.json(NODES.objectNode().put("ok", true));
    }

    private Reply handleDownload(HttpExchange ex, String rest) {
        if (!token.equals(bearer(ex))) return Reply.text(403, "Forbidden");
        String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        synchronized (lock) {
            StoredFile f = files.get(id);
            if (f == null || f.deleted || f.bytes == null) return Reply.text(404, "Not Found");
            return new Reply(200, f.mimetype(), f.bytes, Map.of());
        }
    }

    // ------------------------------------------------------------------ Web API methods

    private ObjectNode dispatch(String method, ObjectNode p) {
        synchronized (lock) {
            return switch (method) {
                case "auth.test" -> authTest();
                case "conversations.open" -> conversationsOpen(p);
                case "conversations.info" -> conversationsInfo(p);
                case "conversations.members" -> conversationsMembers(p);
                case "conversations.join" -> conversationsJoin(p);
                case "chat.postMessage" -> chatPostMessage(p);
                case "chat.update" -> chatUpdate(p);
                case "chat.delete" -> chatDelete(p);
                case "chat.postEphemeral" -> chatPostEphemeral(p);
                case "views.open" -> viewsOpen(p, "views.open");
                case "views.push" -> viewsOpen(p, "views.push");
                case "views.update" -> viewsUpdate(p);
                case "users.info" -> usersInfo(p);
                case "files.getUploadURLExternal" -> filesGetUploadUrlExternal(p);
                case "files.completeUploadExternal" -> filesCompleteUploadExternal(p);
                case "files.info" -> filesInfo(p);
                case "files.delete" -> filesDelete(p);
                default -> null;
            };
        }
    }

    private ObjectNode authTest() {
        return NODES.objectNode()
                .put("url", "https://" + TEAM_DOMAIN + ".slack.com/")
                .put("team", TEAM_NAME)
                .put("user", users.get(BOT_USER_ID))
                .put("team_id", TEAM_ID)
                .put("user_id", BOT_USER_ID)
                .put("bot_id", BOT_ID)
                .put("app_id", APP_ID)
                .put("is_enterprise_install", false);
    }

    private ObjectNode conversationsOpen(ObjectNode p) {
        String channelId;
        if (p.hasNonNull("channel")) {
            channelId = p.get("channel").asText();
        } else {
            List<String> ids = Arrays.stream(required(p, "users").split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (ids.isEmpty()) throw new SlackError("users_list_not_supplied");
            for (String id : ids) {
                if (!userKnown(id)) throw new SlackError("user_not_found");
            }
            // Deterministic ids so tests can name the DM before the bot opens it.
            channelId = ids.size() == 1 ? "D" + ids.get(0) : "G" + String.join("", ids);
            for (String id : ids) addMemberLocked(channelId, id);
            addMemberLocked(channelId, BOT_USER_ID);
        }
        ObjectNode channel = NODES.objectNode().put("id", channelId);
        return NODES.objectNode().set("channel", channel);
    }

    private ObjectNode conversationsInfo(ObjectNode p) {
        String id = required(p, "channel");
        if (!channelKnown(id)) throw new SlackError("channel_not_found");
        ObjectNode c = NODES.objectNode()
                .put("id", id)
                .put("created", 1700000000L)
                .put("is_channel", id.startsWith("C"))
                .put("is_group", id.startsWith("G"))
                .put("is_im", id.startsWith("D"))
                .put("is_mpim", id.startsWith("G"))
                .put("is_private", !id.startsWith("C"))
                .put("is_archived", false)
                .put("is_member", id.startsWith("D") || membersOf(id).contains(BOT_USER_ID));
        if (id.startsWith("D")) {
            c.put("user", id.substring(1));
        } else {
            c.put("name", id.toLowerCase(Locale.ROOT));
            c.put("name_normalized", id.toLowerCase(Locale.ROOT));
        }
        return NODES.objectNode().set("channel", c);
    }

    private ObjectNode conversationsMembers(ObjectNode p) {
        String id = required(p, "channel");
        if (!channelKnown(id)) throw new SlackError("channel_not_found");
        ArrayNode list = NODES.arrayNode();
        membersOf(id).forEach(list::add);
        ObjectNode out = NODES.objectNode();
        out.set("members", list);
        out.set("response_metadata", NODES.objectNode().put("next_cursor", ""));
        return out;
    }

    private ObjectNode conversationsJoin(ObjectNode p) {
        String id = required(p, "channel");
        if (!id.startsWith("C")) throw new SlackError(channelKnown(id) ? "method_not_supported_for_channel_type" : "channel_not_found");
        addMemberLocked(id, BOT_USER_ID);
        return conversationsInfo(p);
    }

    private ObjectNode chatPostMessage(ObjectNode p) {
        String channel = resolveChannel(required(p, "channel"));
        requireContent(p);
        StoredMessage m = new StoredMessage();
        m.channel = channel;
        m.ts = nextTs();
        m.threadTs = text(p, "thread_ts");
        m.user = BOT_USER_ID;
        m.text = Optional.ofNullable(text(p, "text")).orElse("");
        m.blocks = p.get("blocks");
        m.attachments = p.get("attachments");
        messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(m);
        ObjectNode out = NODES.objectNode().put("channel", channel).put("ts", m.ts);
        out.set("message", m.toJson());
        return out;
    }

    private ObjectNode chatUpdate(ObjectNode p) {
        String channel = resolveChannel(required(p, "channel"));
        String ts = required(p, "ts");
        StoredMessage m = findMessage(channel, ts);
        requireContent(p);
        if (p.has("text")) m.text = p.get("text").asText();
        if (p.has("blocks")) m.blocks = p.get("blocks");
        if (p.has("attachments")) m.attachments = p.get("attachments");
        m.edited = true;
        ObjectNode out = NODES.objectNode().put("channel", channel).put("ts", ts).put("text", m.text);
        out.set("message", m.toJson());
        return out;
    }

    private ObjectNode chatDelete(ObjectNode p) {
        String channel = resolveChannel(required(p, "channel"));
        String ts = required(p, "ts");
        StoredMessage m = findMessage(channel, ts);
        messagesByChannel.get(channel).remove(m);
        return NODES.objectNode().put("channel", channel).put("ts", ts);
    }

    private ObjectNode chatPostEphemeral(ObjectNode p) {
        resolveChannel(required(p, "channel"));
        String user = required(p, "user");
        if (!userKnown(user)) throw new SlackError("user_not_found");
        requireContent(p);
        // Ephemeral messages are not stored in the channel (nobody else sees them); the call record keeps them.
        return NODES.objectNode().put("message_ts", nextTs());
    }

    private ObjectNode viewsOpen(ObjectNode p, String method) {
        required(p, "trigger_id");
        JsonNode submitted = p.get("view");
        if (!(submitted instanceof ObjectNode)) throw new SlackError("invalid_arguments");
        String id = String.format("V%04d", ++viewCounter);
        ObjectNode view = buildView(id, (ObjectNode) submitted, null);
        if (method.equals("views.push")) view.put("previous_view_id", lastViewIdLocked());
        viewsById.put(id, view);
        String externalId = text(submitted, "external_id");
        if (externalId != null && !externalId.isEmpty()) {
            if (viewIdByExternalId.containsKey(externalId)) throw new SlackError("duplicate_external_id");
            viewIdByExternalId.put(externalId, id);
        }
        viewHistory.add(view.deepCopy());
        return NODES.objectNode().set("view", view.deepCopy());
    }

    private ObjectNode viewsUpdate(ObjectNode p) {
        String id = text(p, "view_id");
        if (id == null || id.isEmpty()) {
            String externalId = text(p, "external_id");
            if (externalId == null) throw new SlackError("invalid_arguments");
            id = viewIdByExternalId.get(externalId);
        }
        ObjectNode existing = id == null ? null : viewsById.get(id);
        if (existing == null) throw new SlackError("not_found");
        String hash = text(p, "hash");
        // Slack rejects an update built from a stale copy of the view. Only hashes this fake itself issued
        // for an older revision count as stale: payloads from SlackRequests carry hashes the fake never
        // issued, and a correct app passing those along must not see a false conflict.
        if (hash != null && staleHashes.getOrDefault(id, Set.of()).contains(hash)) {
            throw new SlackError("hash_conflict");
        }
        staleHashes.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(existing.path("hash").asText());
        JsonNode submitted = p.get("view");
        if (!(submitted instanceof ObjectNode)) throw new SlackError("invalid_arguments");
        ObjectNode view = buildView(id, (ObjectNode) submitted, existing);
        viewsById.put(id, view);
        viewHistory.add(view.deepCopy());
        return NODES.objectNode().set("view", view.deepCopy());
    }

    private ObjectNode buildView(String id, ObjectNode submitted, ObjectNode previous) {
        ObjectNode v = NODES.objectNode()
                .put("id", id)
                .put("team_id", TEAM_ID)
                .put("type", submitted.path("type").asText("modal"));
        for (String f : List.of("title", "submit", "close")) {
            if (submitted.has(f)) v.set(f, submitted.get(f));
        }
        v.set("blocks", submitted.has("blocks") ? submitted.get("blocks") : NODES.arrayNode());
        v.put("private_metadata", submitted.path("private_metadata").asText(""));
        v.put("callback_id", submitted.path("callback_id").asText(""));
        v.put("external_id", submitted.path("external_id").asText(""));
        v.set("state", NODES.objectNode().set("values", NODES.objectNode()));
        // A fresh hash per revision, so a stale hash in views.update is detectable.
        v.put("hash", String.format("%d.%08x", 1700000000L + (++hashCounter), id.hashCode()));
        v.put("clear_on_close", submitted.path("clear_on_close").asBoolean(false));
        v.put("notify_on_close", submitted.path("notify_on_close").asBoolean(false));
        v.put("root_view_id", previous == null ? id : previous.path("root_view_id").asText(id));
        v.putNull("previous_view_id");
        v.put("app_id", APP_ID);
        v.put("app_installed_team_id", TEAM_ID);
        v.put("bot_id", BOT_ID);
        return v;
    }

    private String lastViewIdLocked() {
        return viewHistory.isEmpty() ? null : viewHistory.get(viewHistory.size() - 1).path("id").asText();
    }

    private ObjectNode usersInfo(ObjectNode p) {
        String id = required(p, "user");
        if (!userKnown(id)) throw new SlackError("user_not_found");
        String name = users.getOrDefault(id, "user-" + id.toLowerCase(Locale.ROOT));
        String realName = users.containsKey(id) ? name : "User " + id;
        ObjectNode profile = NODES.objectNode()
                .put("real_name", realName)
                .put("real_name_normalized", realName)
                .put("display_name", name)
                .put("display_name_normalized", name)
                .put("email", name + "@example.com")
                .put("team", TEAM_ID)
                .put("image_72", "https://example.com/" + id + ".png");
        ObjectNode user = NODES.objectNode()
                .put("id", id)
                .put("team_id", TEAM_ID)
                .put("name", name)
                .put("deleted", false)
                .put("real_name", realName)
                .put("tz", "Europe/London")
                .put("tz_label", "Greenwich Mean Time")
                .put("tz_offset", 0)
                .put("is_admin", false)
                .put("is_owner", false)
                .put("is_bot", id.equals(BOT_USER_ID))
                .put("is_app_user", false)
                .put("updated", 1700000000L);
        user.set("profile", profile);
        return NODES.objectNode().set("user", user);
    }

    private ObjectNode filesGetUploadUrlExternal(ObjectNode p) {
        String filename = required(p, "filename");
        String lengthText = required(p, "length");
        long length;
        try {
            length = Long.parseLong(lengthText);
        } catch (NumberFormatException e) {
            throw new SlackError("invalid_arguments");
        }
        StoredFile f = new StoredFile();
        f.id = String.format("F%04d", ++fileCounter);
        f.filename = filename;
        f.declaredLength = length;
        f.altTxt = text(p, "alt_txt");
        f.created = 1700000000L + fileCounter;
        files.put(f.id, f);
        return NODES.objectNode()
                .put("upload_url", baseUrl + "/upload/" + f.id)
                .put("file_id", f.id);
    }

    private ObjectNode filesCompleteUploadExternal(ObjectNode p) {
        JsonNode list = p.get("files");
        if (!(list instanceof ArrayNode) || list.isEmpty()) throw new SlackError("invalid_arguments");
        List<String> targets = new ArrayList<>();
        if (p.hasNonNull("channel_id")) targets.add(resolveChannel(p.get("channel_id").asText()));
        if (p.hasNonNull("channels")) {
            for (String c : p.get("channels").asText().split(",")) {
                if (!c.isBlank()) targets.add(resolveChannel(c.trim()));
            }
        }
        List<StoredFile> completed = new ArrayList<>();
        for (JsonNode entry : list) {
            StoredFile f = files.get(entry.path("id").asText());
            // Completing a file whose bytes never arrived is a caller bug; Slack does not find such a file either.
            if (f == null || f.deleted || f.bytes == null) throw new SlackError("file_not_found");
            completed.add(f);
        }
        ArrayNode out = NODES.arrayNode();
        for (int i = 0; i < completed.size(); i++) {
            StoredFile f = completed.get(i);
            JsonNode entry = list.get(i);
            f.title = entry.hasNonNull("title") ? entry.get("title").asText() : f.filename;
            f.completed = true;
            for (String channel : targets) {
                if (!f.channels.contains(channel)) f.channels.add(channel);
            }
        }
        // Sharing posts one message carrying the files (and the initial comment) into each channel.
        for (String channel : targets) {
            StoredMessage m = new StoredMessage();
            m.channel = channel;
            m.ts = nextTs();
            m.threadTs = text(p, "thread_ts");
            m.user = BOT_USER_ID;
            m.text = Optional.ofNullable(text(p, "initial_comment")).orElse("");
            m.fileIds = completed.stream().map(f -> f.id).toList();
            messagesByChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(m);
            for (StoredFile f : completed) f.shareTs.put(channel, m.ts);
        }
        for (StoredFile f : completed) out.add(fileJson(f));
        return NODES.objectNode().set("files", out);
    }

    private ObjectNode filesInfo(ObjectNode p) {
        StoredFile f = files.get(required(p, "file"));
        if (f == null || !f.completed) throw new SlackError("file_not_found");
        if (f.deleted) throw new SlackError("file_deleted");
        ObjectNode out = NODES.objectNode();
        out.set("file", fileJson(f));
        out.set("comments", NODES.arrayNode());
        out.set("response_metadata", NODES.objectNode().put("next_cursor", ""));
        return out;
    }

    private ObjectNode filesDelete(ObjectNode p) {
        StoredFile f = files.get(required(p, "file"));
        if (f == null || f.deleted) throw new SlackError("file_not_found");
        f.deleted = true;
        return NODES.objectNode();
    }

    private ObjectNode fileJson(StoredFile f) {
        String ext = f.extension();
        ObjectNode j = NODES.objectNode()
                .put("id", f.id)
                .put("created", f.created)
                .put("timestamp", f.created)
                .put("name", f.filename)
                .put("title", f.title == null ? f.filename : f.title)
                .put("mimetype", f.mimetype())
                .put("filetype", ext.isEmpty() ? "binary" : ext)
                .put("pretty_type", ext.isEmpty() ? "Binary" : ext.toUpperCase(Locale.ROOT))
                .put("user", BOT_USER_ID)
                .put("user_team", TEAM_ID)
                .put("editable", false)
                .put("size", f.bytes == null ? f.declaredLength : f.bytes.length)
                .put("mode", "hosted")
                .put("is_external", false)
                .put("external_type", "")
                .put("is_public", f.channels.stream().anyMatch(c -> c.startsWith("C")))
                .put("public_url_shared", false)
                .put("display_as_bot", false)
                .put("username", "")
                .put("url_private", baseUrl + "/files/" + f.id + "/" + f.filename)
                .put("url_private_download", baseUrl + "/files/" + f.id + "/download/" + f.filename)
                .put("permalink", "https://" + TEAM_DOMAIN + ".slack.com/files/" + BOT_USER_ID + "/" + f.id + "/" + f.filename)
                .put("permalink_public", "https://slack-files.com/" + TEAM_ID + "-" + f.id + "-0000000000")
                .put("has_rich_preview", false)
                .put("file_access", "visible");
        if (f.altTxt != null) j.put("alt_txt", f.altTxt);
        ArrayNode channels = NODES.arrayNode();
        ArrayNode groups = NODES.arrayNode();
        ArrayNode ims = NODES.arrayNode();
        ObjectNode publicShares = NODES.objectNode();
        ObjectNode privateShares = NODES.objectNode();
        for (String c : f.channels) {
            (c.startsWith("C") ? channels : c.startsWith("D") ? ims : groups).add(c);
            ObjectNode share = NODES.objectNode()
                    .put("ts", f.shareTs.getOrDefault(c, ""))
                    .put("channel_name", c.toLowerCase(Locale.ROOT))
                    .put("team_id", TEAM_ID)
                    .put("share_user_id", BOT_USER_ID)
                    .put("source", "UNKNOWN")
                    .put("is_silent_share", false)
                    .put("reply_count", 0)
                    .put("reply_users_count", 0);
            share.set("reply_users", NODES.arrayNode());
            (c.startsWith("C") ? publicShares : privateShares).set(c, NODES.arrayNode().add(share));
        }
        ObjectNode shares = NODES.objectNode();
        if (!publicShares.isEmpty()) shares.set("public", publicShares);
        if (!privateShares.isEmpty()) shares.set("private", privateShares);
        j.set("shares", shares);
        j.set("channels", channels);
        j.set("groups", groups);
        j.set("ims", ims);
        j.put("has_more_shares", false);
        j.put("comments_count", 0);
        j.put("is_starred", false);
        return j;
    }

    // ------------------------------------------------------------------ helpers (call with lock held)

    private static String required(JsonNode p, String name) {
        String v = text(p, name);
        if (v == null || v.isEmpty()) {
            throw new SlackError(name.equals("channel") ? "channel_not_found" : "invalid_arguments");
        }
        return v;
    }

    private static String text(JsonNode p, String name) {
        JsonNode n = p.get(name);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static void requireContent(ObjectNode p) {
        boolean has = (p.hasNonNull("text") && !p.get("text").asText().isEmpty())
                || (p.get("blocks") instanceof ArrayNode b && !b.isEmpty())
                || (p.get("attachments") instanceof ArrayNode a && !a.isEmpty());
        if (!has) throw new SlackError("no_text");
    }

    private boolean userKnown(String id) {
        return users.containsKey(id) || id.startsWith("U") || id.startsWith("W");
    }

    private boolean channelKnown(String id) {
        return id.startsWith("C") || id.startsWith("D") || id.startsWith("G");
    }

    /** Posting to a user id lands in the bot's DM with that user, as on Slack. */
    private String resolveChannel(String id) {
        if (userKnown(id) && (id.startsWith("U") || id.startsWith("W"))) return "D" + id;
        if (!channelKnown(id)) throw new SlackError("channel_not_found");
        return id;
    }

    private Set<String> membersOf(String channel) {
        Set<String> s = new LinkedHashSet<>(members.getOrDefault(channel, Set.of()));
        if (channel.startsWith("D")) {
            s.add(channel.substring(1));
            s.add(BOT_USER_ID);
        }
        return s;
    }

    private void addMemberLocked(String channel, String user) {
        members.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(user);
    }

    private StoredMessage findMessage(String channel, String ts) {
        return messagesByChannel.getOrDefault(channel, List.of()).stream()
                .filter(m -> m.ts.equals(ts)).findFirst()
                .orElseThrow(() -> new SlackError("message_not_found"));
    }

    /** Increasing, unique, Slack-shaped message timestamps: 1700000000.000100, .000200, ... */
    private String nextTs() {
        long micros = ++tsCounter * 100;
        return String.format("%d.%06d", 1700000000L + micros / 1_000_000, micros % 1_000_000);
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return NODES.textNode(text); // keep malformed input visible to the test instead of failing the call
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ mutable state, snapshotted out

    private static final class StoredMessage {
        String channel;
        String ts;
        String threadTs;
        String user;
        String text;
        JsonNode blocks;
        JsonNode attachments;
        List<String> fileIds = List.of();
        boolean edited;

        Message snapshot() {
            return new Message(channel, ts, threadTs, user, text,
                    blocks == null ? null : blocks.deepCopy(),
                    attachments == null ? null : attachments.deepCopy(), fileIds, edited);
        }

        ObjectNode toJson() {
            ObjectNode m = NODES.objectNode()
                    .put("type", "message")
                    .put("user", user)
                    .put("bot_id", BOT_ID)
                    .put("app_id", APP_ID)
                    .put("team", TEAM_ID)
                    .put("text", text)
                    .put("ts", ts);
            if (threadTs != null) m.put("thread_ts", threadTs);
            if (blocks != null) m.set("blocks", blocks.deepCopy());
            if (attachments != null) m.set("attachments", attachments.deepCopy());
            if (edited) m.set("edited", NODES.objectNode().put("user", user).put("ts", ts));
            return m;
        }
    }

    private static final class StoredFile {
        String id;
        String filename;
        String title;
        String altTxt;
        long declaredLength;
        long created;
        byte[] bytes;
        boolean completed;
        boolean deleted;
        final List<String> channels = new ArrayList<>();
        final Map<String, String> shareTs = new HashMap<>();

        UploadedFile snapshot() {
            return new UploadedFile(id, filename, title, bytes == null ? null : bytes.clone(),
                    List.copyOf(channels), deleted);
        }

        String extension() {
            int dot = filename.lastIndexOf('.');
            return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
        }

        String mimetype() {
            return switch (extension()) {
                case "png" -> "image/png";
                case "jpg", "jpeg" -> "image/jpeg";
                case "gif" -> "image/gif";
                case "txt" -> "text/plain";
                case "json" -> "application/json";
                default -> "application/octet-stream";
            };
        }
    }
}
