package dev.awsonboard.metrics;

import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.lifecycle.model.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bot's Prometheus registry and the meters the rest of the code records into. Request
 * counts are read from the store once per scrape, so every replica reports the same,
 * correct numbers for the shared database.
 *
 * <p>Names as scraped: {@code aws_onboard_requests{status}}, {@code aws_onboard_pending_requests},
 * {@code aws_onboard_iam_call_seconds{action,outcome}}, {@code aws_onboard_iam_errors_total{action,code}},
 * {@code aws_onboard_slack_api_errors_total{method,error}}, {@code aws_onboard_slack_ack_seconds{type}}.
 */
public final class Metrics {
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    /** Requests the bot still owes work on, or that wait for a person. */
    /** Every request not yet in an end status. */
    public static final Set<Status> PENDING = Status.OPEN;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Map<Status, Long>> counts = new AtomicReference<>(Map.of());

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Registers the request gauges; their values come from {@code store} at each {@link #scrape()}. */
    public Metrics countRequestsIn(RequestStore store) {
        for (Status status : Status.values()) {
            Gauge.builder("aws_onboard_requests", counts, c -> c.get().getOrDefault(status, 0L))
                    .description("Onboarding requests by status, across all replicas (read from the database)")
                    .tag("status", status.name())
                    .register(registry);
        }
        Gauge.builder("aws_onboard_pending_requests", counts,
                        c -> PENDING.stream().mapToLong(s -> c.get().getOrDefault(s, 0L)).sum())
                .description("Requests not yet finished (any status but DONE, DENIED, CANCELLED, REJECTED, EXPIRED, FAILED)")
                .register(registry);
        this.store = store;
        return this;
    }

    /**
     * {@code aws_onboard_qr_files_alive}: QR images (each holds an MFA seed) still in Slack: those of
     * setups waiting for their person, plus deletions Slack has not confirmed yet.
     */
    public Metrics countQrFilesAlive(java.util.function.LongSupplier alive) {
        // The Supplier form holds the supplier strongly (the object form would let it be collected, giving NaN).
        Gauge.builder("aws_onboard_qr_files_alive", () -> {
                    try {
                        return alive.getAsLong();
                    } catch (RuntimeException e) {
                        return Double.NaN; // the database is down: say unknown, not zero
                    }
                })
                .description("QR images (MFA seeds) still in Slack: live setups plus deletions not yet confirmed")
                .register(registry);
        return this;
    }

    private volatile RequestStore store;

    /** The Prometheus text exposition, with request counts read from the store just now. */
    public String scrape() {
        RequestStore s = store;
        if (s != null) {
            try {
                counts.set(s.countByStatus());
            } catch (RuntimeException e) {
                // Keep the last counts; /readyz reports the database.
                log.warn("could not count requests for metrics: {}", e.getClass().getSimpleName());
            }
        }
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    /**
     * One IAM call, as the IAM adapter reports each ({@code SdkIamGateway.CallObserver}): its duration
     * and outcome, and when it failed ({@code errorCode} not null) one more failure of that AWS error code.
     */
    public void iamCall(String action, Duration took, String errorCode) {
        Timer.builder("aws_onboard_iam_call")
                .description("IAM API calls by action and outcome (ok or error)")
                .tags("action", action, "outcome", errorCode == null ? "ok" : "error")
                .register(registry)
                .record(took);
        if (errorCode != null) {
            Counter.builder("aws_onboard_iam_errors")
                    .description("Failed IAM API calls by action and AWS error code")
                    .tags("action", action, "code", errorCode.isBlank() ? "unknown" : errorCode)
                    .register(registry)
                    .increment();
        }
    }

    /** One Slack Web API call that finally failed, by method and Slack error code. */
    public void slackApiError(String method, String error) {
        Counter.builder("aws_onboard_slack_api_errors")
                .description("Slack Web API calls that failed (after retries) by method and Slack error")
                .tags("method", method, "error", error == null || error.isBlank() ? "unknown" : error)
                .register(registry)
                .increment();
    }

    /** How long the bot took to answer (ack) one request from Slack, by Bolt request type. */
    public void slackAck(String type, Duration took) {
        Timer.builder("aws_onboard_slack_ack")
                .description("Time to acknowledge a Slack request, by Bolt request type")
                .tag("type", type)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
