package dev.awsonboard.slack.webapi;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.awsonboard.lifecycle.port.NotifierException;

import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Runs Slack Web API calls the way the bot needs: retried after a 429 (honouring Retry-After)
 * or a 5xx or I/O failure, every final failure a {@link NotifierException} with Slack's code.
 * Only worker threads call through here (a wait never holds up an acknowledgement).
 */
final class SlackCalls {
    /** Tries per Web API call when Slack rate-limits (429) or fails (5xx, I/O). */
    static final int ATTEMPTS = 4;
    private static final long MAX_RETRY_AFTER_MS = 30_000;

    private final LongConsumer pause;
    private final BiConsumer<String, String> onError;

    /**
     * @param pause   waits the given milliseconds before a retry (Retry-After or backoff)
     * @param onError told (method, Slack error code) whenever a call finally fails
     */
    SlackCalls(LongConsumer pause, BiConsumer<String, String> onError) {
        this.pause = pause;
        this.onError = onError;
    }

    @FunctionalInterface
    interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(method, call);
            } catch (NotifierException e) {
                onError.accept(method, e.code());
                throw e;
            } catch (Retryable e) {
                if (attempt >= ATTEMPTS) {
                    onError.accept(method, e.code);
                    throw new NotifierException(e.code, method + " failed after " + attempt + " tries: " + e.code, null);
                }
                pause(e.waitMillis > 0 ? e.waitMillis : 500L << (attempt - 1));
            }
        }
    }

    void pause(long millis) {
        pause.accept(millis);
    }

    /** A failure worth another try, and how long Slack asked us to wait. */
    private static final class Retryable extends RuntimeException {
        final String code;
        final long waitMillis;

        Retryable(String code, long waitMillis) {
            super(code, null, false, false);
            this.code = code;
            this.waitMillis = waitMillis;
        }
    }

    private static <T extends SlackApiTextResponse> T once(String method, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (SlackApiException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().code();
            if (status == 429) {
                String after = e.getResponse().header("Retry-After");
                long seconds = after == null ? 1 : parseSeconds(after);
                throw new Retryable("ratelimited", Math.min(MAX_RETRY_AFTER_MS, seconds * 1000));
            }
            if (status >= 500) {
                throw new Retryable("http_" + status, 0);
            }
            String code = e.getError() != null && e.getError().getError() != null ? e.getError().getError() : "http_" + status;
            throw new NotifierException(code, method + " failed: " + code, null);
        } catch (IOException e) {
            throw new Retryable("io_error", 0);
        }
        if (!response.isOk()) {
            throw new NotifierException(response.getError(), method + " failed: " + response.getError(), null);
        }
        return response;
    }

    private static long parseSeconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
