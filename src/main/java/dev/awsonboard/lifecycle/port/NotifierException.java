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
}
