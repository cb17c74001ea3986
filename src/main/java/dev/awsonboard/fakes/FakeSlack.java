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
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * of error bodies, 429s and 5xx. Response field names follow src/test/resources/slack-samples.
 *
 * <p>It refuses what Slack refuses: calls outside the granted scopes ({@link SlackScopes}), posts into
 * conversations the bot is not in and DMs with people it cannot reach ({@link SlackWorkspace}), Block Kit
 * past its limits ({@link BlockKitLimits}), trigger_ids used twice or late ({@link Triggers}), response_urls
 * used up ({@link ResponseUrls}), uploads of another length than reserved, and (opt-in) calls past the rate
 * tiers ({@link RateLimits}). So tests must set the workspace up as a real one would be: people registered
 * with {@link #addUser}, the bot invited where it posts ({@link #inviteBot}).
 *
 * <p>All state sits behind one lock: tests hit the fake from many threads and the volume is
 * tiny, so simple beats clever here. {@link #setLatency} and {@link #holdAll} make answers late the
 * way a slow or stalled Slack does; they wait in the server's handler thread, outside the lock.
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
    /** Slack truncates chat.postMessage text past 40,000 characters (api.slack.com/changelog/2018-04-truncating-really-long-messages). */
    static final int MESSAGE_TEXT_LIMIT = 40_000;
    /** chat.update refuses longer text with msg_too_long: "The text field cannot exceed 4,000 characters" (its docs page). */
    static final int UPDATE_TEXT_LIMIT = 4_000;

    /** One request to {@code /api/<method>}, failed or not. {@code params} holds form fields or the JSON body. */
    public record Call(String method, JsonNode params, String rawBody, String token) {
        /** Text of one parameter, or null; a JSON-typed field comes back as its JSON text. */
        public String param(String name) {
            JsonNode n = params.get(name);
            if (n == null || n.isNull()) return null;
            return n.isValueNode() ? n.asText() : n.toString();
        }
    }

    /**
     * A message as the fake stores it per channel (chat.postMessage, chat.update, file shares). A thread reply
     * has {@code threadTs} set to its parent's ts; {@code replyBroadcast} says it was also sent to the channel.
     */
    public record Message(String channel, String ts, String threadTs, String user, String text,
                          JsonNode blocks, JsonNode attachments, List<String> fileIds, boolean edited,
                          boolean replyBroadcast) {
        public boolean isReply() {
            return threadTs != null && !threadTs.equals(ts);
        }
    }

    /** A file created through the upload-v2 flow. {@code bytes} is null until the bytes were POSTed. */
    public record UploadedFile(String id, String filename, String title, byte[] bytes,
                               List<String> channels, boolean deleted) {
    }

    /** An ephemeral message Slack accepted: only {@code user} saw it, in {@code channel}. */
    public record Ephemeral(String channel, String user, String text, JsonNode blocks) {
    }

    /** A POST to a response URL (what Bolt's {@code ctx.respond} sends) that Slack accepted. */
    public record ResponseCall(String id, JsonNode body, String rawBody) {
    }

    // Fields the SDK sends as JSON text inside a form body; parsing them lets tests assert on structure.
    private static final Set<String> JSON_FIELDS =
            Set.of("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String token;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private final Object lock = new Object();
    private final List<Call> calls = new ArrayList<>();
    private final List<ResponseCall> responses = new ArrayList<>();
    private final List<Ephemeral> ephemerals = new ArrayList<>();
    private final Map<String, List<StoredMessage>> messagesByChannel = new LinkedHashMap<>();
    private final Map<String, StoredFile> files = new LinkedHashMap<>();
    /** User groups (S... ids) and their members, as usergroups.users.list answers them. */
    private final Map<String, List<String>> userGroups = new LinkedHashMap<>();
    private final Map<String, ObjectNode> viewsById = new LinkedHashMap<>();
    private final Map<String, String> viewIdByExternalId = new HashMap<>();
    /** Which trigger opened which view, so whoever holds a trigger (the demo's page) finds the modal it opened. */
    private final Map<String, String> viewIdByTrigger = new HashMap<>();
    private final Map<String, Set<String>> staleHashes = new HashMap<>();
    private final List<JsonNode> viewHistory = new ArrayList<>();
    private final Map<String, ObjectNode> homeViews = new LinkedHashMap<>();
    private final SlackWorkspace workspace = new SlackWorkspace(BOT_USER_ID, "aws-onboard");
    private final Triggers triggers = new Triggers();
    private final ResponseUrls responseUrls = new ResponseUrls();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private List<String> grantedScopes = manifestBotScopes();
    private boolean homeTabEnabled = manifestHomeTabEnabled();
    private RateLimits rateLimits;
    private String appToken;
    private Supplier<String> socketModeUrls;
    private long tsCounter;
    private int fileCounter;
    private int viewCounter;
    private long hashCounter;
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Object gateLock = new Object();
    private CountDownLatch gate;
    private final Set<String> heldPaths = new java.util.HashSet<>();
    private final AtomicInteger held = new AtomicInteger();

    private FakeSlack(String token, Clock clock) throws IOException {
        this.token = token;
        this.clock = clock;
        AtomicInteger threadNo = new AtomicInteger();
        // Not a fixed pool: with latency or a hold, every waiting request keeps its thread, as many as Slack would serve.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-slack-" + threadNo.incrementAndGet());
            t.setDaemon(true); // a forgotten close() must not keep the test JVM alive
            return t;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(executor);
        this.server.createContext("/", this::handle);
        this.server.start();
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static FakeSlack start() {
        return start(DEFAULT_TOKEN, Clock.systemUTC());
    }

    public static FakeSlack start(String token) {
        return start(token, Clock.systemUTC());
    }

    /** @param clock what trigger_id and response_url lifetimes (and rate windows) are measured on; tests move it */
    public static FakeSlack start(Clock clock) {
        return start(DEFAULT_TOKEN, clock);
    }

    public static FakeSlack start(String token, Clock clock) {
        try {
            return new FakeSlack(token, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        releaseAll();
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

    /**
     * A response URL served by this fake; put it into slash command / block action payloads. Its budget
     * (5 uses within 30 minutes, Slack's) starts the first time it is handed out.
     */
    public String responseUrl(String id) {
        synchronized (lock) {
            responseUrls.issue(id, clock.instant());
        }
        return baseUrl + "/response/" + id;
    }

    /**
     * A trigger_id as Slack puts into a slash command, button click or shortcut payload: it opens one view
     * (views.open / views.push) within 3 seconds of now on this fake's clock.
     */
    public String trigger() {
        synchronized (lock) {
            return triggers.issue(clock.instant());
        }
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

    /** Messages currently in a channel, thread replies included, oldest first (chat.update edits in place). */
    public List<Message> messages(String channel) {
        synchronized (lock) {
            return messagesByChannel.getOrDefault(channel, List.of()).stream().map(StoredMessage::snapshot).toList();
        }
    }

    /** The replies in one thread, oldest first (the parent itself not included). */
    public List<Message> replies(String channel, String threadTs) {
        return messages(channel).stream().filter(m -> m.isReply() && m.threadTs().equals(threadTs)).toList();
    }

    public Optional<Message> message(String channel, String ts) {
        return messages(channel).stream().filter(m -> m.ts().equals(ts)).findFirst();
    }

    /**
     * Ephemeral messages Slack delivered, oldest first. Unlike {@code calls("chat.postEphemeral")} this leaves
     * out the refused ones (recipient not in the channel, bot not in it, ...), which nobody saw.
     */
    public List<Ephemeral> ephemerals() {
        synchronized (lock) {
            return List.copyOf(ephemerals);
        }
    }

    public List<Ephemeral> ephemeralsTo(String userId) {
        return ephemerals().stream().filter(e -> e.user().equals(userId)).toList();
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
    /** The id of the view that views.open or views.push opened with this trigger_id, if one did. */
    public Optional<String> viewOpenedWith(String triggerId) {
        synchronized (lock) {
            return Optional.ofNullable(viewIdByTrigger.get(triggerId));
        }
    }

    public Optional<JsonNode> view(String viewId) {
        synchronized (lock) {
            return Optional.ofNullable(viewsById.get(viewId)).<JsonNode>map(JsonNode::deepCopy);
        }
    }

    /** The Home tab views.publish last set for this person. */
    public Optional<JsonNode> homeView(String userId) {
        synchronized (lock) {
            return Optional.ofNullable(homeViews.get(userId)).<JsonNode>map(JsonNode::deepCopy);
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

    // ------------------------------------------------------------------ arranging: people

    /** A person in the workspace (active, not a guest, English, London time). Only registered ids exist. */
    public FakeSlack addUser(String id, String name) {
        synchronized (lock) {
            workspace.addUser(id, name);
        }
        return this;
    }

    /** Another app's bot user: users.info says is_bot, conversations.open answers cannot_dm_bot. */
    public FakeSlack addBot(String id, String name) {
        synchronized (lock) {
            workspace.addUser(id, name).bot = true;
        }
        return this;
    }

    /** A multi-channel guest (is_restricted). */
    public FakeSlack addGuest(String id, String name) {
        synchronized (lock) {
            workspace.addUser(id, name).restricted = true;
        }
        return this;
    }

    /** A single-channel guest (is_restricted and is_ultra_restricted). */
    public FakeSlack addSingleChannelGuest(String id, String name) {
        synchronized (lock) {
            SlackUser u = workspace.addUser(id, name);
            u.restricted = true;
            u.ultraRestricted = true;
        }
        return this;
    }

    /** Deactivates a registered person: users.info says deleted, conversations.open answers user_disabled. */
    public FakeSlack deactivateUser(String id) {
        synchronized (lock) {
            workspace.user(id).deleted = true;
        }
        return this;
    }

    /** A person the bot may not see (another org's member, say): users.info and conversations.open answer user_not_visible. */
    public FakeSlack hideFromBot(String id) {
        synchronized (lock) {
            workspace.user(id).hidden = true;
        }
        return this;
    }

    /** The address the person is registered with (default name@example.com): users.lookupByEmail finds them by it. */
    public FakeSlack setEmail(String id, String email) {
        synchronized (lock) {
            workspace.user(id).email = email;
        }
        return this;
    }

    /** The person's Slack language, e.g. "ja-JP"; users.info reports it only with include_locale=true. */
    public FakeSlack setLocale(String id, String locale) {
        synchronized (lock) {
            workspace.user(id).locale = locale;
        }
        return this;
    }

    public FakeSlack setTimeZone(String id, ZoneId zone) {
        synchronized (lock) {
            workspace.user(id).zone = zone;
        }
        return this;
    }

    /** A user group ({@code S...}, like @admins) and its members; usergroups.users.list answers them (scope usergroups:read). */
    public FakeSlack addUserGroup(String id, String... members) {
        synchronized (lock) {
            userGroups.put(id, List.of(members));
        }
        return this;
    }

    /** A workspace admin changes who is in the user group. */
    public FakeSlack setUserGroupMembers(String id, String... members) {
        synchronized (lock) {
            if (!userGroups.containsKey(id)) {
                throw new IllegalArgumentException("no user group " + id);
            }
            userGroups.put(id, List.of(members));
        }
        return this;
    }

    // ------------------------------------------------------------------ arranging: conversations

    /** A public channel (created if new); ids starting with G are private, see {@link #addPrivateChannel}. */
    public FakeSlack addChannel(String id) {
        synchronized (lock) {
            workspace.channel(id);
        }
        return this;
    }

    public FakeSlack addPrivateChannel(String id) {
        synchronized (lock) {
            workspace.privateChannel(id);
        }
        return this;
    }

    /** Makes someone a member of a channel, creating the channel as {@link #addChannel} does if it is new. */
    public FakeSlack addMember(String channel, String userId) {
        synchronized (lock) {
            workspace.channel(channel).members.add(userId);
        }
        return this;
    }

    /** The bot's DM with a person exists, as when they opened the app's Messages tab; returns its id ("D" + user). */
    public String openDm(String userId) {
        synchronized (lock) {
            workspace.user(userId);
            return workspace.im(userId).id;
        }
    }

    /** {@code /invite @aws-onboard}: the bot joins the channel. */
    public FakeSlack inviteBot(String channel) {
        return addMember(channel, BOT_USER_ID);
    }

    public FakeSlack archiveChannel(String id) {
        synchronized (lock) {
            workspace.channel(id).archived = true;
        }
        return this;
    }

    /** Whether someone is in a conversation now (DMs the bot opened included). */
    public boolean isMember(String channel, String userId) {
        synchronized (lock) {
            return workspace.conversation(channel).map(c -> c.members.contains(userId)).orElse(false);
        }
    }

    // ------------------------------------------------------------------ arranging: the app

    /**
     * The bot scopes the token holds, reported as Slack does in the {@code x-oauth-scopes} header of every
     * Web API answer to a valid token, and enforced: a method outside them answers missing_scope.
     * Default: every bot scope {@code manifest.yml} asks for.
     */
    public FakeSlack grantScopes(String... scopes) {
        synchronized (lock) {
            grantedScopes = List.of(scopes);
        }
        return this;
    }

    /** Takes scopes away from the current grant, as removing them from the app and reinstalling would. */
    public FakeSlack revokeScopes(String... scopes) {
        synchronized (lock) {
            List<String> kept = new ArrayList<>(grantedScopes);
            kept.removeAll(List.of(scopes));
            grantedScopes = List.copyOf(kept);
        }
        return this;
    }

    /** Whether the app has a Home tab (manifest: features.app_home.home_tab_enabled); without one views.publish answers not_enabled. */
    public FakeSlack homeTabEnabled(boolean enabled) {
        synchronized (lock) {
            homeTabEnabled = enabled;
        }
        return this;
    }

    /** From now on, calls past their method's rate tier answer HTTP 429 with Retry-After, see {@link RateLimits}. */
    public FakeSlack enforceRateLimits() {
        synchronized (lock) {
            rateLimits = new RateLimits();
        }
        return this;
    }

    /** {@code oauth_config.scopes.bot} of the project's {@code manifest.yml} (tests run from the project root). */
    public static List<String> manifestBotScopes() {
        JsonNode bot = manifest().path("oauth_config").path("scopes").path("bot");
        List<String> scopes = new ArrayList<>();
        bot.forEach(n -> scopes.add(n.asText()));
        return List.copyOf(scopes);
    }

    /** {@code features.app_home.home_tab_enabled} of {@code manifest.yml}; absent means no Home tab. */
    public static boolean manifestHomeTabEnabled() {
        return manifest().path("features").path("app_home").path("home_tab_enabled").asBoolean(false);
    }

    private static JsonNode manifest() {
        Path manifest = Path.of("manifest.yml");
        try {
            if (Files.exists(manifest)) {
                return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(manifest));
            }
            // Elsewhere (the demo, started from any directory) the copy the jar carries.
            try (InputStream in = FakeSlack.class.getResourceAsStream("/manifest.yml")) {
                if (in == null) throw new IOException("no manifest.yml here nor on the classpath");
                return new ObjectMapper(new YAMLFactory()).readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest.toAbsolutePath(), e);
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

    /**
     * Every later request for {@code path} is answered after {@code delay}: a Web API method name
     * ({@code "chat.postMessage"}), {@code "upload"} (upload-v2 bytes), {@code "response"} (response URLs), or
     * {@code "*"} for everything without its own. {@link Duration#ZERO} turns it off.
     */
    public FakeSlack setLatency(String path, Duration delay) {
        latencies.put(path, delay);
        return this;
    }

    /** Parks every request arriving from now on (recorded only once let through) until {@link #releaseAll}. */
    public FakeSlack holdAll() {
        return hold("*");
    }

    /**
     * Parks every request for {@code path} arriving from now on until {@link #releaseAll}: a Web API method
     * name, {@code "upload"} or {@code "response"} as for {@link #setLatency}, or {@code "*"} for all.
     */
    public FakeSlack hold(String path) {
        synchronized (gateLock) {
            heldPaths.add(path);
            if (gate == null) {
                gate = new CountDownLatch(1);
            }
        }
        return this;
    }

    /** Lets every parked request through and stops parking new ones. */
    public FakeSlack releaseAll() {
        CountDownLatch open;
        synchronized (gateLock) {
            open = gate;
            gate = null;
            heldPaths.clear();
        }
        if (open != null) {
            open.countDown();
        }
        return this;
    }

    /** How many requests {@link #holdAll} or {@link #hold} is parking right now. */
    public int held() {
        return held.get();
    }

    private void awaitGate(String path) {
        CountDownLatch closed;
        synchronized (gateLock) {
            closed = gate;
            if (closed == null || !(heldPaths.contains("*") || heldPaths.contains(path))) {
                return;
            }
            held.incrementAndGet();
        }
        try {
            closed.await(); // the server's handler thread, never a test thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            held.decrementAndGet();
        }
    }

    private void delay(String path) {
        Duration latency = latencies.getOrDefault(path, latencies.get("*"));
        if (latency == null || latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis()); // the server's handler thread, never a test thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Thrown inside a method handler to answer {@code {"ok":false,"error":...}} plus any fields Slack adds. */
    private static final class SlackError extends RuntimeException {
        final ObjectNode extra;

        SlackError(String error) {
            this(error, NODES.objectNode());
        }

        SlackError(String error, ObjectNode extra) {
            super(error, null, false, false);
            this.extra = extra;
        }

        /** With {@code response_metadata.messages}, as Slack explains invalid_blocks and invalid_arguments. */
        static SlackError explained(String error, List<String> messages) {
            ArrayNode lines = NODES.arrayNode();
            messages.forEach(lines::add);
            ObjectNode extra = NODES.objectNode();
            extra.set("response_metadata", NODES.objectNode().set("messages", lines));
            return new SlackError(error, extra);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            Reply reply;
            try {
                byte[] body = readAll(ex.getRequestBody());
                String path = ex.getRequestURI().getPath();
                String key = path.startsWith("/api/") ? path.substring("/api/".length())
                        : path.startsWith("/upload/") ? "upload" : path.startsWith("/response/") ? "response" : path;
                awaitGate(key);
                delay(key);
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
        if (!token.equals(presented)) return error(new SlackError("invalid_auth"));
        Reply reply = rateLimited(method, params);
        if (reply == null) {
            try {
                ObjectNode result = dispatch(method, params);
                if (result == null) {
                    reply = error(new SlackError("unknown_method"));
                } else {
                    ObjectNode ok = NODES.objectNode().put("ok", true);
                    ok.setAll(result);
                    reply = Reply.json(ok);
                }
            } catch (SlackError e) {
                reply = error(e);
            } catch (SlackWorkspace.Refusal e) {
                reply = error(new SlackError(e.getMessage()));
            }
        }
        String scopes;
        synchronized (lock) {
            scopes = String.join(",", grantedScopes);
        }
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("x-oauth-scopes", scopes);
        return new Reply(reply.status(), reply.contentType(), reply.body(), headers);
    }

    /** A 429 with Retry-After when rate limits are enforced and {@code method} is past its tier, else null. */
    private Reply rateLimited(String method, ObjectNode params) {
        OptionalLong retryAfter;
        synchronized (lock) {
            if (rateLimits == null) return null;
            retryAfter = rateLimits.admit(method, text(params, "channel"), clock.instant());
        }
        if (retryAfter.isEmpty()) return null;
        return faultReply(new Fault(429, "ratelimited", (int) retryAfter.getAsLong()));
    }

    /** The one method that takes the app-level token rather than the bot token. */
    private Reply appsConnectionsOpen(String presented) {
        Supplier<String> urls;
        String expected;
        synchronized (lock) {
            urls = socketModeUrls;
            expected = appToken;
        }
        if (presented != null && presented.equals(token)) return error(new SlackError("not_allowed_token_type"));
        if (expected == null || !expected.equals(presented)) return error(new SlackError("invalid_auth"));
        return Reply.json(NODES.objectNode().put("ok", true).put("url", urls.get()));
    }

    private static Reply faultReply(Fault f) {
        if (f.status() == 429) {
            ObjectNode body = NODES.objectNode().put("ok", false).put("error", f.error());
            return new Reply(429, "application/json; charset=utf-8", bytes(body.toString()),
                    Map.of("Retry-After", String.valueOf(f.retryAfterSeconds())));
        }
        if (f.status() == 200) return error(new SlackError(f.error()));
        return Reply.text(f.status(), "fake server error " + f.status());
    }

    private static Reply error(SlackError e) {
        ObjectNode body = NODES.objectNode().put("ok", false).put("error", e.getMessage());
        body.setAll(e.extra);
        return Reply.json(body);
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

    /**
     * Step two of upload v2: the raw bytes (the SDK POSTs them as sent, no multipart). Slack does not document
     * what its upload URL does with a body of another length than files.getUploadURLExternal reserved; this
     * fake refuses it (HTTP 400, nothing stored), so the completeUploadExternal that follows answers
     * file_not_found ("Could not find the file from the upload ticket"): a wrong length then fails where it
     * was made instead of leaving a corrupt file behind.
     */
    private Reply handleUpload(String fileId, byte[] body) {
        synchronized (lock) {
            StoredFile f = files.get(fileId);
            if (f == null) return Reply.text(404, "Not Found");
            if (body.length != f.declaredLength) {
                return Reply.text(400, "length mismatch: " + body.length + " bytes sent, " + f.declaredLength + " reserved");
            }
            f.bytes = body;
        }
        return Reply.text(200, "OK - " + body.length);
    }

    /**
     * A response_url takes 5 posts within 30 minutes ({@link ResponseUrls}); past that Slack's answer is a
     * failing status with the text body {@code Expired url} (the body Sentry's Slack integration checks for,
     * getsentry/sentry src/sentry/integrations/slack/link_identity.py; the status, 404, is our choice as the
     * docs give none), and nothing is posted.
     */
    private Reply handleResponseUrl(String id, byte[] body) {
        String raw = new String(body, StandardCharsets.UTF_8);
        synchronized (lock) {
            if (!responseUrls.use(id, clock.instant())) return Reply.text(404, "Expired url");
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

    private static final Set<String> SERVED = Set.of("auth.test", "conversations.open", "conversations.info",
            "conversations.members", "conversations.join", "chat.postMessage", "chat.update", "chat.delete",
            "chat.postEphemeral", "chat.getPermalink", "views.open", "views.push", "views.update", "views.publish",
            "users.info", "users.lookupByEmail", "files.getUploadURLExternal", "files.completeUploadExternal", "files.info", "files.delete",
            "usergroups.users.list");

    private ObjectNode dispatch(String method, ObjectNode p) {
        if (!SERVED.contains(method)) return null;
        synchronized (lock) {
            requireScope(method, p);
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
                case "chat.getPermalink" -> chatGetPermalink(p);
                case "views.open" -> viewsOpen(p, "views.open");
                case "views.push" -> viewsOpen(p, "views.push");
                case "views.update" -> viewsUpdate(p);
                case "views.publish" -> viewsPublish(p);
                case "users.info" -> usersInfo(p);
                case "users.lookupByEmail" -> usersLookupByEmail(p);
                case "files.getUploadURLExternal" -> filesGetUploadUrlExternal(p);
                case "files.completeUploadExternal" -> filesCompleteUploadExternal(p);
                case "files.info" -> filesInfo(p);
                case "files.delete" -> filesDelete(p);
                case "usergroups.users.list" -> usergroupsUsersList(p);
                default -> throw new IllegalStateException(method);
            };
        }
    }

    /** missing_scope with {@code needed} and {@code provided}, as Slack answers a call outside the token's scopes. */
    private void requireScope(String method, ObjectNode p) {
        String users = text(p, "users");
        int userCount = users == null ? 0 : (int) Arrays.stream(users.split(",")).filter(s -> !s.isBlank()).count();
        Optional<String> needed = SlackScopes.needed(method, workspace.kindOf(text(p, "channel")), userCount);
        if (needed.isPresent() && !grantedScopes.contains(needed.get())) {
            throw new SlackError("missing_scope", NODES.objectNode()
                    .put("needed", needed.get())
                    .put("provided", String.join(",", grantedScopes)));
        }
    }

    private ObjectNode authTest() {
        return NODES.objectNode()
                .put("url", "https://" + TEAM_DOMAIN + ".slack.com/")
                .put("team", TEAM_NAME)
                .put("user", workspace.user(BOT_USER_ID).name)
                .put("team_id", TEAM_ID)
                .put("user_id", BOT_USER_ID)
                .put("bot_id", BOT_ID)
                .put("app_id", APP_ID)
                .put("is_enterprise_install", false);
    }

    private ObjectNode conversationsOpen(ObjectNode p) {
        SlackWorkspace.Conversation c;
        if (p.hasNonNull("channel")) {
            c = workspace.visible(p.get("channel").asText());
        } else {
            String users = text(p, "users");
            if (users == null || users.isBlank()) throw new SlackError("users_list_not_supplied");
            c = workspace.open(Arrays.stream(users.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        ObjectNode channel = NODES.objectNode().put("id", c.id);
        return NODES.objectNode().set("channel", channel);
    }

    private ObjectNode conversationsInfo(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.visible(required(p, "channel"));
        ObjectNode json = NODES.objectNode()
                .put("id", c.id)
                .put("created", 1700000000L)
                .put("is_channel", c.kind == SlackScopes.Kind.PUBLIC)
                .put("is_group", c.kind == SlackScopes.Kind.PRIVATE)
                .put("is_im", c.kind == SlackScopes.Kind.IM)
                .put("is_mpim", c.kind == SlackScopes.Kind.MPIM)
                .put("is_private", c.kind != SlackScopes.Kind.PUBLIC)
                .put("is_archived", c.archived)
                .put("is_member", c.members.contains(BOT_USER_ID));
        if (c.kind == SlackScopes.Kind.IM) {
            json.put("user", c.imUser(BOT_USER_ID));
        } else {
            json.put("name", c.id.toLowerCase(Locale.ROOT));
            json.put("name_normalized", c.id.toLowerCase(Locale.ROOT));
        }
        return NODES.objectNode().set("channel", json);
    }

    private ObjectNode conversationsMembers(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.visible(required(p, "channel"));
        ArrayNode list = NODES.arrayNode();
        c.members.forEach(list::add);
        ObjectNode out = NODES.objectNode();
        out.set("members", list);
        out.set("response_metadata", NODES.objectNode().put("next_cursor", ""));
        return out;
    }

    private ObjectNode conversationsJoin(ObjectNode p) {
        String id = required(p, "channel");
        SlackWorkspace.Conversation c = workspace.conversation(id).orElseThrow(() -> new SlackError("channel_not_found"));
        if (c.kind != SlackScopes.Kind.PUBLIC) {
            // A private conversation the bot is not in does not exist as far as the bot can tell.
            throw new SlackError(c.members.contains(BOT_USER_ID) ? "method_not_supported_for_channel_type" : "channel_not_found");
        }
        if (c.archived) throw new SlackError("is_archived");
        c.members.add(BOT_USER_ID);
        return conversationsInfo(p);
    }

    private ObjectNode chatPostMessage(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.postTarget(required(p, "channel"), true,
                grantedScopes.contains("chat:write.public"));
        requireContent(p);
        requireValidBlocks(p);
        StoredMessage m = new StoredMessage();
        m.channel = c.id;
        m.ts = nextTs();
        m.user = BOT_USER_ID;
        String text = Optional.ofNullable(text(p, "text")).orElse("");
        m.text = text.length() > MESSAGE_TEXT_LIMIT ? text.substring(0, MESSAGE_TEXT_LIMIT) : text;
        m.blocks = p.get("blocks");
        m.attachments = p.get("attachments");
        String threadTs = text(p, "thread_ts");
        if (threadTs != null && !threadTs.isEmpty()) {
            m.threadTs = threadTs;
            m.replyBroadcast = flag(p, "reply_broadcast");
            findParent(c.id, threadTs).ifPresent(parent -> parent.replyTs.add(m.ts));
        }
        messagesByChannel.computeIfAbsent(c.id, k -> new ArrayList<>()).add(m);
        ObjectNode out = NODES.objectNode().put("channel", c.id).put("ts", m.ts);
        out.set("message", m.toJson());
        return out;
    }

    /**
     * The thread a reply joins. Slack does not document a reply to a ts that has no message; the fake keeps
     * such a reply (with its thread_ts) without a parent rather than invent an error.
     */
    private Optional<StoredMessage> findParent(String channel, String threadTs) {
        return messagesByChannel.getOrDefault(channel, List.of()).stream()
                .filter(m -> m.ts.equals(threadTs)).findFirst();
    }

    private ObjectNode chatUpdate(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.visible(resolveUserDm(required(p, "channel")));
        String ts = required(p, "ts");
        StoredMessage m = findMessage(c.id, ts);
        requireContent(p);
        if (p.hasNonNull("text") && p.get("text").asText().length() > UPDATE_TEXT_LIMIT) throw new SlackError("msg_too_long");
        requireValidBlocks(p);
        if (p.has("text")) m.text = p.get("text").asText();
        if (p.has("blocks")) m.blocks = p.get("blocks");
        if (p.has("attachments")) m.attachments = p.get("attachments");
        m.edited = true;
        ObjectNode out = NODES.objectNode().put("channel", c.id).put("ts", ts).put("text", m.text);
        out.set("message", m.toJson());
        return out;
    }

    private ObjectNode chatDelete(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.visible(resolveUserDm(required(p, "channel")));
        String ts = required(p, "ts");
        StoredMessage m = findMessage(c.id, ts);
        messagesByChannel.get(c.id).remove(m);
        return NODES.objectNode().put("channel", c.id).put("ts", ts);
    }

    /** A user id in chat.update/chat.delete means the bot's DM with that person, as in chat.postMessage. */
    private String resolveUserDm(String id) {
        return SlackWorkspace.isUserId(id) ? "D" + id : id;
    }

    /**
     * Ephemeral messages are not stored in the channel (nobody else sees them) but in {@link #ephemerals()}.
     * The recipient must be in the conversation: {@code user_not_in_channel} otherwise ("Intended recipient is
     * not in the specified channel", docs.slack.dev/reference/methods/chat.postEphemeral). Message text has no
     * documented length there beyond {@code msg_too_long}; the fake uses chat.postMessage's 40,000.
     */
    private ObjectNode chatPostEphemeral(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.postTarget(required(p, "channel"), true, false);
        String user = required(p, "user");
        if (!c.members.contains(user)) throw new SlackError("user_not_in_channel");
        requireContent(p);
        if (p.hasNonNull("text") && p.get("text").asText().length() > MESSAGE_TEXT_LIMIT) throw new SlackError("msg_too_long");
        requireValidBlocks(p);
        JsonNode blocks = p.get("blocks");
        ephemerals.add(new Ephemeral(c.id, user, Optional.ofNullable(text(p, "text")).orElse(""),
                blocks == null ? null : blocks.deepCopy()));
        return NODES.objectNode().put("message_ts", nextTs());
    }

    /** chat.getPermalink: a thread reply's link carries thread_ts and cid, as Slack's do. */
    private ObjectNode chatGetPermalink(ObjectNode p) {
        SlackWorkspace.Conversation c = workspace.visible(required(p, "channel"));
        String ts = required(p, "message_ts");
        StoredMessage m = messagesByChannel.getOrDefault(c.id, List.of()).stream()
                .filter(x -> x.ts.equals(ts)).findFirst().orElseThrow(() -> new SlackError("message_not_found"));
        String link = "https://" + TEAM_DOMAIN + ".slack.com/archives/" + c.id + "/p" + ts.replace(".", "");
        if (m.threadTs != null && !m.threadTs.equals(m.ts)) link += "?thread_ts=" + m.threadTs + "&cid=" + c.id;
        return NODES.objectNode().put("channel", c.id).put("permalink", link);
    }

    /** invalid_blocks with one response_metadata line per Block Kit limit broken (messages). */
    private static void requireValidBlocks(ObjectNode p) {
        JsonNode blocks = p.get("blocks");
        if (blocks == null || blocks.isNull()) return;
        if (!blocks.isArray()) throw new SlackError("invalid_blocks_format");
        List<String> problems = BlockKitLimits.message(blocks);
        if (!problems.isEmpty()) throw SlackError.explained("invalid_blocks", problems);
    }

    /**
     * Views are refused with invalid_arguments and the same kind of lines, e.g.
     * {@code [ERROR] must be less than 25 characters [json-pointer:/view/title/text]}.
     */
    private static ObjectNode requireValidView(ObjectNode p) {
        JsonNode view = p.get("view");
        if (!(view instanceof ObjectNode v)) throw new SlackError("invalid_arguments");
        List<String> problems = BlockKitLimits.view(v);
        if (!problems.isEmpty()) throw SlackError.explained("invalid_arguments", problems);
        return v;
    }

    private ObjectNode viewsOpen(ObjectNode p, String method) {
        String trigger = text(p, "trigger_id");
        if (trigger == null || trigger.isEmpty()) throw new SlackError("invalid_arguments");
        ObjectNode submitted = requireValidView(p);
        triggers.exchange(trigger, clock.instant()).ifPresent(e -> {
            throw new SlackError(e);
        });
        String externalId = text(submitted, "external_id");
        if (externalId != null && !externalId.isEmpty() && viewIdByExternalId.containsKey(externalId)) {
            throw new SlackError("duplicate_external_id");
        }
        String id = String.format("V%04d", ++viewCounter);
        ObjectNode view = buildView(id, submitted, null);
        if (method.equals("views.push")) view.put("previous_view_id", lastViewIdLocked());
        viewsById.put(id, view);
        viewIdByTrigger.put(trigger, id);
        if (externalId != null && !externalId.isEmpty()) viewIdByExternalId.put(externalId, id);
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
        ObjectNode submitted = requireValidView(p);
        staleHashes.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(existing.path("hash").asText());
        ObjectNode view = buildView(id, submitted, existing);
        viewsById.put(id, view);
        viewHistory.add(view.deepCopy());
        return NODES.objectNode().set("view", view.deepCopy());
    }

    /**
     * views.publish: one Home tab per person (docs.slack.dev/reference/methods/views.publish). {@code not_enabled}
     * without a Home tab in the app's settings; {@code hash_conflict} when the hash given is not the current
     * view's; {@code invalid_arguments} ("invalid `user_id`") for someone not in the workspace or a view that
     * is not of type home.
     */
    private ObjectNode viewsPublish(ObjectNode p) {
        String userId = text(p, "user_id");
        if (userId == null || workspace.find(userId).isEmpty()) {
            throw SlackError.explained("invalid_arguments", List.of("invalid `user_id`"));
        }
        ObjectNode submitted = requireValidView(p);
        if (!"home".equals(submitted.path("type").asText())) {
            throw SlackError.explained("invalid_arguments", List.of("[ERROR] must be a valid enum value [json-pointer:/view/type]"));
        }
        if (!homeTabEnabled) throw new SlackError("not_enabled");
        ObjectNode existing = homeViews.get(userId);
        String hash = text(p, "hash");
        if (existing != null && hash != null && !hash.isEmpty() && !hash.equals(existing.path("hash").asText())) {
            throw new SlackError("hash_conflict");
        }
        String id = existing != null ? existing.path("id").asText() : String.format("V%04d", ++viewCounter);
        ObjectNode view = buildView(id, submitted, existing);
        view.putNull("close");
        view.putNull("submit");
        homeViews.put(userId, view);
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

    /** users.info: {@code user_not_found} for an id no member has, {@code user_not_visible} for a hidden one. */
    private ObjectNode usersInfo(ObjectNode p) {
        String id = required(p, "user");
        SlackUser u = workspace.find(id).orElseThrow(() -> new SlackError("user_not_found"));
        if (u.hidden) throw new SlackError("user_not_visible");
        boolean withLocale = flag(p, "include_locale");
        return NODES.objectNode().set("user", u.toJson(TEAM_ID, APP_ID, BOT_ID, clock.instant(), withLocale,
                grantedScopes.contains("users:read.email")));
    }

    /**
     * users.lookupByEmail (scope users:read.email, docs.slack.dev/reference/methods/users.lookupByEmail): the
     * member registered with the address, as users.info renders them; {@code users_not_found} for none.
     */
    private ObjectNode usersLookupByEmail(ObjectNode p) {
        String email = required(p, "email");
        SlackUser u = workspace.findByEmail(email).filter(x -> !x.hidden).orElseThrow(() -> new SlackError("users_not_found"));
        return NODES.objectNode().set("user", u.toJson(TEAM_ID, APP_ID, BOT_ID, clock.instant(), false, true));
    }

    /** {@code {"ok": true, "users": ["U...", ...]}}; no_such_subteam for an id that is no user group. */
    private ObjectNode usergroupsUsersList(ObjectNode p) {
        String id = required(p, "usergroup");
        List<String> members = userGroups.get(id);
        if (members == null) throw new SlackError("no_such_subteam");
        ObjectNode answer = NODES.objectNode();
        members.forEach(answer.putArray("users")::add);
        return answer;
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
        // Sharing needs the bot in each conversation: not_in_channel ("User/bot membership is required for the
        // specified channel") or channel_not_found, per docs.slack.dev/reference/methods/files.completeUploadExternal.
        List<String> targets = new ArrayList<>();
        if (p.hasNonNull("channel_id")) targets.add(workspace.postTarget(p.get("channel_id").asText(), false, false).id);
        if (p.hasNonNull("channels")) {
            for (String c : p.get("channels").asText().split(",")) {
                if (!c.isBlank()) targets.add(workspace.postTarget(c.trim(), false, false).id);
            }
        }
        List<StoredFile> completed = new ArrayList<>();
        for (JsonNode entry : list) {
            StoredFile f = files.get(entry.path("id").asText());
            // Completing a file whose bytes never arrived (or arrived at another length than reserved) is a caller
            // bug; Slack does not find such a file either.
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

    /** A boolean argument: Slack takes true/false and 1/0 (the Java SDK sends 1/0), or a JSON boolean. */
    private static boolean flag(JsonNode p, String name) {
        String v = text(p, name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static void requireContent(ObjectNode p) {
        boolean has = (p.hasNonNull("text") && !p.get("text").asText().isEmpty())
                || (p.get("blocks") instanceof ArrayNode b && !b.isEmpty())
                || (p.get("attachments") instanceof ArrayNode a && !a.isEmpty());
        if (!has) throw new SlackError("no_text");
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
        boolean replyBroadcast;
        /** For a thread parent: its replies' ts, oldest first. */
        final List<String> replyTs = new ArrayList<>();

        Message snapshot() {
            return new Message(channel, ts, threadTs, user, text,
                    blocks == null ? null : blocks.deepCopy(),
                    attachments == null ? null : attachments.deepCopy(), fileIds, edited, replyBroadcast);
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
            if (replyBroadcast) m.put("subtype", "thread_broadcast");
            if (threadTs != null) m.put("thread_ts", threadTs);
            if (!replyTs.isEmpty()) {
                // A thread parent, as conversations.history shows one.
                m.put("thread_ts", ts);
                m.put("reply_count", replyTs.size());
                m.put("reply_users_count", 1);
                m.put("latest_reply", replyTs.get(replyTs.size() - 1));
                m.set("reply_users", NODES.arrayNode().add(BOT_USER_ID));
            }
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
