package dev.awsonboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.awsonboard.demo.Demo.Person;
import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.fakes.SlackRequests;
import dev.awsonboard.fakes.Totp;
import dev.awsonboard.lifecycle.model.Tags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The page that plays Slack for the demo's people, and its small JSON API. What the bot sends Slack is read
 * back from {@link FakeSlack} (messages, ephemerals, response-URL answers, modals, Home tabs, files); what the
 * people do is sent to the bot as Slack sends it, signed ({@link SlackRequests}): slash commands, clicks,
 * modal submissions, DMs and {@code app_home_opened}. Listens on 127.0.0.1 only.
 */
final class DemoPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String COMMAND = "/aws-onboard";

    /** One thing shown in a channel, in the order the page first saw it; {@code owner} null: everyone there sees it. */
    private static final class Entry {
        final long seq;
        final String channel;
        final String owner;
        final String kind; // message | ephemeral | typed
        final String ts;   // a Slack message's ts
        JsonNode body;     // what an ephemeral or a typed line says
        boolean hidden;

        Entry(long seq, String channel, String owner, String kind, String ts, JsonNode body) {
            this.seq = seq;
            this.channel = channel;
            this.owner = owner;
            this.kind = kind;
            this.ts = ts;
            this.body = body;
        }
    }

    /** A person's open modal: the view Slack holds, or the one the bot's answer to a submission put in its place. */
    private static final class Modal {
        final String viewId;
        JsonNode inline;
        String inlineHash;
        JsonNode errors = NODES.objectNode();

        Modal(String viewId) {
            this.viewId = viewId;
        }
    }

    private final FakeSlack slack;
    private final FakeIam iam;
    private final SlackRequests send;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> messageEntries = new HashMap<>();
    private final Map<String, String> responseOwner = new HashMap<>();
    private final Map<String, String> responseChannel = new HashMap<>();
    private final Map<String, Entry> responseOrigin = new HashMap<>();
    private final Map<String, Modal> modals = new HashMap<>();
    private final Map<String, List<String>> pendingTriggers = new HashMap<>();
    private final AtomicInteger responseIds = new AtomicInteger();
    private int responsesSeen;
    private int ephemeralsSeen;
    private long seq;
    /** Who is acting on this thread, for the response URLs SlackRequests asks for while it builds a payload. */
    private final ThreadLocal<Acting> acting = new ThreadLocal<>();

    /** Who acts where, and the response URLs their payload got. */
    private record Acting(String as, String channel, List<String> responseIds) {
    }

    private DemoPage(int port, FakeSlack slack, FakeIam iam, URI bot, String signingSecret) throws IOException {
        this.slack = slack;
        this.iam = iam;
        this.send = new SlackRequests(bot, signingSecret, Clock.systemUTC(), this::responseUrl);
        for (Person p : Demo.PEOPLE) {
            slack.openDm(p.id());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-page");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static DemoPage start(int port, FakeSlack slack, FakeIam iam, URI bot, String signingSecret) {
        try {
            return new DemoPage(port, slack, iam, bot, signingSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("the demo page could not listen on 127.0.0.1:" + port
                    + " (set DEMO_PORT to another port)", e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (ex.getRequestMethod().equals("GET")) {
                switch (path) {
                    case "/", "/index.html" -> resource(ex, "index.html", "text/html; charset=utf-8");
                    case "/demo.js" -> resource(ex, "demo.js", "text/javascript; charset=utf-8");
                    case "/demo.css" -> resource(ex, "demo.css", "text/css; charset=utf-8");
                    case "/api/people" -> json(ex, 200, people());
                    case "/api/state" -> json(ex, 200, state(query(ex, "as")));
                    default -> {
                        if (path.startsWith("/api/file/")) {
                            file(ex, path.substring("/api/file/".length()));
                        } else {
                            json(ex, 404, NODES.objectNode().put("error", "not found"));
                        }
                    }
                }
                return;
            }
            JsonNode in = JSON.readTree(ex.getRequestBody().readAllBytes());
            String as = in.path("as").asText();
            if (Demo.PEOPLE.stream().noneMatch(p -> p.id().equals(as))) {
                json(ex, 400, NODES.objectNode().put("error", "unknown person " + as));
                return;
            }
            JsonNode answer = switch (path) {
                case "/api/command" -> command(as, in.path("text").asText());
                case "/api/click" -> click(as, in);
                case "/api/submit" -> submit(as, in.path("values"));
                case "/api/close" -> close(as);
                case "/api/dm" -> dm(as, in.path("text").asText());
                case "/api/home" -> home(as);
                default -> null;
            };
            if (answer == null) {
                json(ex, 404, NODES.objectNode().put("error", "not found"));
            } else {
                json(ex, 200, answer);
            }
        } catch (RuntimeException e) {
            json(ex, 500, NODES.objectNode().put("error", e.toString()));
        }
    }

    private static String query(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getQuery();
        if (q != null) {
            for (String part : q.split("&")) {
                if (part.startsWith(name + "=")) {
                    return java.net.URLDecoder.decode(part.substring(name.length() + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return "";
    }

    private static void resource(HttpExchange ex, String name, String type) throws IOException {
        try (InputStream in = DemoPage.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                json(ex, 404, NODES.objectNode().put("error", name));
                return;
            }
            bytes(ex, 200, type, in.readAllBytes());
        }
    }

    private void file(HttpExchange ex, String id) throws IOException {
        var f = slack.file(id);
        if (f.isEmpty() || f.get().deleted() || f.get().bytes() == null) {
            json(ex, 404, NODES.objectNode().put("error", "file deleted"));
            return;
        }
        bytes(ex, 200, "image/png", f.get().bytes());
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        bytes(ex, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    private static void bytes(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    // ------------------------------------------------------------------ what people do

    private String responseUrl(String id) {
        Acting who = acting.get();
        synchronized (lock) {
            if (who != null) {
                responseOwner.put(id, who.as());
                responseChannel.put(id, who.channel());
                who.responseIds().add(id);
            }
        }
        return slack.responseUrl(id);
    }

    private String trigger(String as) {
        String trigger = slack.trigger();
        synchronized (lock) {
            pendingTriggers.computeIfAbsent(as, k -> new ArrayList<>()).add(trigger);
        }
        return trigger;
    }

    /** A slash command typed in #general; {@code @handle} becomes the mention Slack would send. */
    private JsonNode command(String as, String typed) {
        String text = typed.strip();
        if (text.startsWith(COMMAND)) {
            text = text.substring(COMMAND.length()).strip();
        }
        for (Person p : Demo.PEOPLE) {
            text = text.replaceAll("(?<![<\\w])@" + p.handle() + "\\b", "<@" + p.id() + "|" + p.handle() + ">");
        }
        String id = "cmd-" + responseIds.incrementAndGet();
        synchronized (lock) {
            add(Demo.GENERAL, as, "typed", null, NODES.objectNode().put("text", COMMAND + " " + typed.replaceFirst("^" + COMMAND + "\\s*", "")));
        }
        HttpResponse<String> r = send.slashCommand(as, Demo.GENERAL, COMMAND, text, trigger(as), responseUrl(as, Demo.GENERAL, id));
        ackBody(as, Demo.GENERAL, r);
        return NODES.objectNode().put("status", r.statusCode());
    }

    private String responseUrl(String as, String channel, String id) {
        acting.set(new Acting(as, channel, new ArrayList<>()));
        try {
            return responseUrl(id);
        } finally {
            acting.remove();
        }
    }

    /** A button or a select: in a message (channel, ts), in an ephemeral, or in the person's Home tab. */
    private JsonNode click(String as, JsonNode in) {
        String where = in.path("where").asText();
        String actionId = in.path("actionId").asText();
        String value = in.path("value").asText();
        HttpResponse<String> r;
        if (where.equals("home")) {
            r = in.path("type").asText().equals("static_select")
                    ? send.homeSelect(as, actionId, value, trigger(as))
                    : send.homeButton(as, actionId, value, trigger(as));
        } else {
            String channel = in.path("channel").asText();
            String ts = in.path("ts").asText("1700000000.000001");
            Acting who = new Acting(as, channel, new ArrayList<>());
            acting.set(who);
            try {
                r = send.blockAction(as, actionId, value, channel, ts, trigger(as));
            } finally {
                acting.remove();
            }
            // An answer through this click's response URL may replace or delete the ephemeral clicked in.
            long origin = in.path("entry").asLong(-1);
            synchronized (lock) {
                entries.stream().filter(e -> e.seq == origin).findFirst()
                        .ifPresent(e -> who.responseIds().forEach(id -> responseOrigin.put(id, e)));
            }
        }
        ackBody(as, in.path("channel").asText(Demo.GENERAL), r);
        return NODES.objectNode().put("status", r.statusCode());
    }

    /** What the bot answered in the HTTP response itself: shown to the person alone, as Slack does. */
    private void ackBody(String as, String channel, HttpResponse<String> r) {
        String body = r.body() == null ? "" : r.body().strip();
        if (body.isEmpty() || r.statusCode() != 200) {
            return;
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            node = NODES.objectNode().put("text", body);
        }
        if (node.isObject() && (node.has("text") || node.has("blocks"))) {
            synchronized (lock) {
                add(channel, as, "ephemeral", null, node);
            }
        }
    }

    private JsonNode submit(String as, JsonNode values) {
        Modal modal;
        JsonNode view;
        synchronized (lock) {
            modal = modals.get(as);
            if (modal == null) {
                return NODES.objectNode().put("error", "no modal open");
            }
            view = currentView(modal);
        }
        Map<String, Map<String, JsonNode>> state = new LinkedHashMap<>();
        values.fields().forEachRemaining(block -> {
            Map<String, JsonNode> actions = new LinkedHashMap<>();
            block.getValue().fields().forEachRemaining(a -> actions.put(a.getKey(), a.getValue()));
            state.put(block.getKey(), actions);
        });
        HttpResponse<String> r = send.viewSubmission(as, view.path("callback_id").asText(),
                view.path("private_metadata").asText(), state, modal.viewId);
        String body = r.body() == null ? "" : r.body().strip();
        JsonNode answer = NODES.objectNode();
        try {
            answer = body.isEmpty() ? answer : JSON.readTree(body);
        } catch (IOException ignored) {
            // not JSON: an empty acknowledgement
        }
        synchronized (lock) {
            String action = answer.path("response_action").asText("");
            switch (action) {
                case "errors" -> modal.errors = answer.path("errors");
                case "update", "push" -> {
                    modal.inline = answer.path("view");
                    modal.inlineHash = slack.view(modal.viewId).map(v -> v.path("hash").asText()).orElse("");
                    modal.errors = NODES.objectNode();
                }
                default -> modals.remove(as);
            }
        }
        return NODES.objectNode().put("status", r.statusCode());
    }

    private JsonNode close(String as) {
        synchronized (lock) {
            modals.remove(as);
        }
        return NODES.objectNode().put("status", 200);
    }

    /** The person writes to the bot in their DM (message.im), e.g. both codes. */
    private JsonNode dm(String as, String text) {
        String channel = "D" + as;
        synchronized (lock) {
            add(channel, as, "typed", null, NODES.objectNode().put("text", text));
        }
        HttpResponse<String> r = send.messageEvent(as, channel, text);
        return NODES.objectNode().put("status", r.statusCode());
    }

    private JsonNode home(String as) {
        HttpResponse<String> r = send.appHomeOpened(as, "home");
        return NODES.objectNode().put("status", r.statusCode());
    }

    // ------------------------------------------------------------------ what Slack shows

    private JsonNode people() {
        ObjectNode out = NODES.objectNode();
        ArrayNode people = out.putArray("people");
        for (Person p : Demo.PEOPLE) {
            people.addObject().put("id", p.id()).put("handle", p.handle()).put("name", p.name())
                    .put("role", p.role()).put("locale", p.locale()).put("approver", Demo.APPROVERS.contains(p.id()));
        }
        ArrayNode channels = out.putArray("channels");
        for (String c : List.of(Demo.GENERAL, Demo.APPROVALS, Demo.AUDIT)) {
            channels.addObject().put("id", c).put("name", Demo.CHANNEL_NAMES.get(c));
        }
        out.put("botUserId", FakeSlack.BOT_USER_ID);
        out.put("iamEndpoint", iam.endpoint().toString());
        out.put("slackApi", slack.apiUrl());
        return out;
    }

    private JsonNode state(String as) {
        synchronized (lock) {
            absorb();
            ObjectNode out = NODES.objectNode();
            ObjectNode channels = out.putObject("channels");
            for (String c : List.of(Demo.GENERAL, Demo.APPROVALS, Demo.AUDIT, "D" + as)) {
                ArrayNode list = channels.putArray(c);
                for (Entry e : entries) {
                    if (!e.channel.equals(c) || e.hidden || (e.owner != null && !e.owner.equals(as))) {
                        continue;
                    }
                    ObjectNode item = list.addObject().put("seq", e.seq).put("kind", e.kind);
                    if (e.kind.equals("message")) {
                        var m = slack.message(c, e.ts);
                        if (m.isEmpty()) {
                            list.remove(list.size() - 1);
                            continue;
                        }
                        item.put("ts", m.get().ts()).put("user", m.get().user()).put("text", m.get().text())
                                .put("edited", m.get().edited()).put("reply", m.get().isReply());
                        item.set("blocks", m.get().blocks());
                        ArrayNode files = item.putArray("files");
                        for (String id : m.get().fileIds()) {
                            var f = slack.file(id);
                            files.addObject().put("id", id).put("name", f.map(FakeSlack.UploadedFile::filename).orElse(id))
                                    .put("deleted", f.map(FakeSlack.UploadedFile::deleted).orElse(true));
                        }
                    } else {
                        item.put("user", e.kind.equals("typed") ? as : FakeSlack.BOT_USER_ID);
                        item.set("body", e.body);
                    }
                }
            }
            Modal modal = modals.get(as);
            if (modal != null) {
                out.set("modal", currentView(modal));
                out.set("modalErrors", modal.errors);
            }
            slack.homeView(as).ifPresent(v -> out.set("home", v));
            out.set("phone", phone(as));
            return out;
        }
    }

    /** Takes in what reached Slack since the last look, in that order. */
    private void absorb() {
        for (String c : channelsToWatch()) {
            for (FakeSlack.Message m : slack.messages(c)) {
                String key = c + "/" + m.ts();
                if (!messageEntries.containsKey(key)) {
                    messageEntries.put(key, add(c, c.startsWith("D") ? c.substring(1) : null, "message", m.ts(), null));
                }
            }
        }
        List<FakeSlack.ResponseCall> responses = slack.responses();
        for (; responsesSeen < responses.size(); responsesSeen++) {
            FakeSlack.ResponseCall r = responses.get(responsesSeen);
            String owner = responseOwner.get(r.id());
            if (owner == null) {
                continue;
            }
            Entry origin = responseOrigin.get(r.id());
            if (r.body().path("delete_original").asBoolean(false) && origin != null && origin.owner != null) {
                origin.hidden = true;
            } else if (r.body().path("replace_original").asBoolean(false) && origin != null && origin.owner != null) {
                origin.body = r.body();
            } else if (r.body().has("text") || r.body().has("blocks")) {
                add(responseChannel.getOrDefault(r.id(), Demo.GENERAL), owner, "ephemeral", null, r.body());
            }
        }
        List<FakeSlack.Ephemeral> ephemerals = slack.ephemerals();
        for (; ephemeralsSeen < ephemerals.size(); ephemeralsSeen++) {
            FakeSlack.Ephemeral e = ephemerals.get(ephemeralsSeen);
            ObjectNode body = NODES.objectNode().put("text", e.text());
            body.set("blocks", e.blocks());
            add(e.channel(), e.user(), "ephemeral", null, body);
        }
        for (Iterator<Map.Entry<String, List<String>>> it = pendingTriggers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<String>> pending = it.next();
            for (Iterator<String> t = pending.getValue().iterator(); t.hasNext(); ) {
                var view = slack.viewOpenedWith(t.next());
                if (view.isPresent()) {
                    modals.put(pending.getKey(), new Modal(view.get()));
                    t.remove();
                }
            }
            // A trigger lives 3 s at Slack; a click that opened nothing within a few polls opened nothing.
            if (pending.getValue().size() > 20) {
                pending.getValue().subList(0, pending.getValue().size() - 20).clear();
            }
        }
    }

    private static List<String> channelsToWatch() {
        List<String> all = new ArrayList<>(List.of(Demo.GENERAL, Demo.APPROVALS, Demo.AUDIT));
        Demo.PEOPLE.forEach(p -> all.add("D" + p.id()));
        return all;
    }

    private Entry add(String channel, String owner, String kind, String ts, JsonNode body) {
        Entry e = new Entry(++seq, channel, owner, kind, ts, body);
        entries.add(e);
        return e;
    }

    private JsonNode currentView(Modal modal) {
        JsonNode held = slack.view(modal.viewId).orElse(NODES.objectNode());
        if (modal.inline != null && held.path("hash").asText().equals(modal.inlineHash)) {
            return modal.inline;
        }
        modal.inline = null;
        return held;
    }

    /**
     * The demo's stand-in for an authenticator app: the codes of each virtual MFA device of an IAM user that
     * belongs to this person, as an app that scanned the QR shows them now. A real app scanning the QR shows the same.
     */
    private JsonNode phone(String as) {
        ArrayNode out = NODES.arrayNode();
        Instant now = Instant.now();
        for (FakeIam.VirtualDevice d : iam.virtualMfaDevices()) {
            String name = d.serial().substring(d.serial().lastIndexOf('/') + 1);
            boolean mine = iam.user(d.assignedUser() != null ? d.assignedUser() : name)
                    .map(u -> as.equals(u.tags().get(Tags.SLACK_USER))).orElse(false);
            if (!mine) {
                continue;
            }
            String seed;
            try {
                seed = iam.seedOf(d.serial());
            } catch (IllegalArgumentException gone) {
                continue;
            }
            long left = Totp.STEP.toSeconds() - Math.floorMod(now.getEpochSecond(), Totp.STEP.toSeconds());
            out.addObject().put("label", "AWS demo-company: " + name).put("active", d.assignedUser() != null)
                    .put("code", Totp.code(seed, now)).put("next", Totp.code(seed, now.plus(Totp.STEP)))
                    .put("secondsLeft", left);
        }
        return out;
    }
}
