package dev.awsonboard.web;

import dev.awsonboard.metrics.Metrics;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's HTTP face: Slack's endpoint, a liveness probe ({@code /healthz}), a readiness
 * probe ({@code /readyz}: the database and Slack answer) and Prometheus metrics ({@code /metrics}).
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    /** Slack's largest payloads (view submissions) are far below this. */
    private static final long MAX_BODY = 1_000_000;
    private final Javalin javalin;

    public WebServer(SlackEndpoint slack) {
        this(slack, null, new Readiness());
    }

    /** @param metrics served at /metrics; null: no such route */
    public WebServer(SlackEndpoint slack, Metrics metrics, Readiness readiness) {
        this.javalin = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.routes.get("/healthz", ctx -> ctx.contentType("text/plain").result("ok"));
            cfg.routes.get("/readyz", ctx -> {
                Readiness.Result ready = readiness.check();
                ctx.status(ready.ready() ? 200 : 503).contentType("text/plain").result(ready.text());
            });
            if (metrics != null) {
                cfg.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
            }
            cfg.routes.post("/slack/events", slack::handle);
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("unhandled error on {} {}: {}", ctx.method(), ctx.path(), e.getClass().getSimpleName());
                ctx.status(500).contentType("text/plain").result("Internal error");
            });
        });
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
