package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Request;

import java.util.List;

/**
 * Tells people about requests: approvers, the requester and the person concerned. The
 * adapter renders the words from the request's kind, status and notices; the flow only says
 * what happened. Failures throw {@link NotifierException}.
 */
public interface Notifier {

    /**
     * Posts the approval request with Approve and Deny into each of {@code audience}'s channels and
     * to each of its people by DM; returns where it went. Each is posted on its own: throws only when
     * it reached none of them.
     */
    List<MessageRef> postApprovalRequest(Request request, Audience audience);

    /** Re-renders every approval message of the request from its current state. */
    void refreshApprovalRequest(Request request);

    /** Tells the requester where the request stands (waiting, approved, denied, done, failed...). */
    void notifyRequester(Request request);

    /** Tells the person a request is about where it stands, by DM (a grant that started or ended). */
    void notifyPerson(Request request);

    /**
     * Opens the DM with the person and reserves the QR upload: Slack names the file before any
     * byte is sent, so the flow can record it and delete it even if it dies right after.
     */
    QrUpload reserveQr(Request request, SetupDetails details);

    /** Sends the QR image and shares it into the DM. */
    void shareQr(QrUpload upload, SetupDetails details);

    /** Posts the sign-in URL, the user name and the buttons into the DM; returns that message. */
    MessageRef sendSetupInstructions(Request request, SetupDetails details);

    /** A password reset: the DM with the "Show password" button; returns that message. */
    MessageRef sendPasswordInvite(Request request);

    /**
     * Tells the person they are done, and closes the buttons of their setup message.
     *
     * @param offerFirstPassword a new user who never took their one-time password gets one chance to
     */
    void setupCompleted(Request request, boolean offerFirstPassword);

    /**
     * The person's setup ended without success (expired, failed, cancelled, replaced): its
     * message loses its buttons and the person is told why.
     */
    void setupClosed(Request request);

    /** Deletes a file the bot uploaded (the QR image); a file already gone is no error. */
    void deleteFile(String fileId);

    /**
     * @param qrPng        the QR code as a PNG; holds the seed, so it goes only to the person
     * @param accountLabel account alias or id, as shown in the authenticator app
     */
    record SetupDetails(String signInUrl, String iamUserName, String accountLabel, byte[] qrPng) {
    }

    /** Who is asked to approve a request: channels, and people each in their own DM. */
    record Audience(List<String> channels, List<String> people) {
        public Audience {
            channels = List.copyOf(channels);
            people = List.copyOf(people);
        }

        public boolean isEmpty() {
            return channels.isEmpty() && people.isEmpty();
        }
    }

    /** A reserved upload: whose it is, the DM it goes to, the file Slack will create, where to send the bytes. */
    record QrUpload(String personId, String dmChannel, String fileId, String uploadUrl) {
    }
}
