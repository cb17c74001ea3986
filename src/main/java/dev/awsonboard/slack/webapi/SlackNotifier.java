package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.request.files.FilesCompleteUploadExternalRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import com.slack.api.model.block.LayoutBlock;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.port.Notifier;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Messages;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/** {@link Notifier} over the Slack Web API; each reader gets their language. */
public final class SlackNotifier implements Notifier {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlackNotifier.class);
    private final MethodsClient slack;
    private final Optional<String> approvalChannel;
    private final Set<String> approvers;
    private final SlackCalls calls;
    private final Languages languages;
    /** Whose each DM the bot opened is, so an approver's copy of a request is refreshed in their language. */
    private final Map<String, String> dmOwners = new ConcurrentHashMap<>();
    /** Built on the first QR upload, not during the start (its TLS set-up took ~50 ms there). */
    private volatile HttpClient uploads;

    /**
     * @param approvalChannel where approval requests go by default; empty: each approver by DM
     * @param approvers       the people who may hold an approval request in their DM (to learn, after a restart, whose DM is whose)
     * @param pause           waits the given milliseconds before a retry (Retry-After or backoff)
     * @param onError         told (method, Slack error code) whenever a Web API call finally fails
     */
    public SlackNotifier(MethodsClient slack, Optional<String> approvalChannel, Set<String> approvers, LongConsumer pause,
                         BiConsumer<String, String> onError, Languages languages) {
        this.slack = slack;
        this.approvalChannel = approvalChannel;
        this.approvers = Set.copyOf(approvers);
        this.calls = new SlackCalls(pause, onError);
        this.languages = languages;
    }

    public SlackNotifier(MethodsClient slack, Optional<String> approvalChannel, Set<String> approvers, LongConsumer pause) {
        this(slack, approvalChannel, approvers, pause, (method, error) -> { }, Languages.fixed(Texts.english()));
    }

    /** The workspace's people, asked through the same client and retry rules. */
    public SlackPeople people() {
        return new SlackPeople(slack, calls);
    }

    public Languages languages() {
        return languages;
    }

    @Override
    public List<MessageRef> postApprovalRequest(Request r, Audience audience) {
        List<MessageRef> refs = new ArrayList<>();
        // Each channel, and each approver's own copy in their language; one that cannot be reached (a
        // deactivated approver, say) keeps no one else from being asked. It fails only when nobody could be.
        NotifierException first = null;
        for (String channel : audience.channels()) {
            try {
                refs.add(postApproval(channel, languages.forChannel(), r));
            } catch (NotifierException e) {
                log.warn("request {}: channel {} could not be asked: {}", r.id(), channel, e.code());
                first = first == null ? e : first;
            }
        }
        for (String approver : audience.people()) {
            try {
                refs.add(postApproval(openDm(approver), languages.forUser(approver), r));
            } catch (NotifierException e) {
                log.warn("request {}: approver {} could not be asked: {}", r.id(), approver, e.code());
                first = first == null ? e : first;
            }
        }
        if (refs.isEmpty() && first != null) {
            throw first;
        }
        return refs;
    }

    private MessageRef postApproval(String channel, Texts t, Request r) {
        ChatPostMessageResponse posted = calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m
                .channel(channel).text(Messages.approvalText(t, r)).blocks(Messages.approval(t, r))));
        return new MessageRef(posted.getChannel(), posted.getTs());
    }

    @Override
    public void refreshApprovalRequest(Request r) {
        for (MessageRef ref : r.approvalMessages()) {
            Texts t = readerOf(ref.channel());
            calls.call("chat.update", () -> slack.chatUpdate(m -> m.channel(ref.channel()).ts(ref.ts())
                    .text(Messages.approvalText(t, r)).blocks(Messages.approval(t, r))));
        }
    }

    /** The language of whoever reads {@code channel}: the approval channel's default, or an approver's own. */
    private Texts readerOf(String channel) {
        if (channel.startsWith("D") && !dmOwners.containsKey(channel)) {
            // After a restart: opening a DM that exists answers its id, which says whose it is.
            approvers.stream().sorted().forEach(this::openDm);
        }
        String owner = dmOwners.get(channel);
        return owner == null ? languages.forChannel() : languages.forUser(owner);
    }

    @Override
    public void notifyRequester(Request r) {
        Texts t = languages.forUser(r.requesterUserId());
        String dm = openDm(r.requesterUserId());
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.forRequester(t, r)).blocks(Messages.forRequesterBlocks(t, r))));
    }

    @Override
    public void notifyPerson(Request r) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = openDm(r.targetUserId());
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.forPerson(t, r)).blocks(Messages.forPersonBlocks(t, r))));
    }

    @Override
    public QrUpload reserveQr(Request r, SetupDetails details) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = openDm(r.targetUserId());
        var reserved = calls.call("files.getUploadURLExternal", () -> slack.filesGetUploadURLExternal(u -> u
                .filename("aws-mfa-" + details.iamUserName() + ".png")
                .length(details.qrPng().length)
                .altTxt(t.plain("setup.qr.alt", "user", details.iamUserName()))));
        if (reserved.getFileId() == null || reserved.getUploadUrl() == null) {
            throw new NotifierException("no_upload_url", "files.getUploadURLExternal returned no upload URL", null);
        }
        return new QrUpload(r.targetUserId(), dm, reserved.getFileId(), reserved.getUploadUrl());
    }

    @Override
    public void shareQr(QrUpload upload, SetupDetails details) {
        Texts t = languages.forUser(upload.personId());
        sendBytes(upload.uploadUrl(), details.qrPng());
        calls.call("files.completeUploadExternal", () -> slack.filesCompleteUploadExternal(c -> c
                .files(List.of(FilesCompleteUploadExternalRequest.FileDetails.builder()
                        .id(upload.fileId()).title(t.plain("setup.qr.title", "user", details.iamUserName())).build()))
                .channelId(upload.dmChannel())
                .initialComment(t.plain("setup.qr.comment"))));
    }

    /** Step two of Slack's upload v2: the raw bytes to the URL Slack handed out (retried like any call). */
    private void sendBytes(String uploadUrl, byte[] bytes) {
        for (int attempt = 1; ; attempt++) {
            int status;
            try {
                status = uploads().send(HttpRequest.newBuilder(URI.create(uploadUrl)).timeout(Duration.ofSeconds(30))
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
            if (attempt >= SlackCalls.ATTEMPTS || (status >= 400 && status < 500 && status != 429)) {
                throw new NotifierException("upload_failed", "QR upload failed with HTTP " + status, null);
            }
            calls.pause(500L << (attempt - 1));
        }
    }

    @Override
    public MessageRef sendSetupInstructions(Request r, SetupDetails details) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = dmWith(r);
        ChatPostMessageResponse posted = calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.setupText(t, r)).blocks(Messages.setup(t, r, details.signInUrl(), r.groups().isEmpty()))));
        return new MessageRef(posted.getChannel(), posted.getTs());
    }

    @Override
    public MessageRef sendPasswordInvite(Request r) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = dmWith(r);
        ChatPostMessageResponse posted = calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.passwordInviteText(t, r)).blocks(Messages.passwordInvite(t, r))));
        return new MessageRef(posted.getChannel(), posted.getTs());
    }

    @Override
    public void setupCompleted(Request r, boolean offerFirstPassword) {
        Texts t = languages.forUser(r.targetUserId());
        closeSetupMessage(t, r);
        String dm = dmWith(r);
        List<LayoutBlock> blocks = Messages.setupDone(t, r, offerFirstPassword);
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm)
                .text(Messages.setupDoneText(t, r)).blocks(blocks)));
    }

    @Override
    public void setupClosed(Request r) {
        Texts t = languages.forUser(r.targetUserId());
        closeSetupMessage(t, r);
        if (r.targetUserId() == null) {
            return;
        }
        String dm = dmWith(r);
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(Messages.setupEnded(t, r))));
    }

    /** The message with the person's buttons keeps its facts and loses its buttons. */
    private void closeSetupMessage(Texts t, Request r) {
        MessageRef ref = r.setupMessage();
        if (ref == null) {
            return;
        }
        calls.call("chat.update", () -> slack.chatUpdate(m -> m.channel(ref.channel()).ts(ref.ts())
                .text(t.plain("setup.closed")).blocks(Messages.closedSetup(t, r))));
    }

    @Override
    public void deleteFile(String fileId) {
        try {
            calls.call("files.delete", () -> slack.filesDelete(f -> f.file(fileId)));
        } catch (NotifierException e) {
            if (!"file_not_found".equals(e.code()) && !"file_deleted".equals(e.code())) {
                throw e; // already gone is what we wanted
            }
        }
    }

    /** Tells someone something only they see, in the channel where they acted. */
    public void ephemeral(String channel, String userId, String text) {
        calls.call("chat.postEphemeral", () -> slack.chatPostEphemeral(m -> m.channel(channel).user(userId).text(text)));
    }

    /** A direct message to a user. */
    public void direct(String userId, String text) {
        String dm = openDm(userId);
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(text)));
    }

    /** A direct message with blocks. */
    public void direct(String userId, String text, List<LayoutBlock> blocks) {
        String dm = openDm(userId);
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(text).blocks(blocks)));
    }

    /** The DM with the person concerned: the one already recorded, else a newly opened one. */
    private String dmWith(Request r) {
        return r.dmChannel() != null ? r.dmChannel() : openDm(r.targetUserId());
    }

    private String openDm(String userId) {
        ConversationsOpenResponse opened = calls.call("conversations.open", () -> slack.conversationsOpen(c -> c.users(List.of(userId))));
        String channel = opened.getChannel().getId();
        dmOwners.put(channel, userId);
        return channel;
    }

    private HttpClient uploads() {
        HttpClient client = uploads;
        if (client == null) {
            synchronized (this) {
                client = uploads;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                    uploads = client;
                }
            }
        }
        return client;
    }
}
