package dev.awsonboard.lifecycle.port;

/** Slack could not be told something. {@code code} is Slack's error, e.g. "channel_not_found". */
public class NotifierException extends RuntimeException {
    private final String code;

    public NotifierException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * Slack may well take it on a later try: rate limits, its own failures, a broken connection (the
     * adapter's codes after its retries) rather than a refusal of this message (a channel or a person
     * that cannot be reached, a bad argument).
     */
    public boolean isTransient() {
        return code != null && (code.startsWith("http_5") || TRANSIENT.contains(code));
    }

    private static final java.util.Set<String> TRANSIENT = java.util.Set.of("ratelimited", "io_error", "interrupted",
            "upload_failed", "fatal_error", "internal_error", "service_unavailable", "request_timeout");
}
