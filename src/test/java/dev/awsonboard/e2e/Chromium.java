package dev.awsonboard.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real headless Chromium, driven over the DevTools protocol (a websocket, JSON commands): navigate,
 * run JavaScript in the page, take a screenshot. Enough to click through a page as a person does
 * without a WebDriver. The browser is Debian's {@code chromium} (or {@code CHROMIUM=/path}); without
 * one the test fails saying how to get it.
 */
final class Chromium implements AutoCloseable {
    static final String MISSING = "the demo's browser test needs Chromium: install Debian's (apt-get install -y chromium; "
            + "bin/test and .ci/run do it when it is missing) or set CHROMIUM to a Chromium or Chrome binary";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    /**
     * A WebSocket takes one send at a time and fails the next with "send pending": the dialog's
     * accept (sent from the receiving thread) could meet a command being sent and be lost, leaving the
     * page blocked on its confirm dialog. Every send goes through this one thread, in order.
     */
    private final java.util.concurrent.ExecutorService sends = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chromium-send");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** The texts of the confirm dialogs the page opened, each accepted. */
    final List<String> dialogs = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    static String binary() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new AssertionError(MISSING);
    }

    static Chromium launch() throws IOException {
        Path profile = Files.createTempDirectory("aws-onboard-chromium-");
        Process p = new ProcessBuilder(binary(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "--window-size=1400,900", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = devToolsUrl(p);
        URI http = URI.create(browserUrl.replaceFirst("^ws://", "http://").replaceFirst("/devtools/.*$", ""));
        HttpClient client = HttpClient.newHttpClient();
        String page;
        try {
            JsonNode targets = JSON.readTree(client.send(HttpRequest.newBuilder(http.resolve("/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            page = Stream.of(targets).flatMap(t -> java.util.stream.StreamSupport.stream(t.spliterator(), false))
                    .filter(t -> t.path("type").asText().equals("page")).findFirst()
                    .orElseThrow(() -> new IOException("Chromium shows no page: " + targets)).path("webSocketDebuggerUrl").asText();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Chromium[] self = new Chromium[1];
        StringBuilder frame = new StringBuilder();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    String text = frame.toString();
                    frame.setLength(0);
                    self[0].receive(text);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
        self[0] = new Chromium(p, profile, ws);
        self[0].call("Page.enable", JSON.createObjectNode());
        return self[0];
    }

    /** Chromium prints {@code DevTools listening on ws://...} on stderr once its debugging port is open. */
    private static String devToolsUrl(Process p) throws IOException {
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    int at = line.indexOf("DevTools listening on ");
                    if (at >= 0) {
                        url.complete(line.substring(at + "DevTools listening on ".length()).trim());
                    }
                }
            } catch (IOException ignored) {
                // the browser went away
            }
            url.completeExceptionally(new IOException("Chromium exited before opening its DevTools port"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return url.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("Chromium did not start: " + e.getMessage(), e);
        }
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.path("method").asText().equals("Page.javascriptDialogOpening")) {
                // A button's confirm dialog (Approve, Deny...): the person clicks OK.
                dialogs.add(message.path("params").path("message").asText());
                ObjectNode accept = JSON.createObjectNode().put("id", ids.incrementAndGet()).put("method", "Page.handleJavaScriptDialog");
                accept.putObject("params").put("accept", true);
                send(accept.toString());
            } else if (message.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(message.path("id").asInt());
                if (f != null) {
                    f.complete(message);
                }
            }
        } catch (IOException ignored) {
            // not ours to read
        }
    }

    /** Sends {@code text} after every earlier send completed; done when it is sent. */
    private CompletableFuture<Void> send(String text) {
        return CompletableFuture.runAsync(() -> socket.sendText(text, true).join(), sends);
    }

    private JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
        command.set("params", params);
        send(command.toString()).join();
        try {
            JsonNode r = answer.get(30, TimeUnit.SECONDS);
            if (r.has("error")) {
                throw new AssertionError(method + " failed: " + r.path("error"));
            }
            return r.path("result");
        } catch (Exception e) {
            throw new AssertionError(method + " got no answer: " + e.getMessage(), e);
        }
    }

    void navigate(String url) {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** Runs {@code expression} in the page (awaiting a promise) and returns its value as JSON. */
    JsonNode eval(String expression) {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + r.path("exceptionDetails").path("exception").path("description").asText(
                    r.path("exceptionDetails").toString()) + " in: " + expression);
        }
        return r.path("result").path("value");
    }

    String text(String expression) {
        return eval(expression).asText();
    }

    void screenshot(Path file) throws IOException {
        JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is killed below anyway
        }
        sends.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory
        }
    }

    static Duration patience() {
        return Duration.ofSeconds(30);
    }
}
