package dev.awsonboard.web;

import dev.awsonboard.metrics.Metrics;
import dev.awsonboard.slack.inbound.SlackEndpoint;
import dev.awsonboard.slack.inbound.SlackHandler;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's HTTP face: Slack's endpoint ({@link SlackHandler}, a Jetty handler in front of Javalin),
 * and on Javalin a liveness probe ({@code /healthz}), a readiness probe ({@code /readyz}: the database
 * and Slack answer) and Prometheus metrics ({@code /metrics}).
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Slack's largest payloads (view submissions) are far below this. */
    private static final long MAX_BODY = 1_000_000;

    /** Jetty's property for how many object references fit in a CPU cache line (it pads its queues with it). */
    static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        // Unset, Jetty learns whether references are compressed by starting the JVM's platform MBean
        // server, ~50 ms of CPU in every start for a padding size. Below 32 GiB of heap the JVM
        // compresses them: 4 bytes, 16 to a 64-byte line. An operator's own value stays.
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            boolean compressed = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty(REFERENCES_PER_CACHE_LINE, compressed ? "16" : "8");
        }
    }
    private final Javalin javalin;
    /** Slack's endpoint, 503 until {@link #serve}. */
    private final SlackHandler slack = new SlackHandler((int) MAX_BODY, WebServer::logUnhandled);
    /** Null until {@link #serve}: the server listens while the bot is still being wired. */
    private volatile Readiness readiness;

    /**
     * A server that answers /healthz (and /metrics) at once and, until {@link #serve} hands it the
     * rest, 503 on /readyz and on Slack's endpoint: it can start listening while the bot asks Slack
     * about its tokens and opens its database, instead of after. Slack's endpoint is {@link SlackHandler},
     * in front of Javalin's own handler; the probes and metrics are Javalin's.
     *
     * @param metrics served at /metrics
     */
    public WebServer(Metrics metrics) {
        this.javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = MAX_BODY;
            // Javalin sets its handler after these consumers run, at the end of the chain: behind this one.
            cfg.jetty.modifyServer(server -> server.insertHandler(slack));
            cfg.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
            cfg.routes.get("/readyz", ctx -> {
                Readiness wired = readiness;
                Readiness.Result ready = wired == null ? STARTING : wired.check();
                ctx.status(ready.ready() ? 200 : 503).contentType("text/plain").result(ready.text());
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                logUnhandled(ctx.method().name(), ctx.path(), e);
                ctx.status(500).contentType("text/plain").result("Internal error");
            });
        });
    }

    /** The class only: an exception's message or stack can carry a body or a secret. */
    static void logUnhandled(String method, String path, Exception e) {
        log.error("unhandled error on {} {}: {}", method, path, e.getClass().getSimpleName());
    }

    private static final Readiness.Result STARTING = new Readiness.Result(false, java.util.Map.of("start", "starting"));

    /** Slack's endpoint and the readiness checks: from now on the server answers in full. */
    public WebServer serve(SlackEndpoint slack, Readiness readiness) {
        this.readiness = readiness;
        this.slack.serve(slack);
        return this;
    }

    public WebServer start(String host, int port) {
        javalin.start(host, port);
        log.info("listening on {}:{}", host, javalin.port());
        return this;
    }

    public int port() {
        return javalin.port();
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
