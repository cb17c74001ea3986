package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.Notifier;

import java.util.List;

/**
 * The {@link Notifier} the flow uses: the bot is not told about requests it filed itself (a person
 * left, {@link Departures}); the approval message is where those are followed. Everything else
 * passes through.
 */
final class BotAsRequester implements Notifier {
    private final Notifier notifier;
    private final String botUserId;

    BotAsRequester(Notifier notifier, String botUserId) {
        this.notifier = notifier;
        this.botUserId = botUserId;
    }

    @Override
    public void notifyRequester(Request request) {
        if (botUserId != null && botUserId.equals(request.requesterUserId())) {
            return;
        }
        notifier.notifyRequester(request);
    }

    @Override
    public void notifyPerson(Request request) {
        notifier.notifyPerson(request);
    }

    @Override
    public List<MessageRef> postApprovalRequest(Request request, Audience audience) {
        return notifier.postApprovalRequest(request, audience);
    }

    @Override
    public void refreshApprovalRequest(Request request) {
        notifier.refreshApprovalRequest(request);
    }

    @Override
    public QrUpload reserveQr(Request request, SetupDetails details) {
        return notifier.reserveQr(request, details);
    }

    @Override
    public void shareQr(QrUpload upload, SetupDetails details) {
        notifier.shareQr(upload, details);
    }

    @Override
    public MessageRef sendSetupInstructions(Request request, SetupDetails details) {
        return notifier.sendSetupInstructions(request, details);
    }

    @Override
    public MessageRef sendPasswordInvite(Request request) {
        return notifier.sendPasswordInvite(request);
    }

    @Override
    public void setupCompleted(Request request, boolean offerFirstPassword) {
        notifier.setupCompleted(request, offerFirstPassword);
    }

    @Override
    public void setupClosed(Request request) {
        notifier.setupClosed(request);
    }

    @Override
    public void deleteFile(String fileId) {
        notifier.deleteFile(fileId);
    }
}
