package dev.awsonboard.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest;
import dev.awsonboard.onboarding.MessageRef;
import dev.awsonboard.onboarding.Notifier;
import dev.awsonboard.onboarding.NotifierException;
import dev.awsonboard.onboarding.Request;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/** {@link Notifier} over the Slack Web API. */
public final class SlackNotifier implements Notifier {
    /** Tries per Web API call when Slack rate-limits (429) or fails (5xx, I/O). */
    static final int ATTEMPTS = 4;
    private static final long MAX_RETRY_AFTER_MS = 30_000;

    private final MethodsClient slack;
    private final Optional<String> approvalChannel;
    private final Set<String> approvers;
    private final LongConsumer pause;
    private final HttpClient uploads = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Told (method, Slack error code) each time a call finally fails; metrics count these. */
    private final BiConsumer<String, String> onError;

    /**
     * @param approvalChannel where approval requests go; empty: each approver by DM
     * @param pause           waits the given milliseconds before a retry (Retry-After or backoff)
     */
    public SlackNotifier(MethodsClient slack, Optional<String> approvalChannel, Set<String> approvers, LongConsumer pause) {
        this(slack, approvalChannel, approvers, pause, (method, error) -> { });
    }

    /** @param onError told (method, Slack error code) whenever a Web API call finally fails */
    public SlackNotifier(MethodsClient slack, Optional<String> approvalChannel, Set<String> approvers, LongConsumer pause,
                         BiConsumer<String, String> onError) {
        this.slack = slack;
        this.approvalChannel = approvalChannel;
        this.approvers = Set.copyOf(approvers);
        this.pause = pause;
        this.onError = onError;
    }

    @FunctionalInterface
    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /**
     * Runs one Web API call: retried after a 429 (honouring Retry-After) or a 5xx or I/O
     * failure, and every final failure turned into a NotifierException with Slack's code.
     */
    private <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
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
                pause.accept(e.waitMillis > 0 ? e.waitMillis : 500L << (attempt - 1));
            }
        }
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

    @Override
    public List<MessageRef> postApprovalRequest(Request r) {
        List<String> channels = new ArrayList<>();
        if (approvalChannel.isPresent()) {
            channels.add(approvalChannel.get());
        } else {
            for (String approver : approvers.stream().sorted().toList()) {
                channels.add(openDm(approver));
            }
        }
        List<MessageRef> refs = new ArrayList<>();
        for (String channel : channels) {
            ChatPostMessageResponse posted = call("chat.postMessage", () -> slack.chatPostMessage(m -> m
                    .channel(channel).text(Messages.approvalText(r)).blocks(Messages.approval(r))));
            refs.add(new MessageRef(posted.getChannel(), posted.getTs()));
        }
        return refs;
    }

    @Override
    public void refreshApprovalRequest(Request r) {
        for (MessageRef ref : r.approvalMessages()) {
            call("chat.update", () -> slack.chatUpdate(m -> m.channel(ref.channel()).ts(ref.ts())
                    .text(Messages.approvalText(r)).blocks(Messages.approval(r))));
        }
    }

    @Override
    public void notifyRequester(Request r) {
        String dm = openDm(r.requesterUserId());
        call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(Messages.forRequester(r))));
    }

    @Override
    public QrUpload reserveQr(Request r, SetupDetails details) {
        String dm = openDm(r.targetUserId());
        var reserved = call("files.getUploadURLExternal", () -> slack.filesGetUploadURLExternal(u -> u
                .filename("aws-mfa-" + details.iamUserName() + ".png")
                .length(details.qrPng().length)
                .altTxt("QR code to add " + details.iamUserName() + " to an authenticator app")));
        if (reserved.getFileId() == null || reserved.getUploadUrl() == null) {
            throw new NotifierException("no_upload_url", "files.getUploadURLExternal returned no upload URL", null);
        }
        return new QrUpload(dm, reserved.getFileId(), reserved.getUploadUrl());
    }

    @Override
    public void shareQr(QrUpload upload, SetupDetails details) {
        sendBytes(upload.uploadUrl(), details.qrPng());
        call("files.completeUploadExternal", () -> slack.filesCompleteUploadExternal(c -> c
                .files(List.of(FilesCompleteUploadExternalRequest.FileDetails.builder()
                        .id(upload.fileId()).title("AWS MFA QR code for " + details.iamUserName()).build()))
                .channelId(upload.dmChannel())
                .initialComment("Scan this QR code with your authenticator app. It is deleted once MFA is on.")));
    }

    /** Step two of Slack's upload v2: the raw bytes to the URL Slack handed out (retried like any call). */
    private void sendBytes(String uploadUrl, byte[] bytes) {
        for (int attempt = 1; ; attempt++) {
            int status;
            try {
                status = uploads.send(HttpRequest.newBuilder(URI.create(uploadUrl)).timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotifierException("interrupted", "QR upload interrupted", null);
            }
            if (status == 200) {
                return;
            }
            if (attempt >= ATTEMPTS || (status >= 400 && status < 500 && status != 429)) {
                throw new NotifierException("upload_failed", "QR upload failed with HTTP " + status, null);
            }
            pause.accept(500L << (attempt - 1));
        }
    }

    @Override
    public void sendSetupInstructions(Request r, SetupDetails details) {
        String dm = dmWith(r);
        call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.setupText(details.iamUserName())).blocks(Messages.setup(r, details.signInUrl()))));
    }

    @Override
    public void setupCompleted(Request r) {
        String dm = dmWith(r);
        call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(Messages.setupDone(r))));
    }

    @Override
    public void setupExpired(Request r) {
        String dm = dmWith(r);
        call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(Messages.setupExpired(r))));
    }

    @Override
    public void deleteFile(String fileId) {
        try {
            call("files.delete", () -> slack.filesDelete(f -> f.file(fileId)));
        } catch (NotifierException e) {
            if (!"file_not_found".equals(e.code()) && !"file_deleted".equals(e.code())) {
                throw e; // already gone is what we wanted
            }
        }
    }

    /** Tells someone something only they see, in the channel where they acted. */
    public void ephemeral(String channel, String userId, String text) {
        call("chat.postEphemeral", () -> slack.chatPostEphemeral(m -> m.channel(channel).user(userId).text(text)));
    }

    /** A direct message to a user. */
    public void direct(String userId, String text) {
        String dm = openDm(userId);
        call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(text)));
    }

    /** The DM with the person onboarded: the one already recorded, else a newly opened one. */
    private String dmWith(Request r) {
        return r.dmChannel() != null ? r.dmChannel() : openDm(r.targetUserId());
    }

    private String openDm(String userId) {
        ConversationsOpenResponse opened = call("conversations.open", () -> slack.conversationsOpen(c -> c.users(List.of(userId))));
        return opened.getChannel().getId();
    }
}
