package dev.awsonboard.onboarding;

import java.util.List;

/**
 * Tells people about requests: approvers, the requester and the person onboarded. The
 * adapter renders the words; the flow only says what happened. Failures throw
 * {@link NotifierException}.
 */
public interface Notifier {

    /** Posts the approval request with Approve and Deny; returns where it went. */
    List<MessageRef> postApprovalRequest(Request request);

    /** Re-renders every approval message of the request from its current state. */
    void refreshApprovalRequest(Request request);

    /** Tells the requester the outcome so far (approved, denied, failed, done, expired). */
    void notifyRequester(Request request);

    /**
     * Opens the DM with the person and reserves the QR upload: Slack names the file before any
     * byte is sent, so the flow can record it and delete it even if it dies right after.
     */
    QrUpload reserveQr(Request request, SetupDetails details);

    /** Sends the QR image and shares it into the DM. */
    void shareQr(QrUpload upload, SetupDetails details);

    /** Posts the sign-in URL, the user name and the two buttons into the DM. */
    void sendSetupInstructions(Request request, SetupDetails details);

    /** Tells the person they are done. */
    void setupCompleted(Request request);

    /** Tells the person their setup expired and what to do. */
    void setupExpired(Request request);

    /** Deletes a file the bot uploaded (the QR image). */
    void deleteFile(String fileId);

    /**
     * @param qrPng          the QR code as a PNG; holds the seed, so it goes only to the person
     * @param accountLabel   account alias or id, as shown in the authenticator app
     */
    record SetupDetails(String signInUrl, String iamUserName, String accountLabel, byte[] qrPng) {
    }

    /** A reserved upload: the DM it goes to, the file Slack will create, where to send the bytes. */
    record QrUpload(String dmChannel, String fileId, String uploadUrl) {
    }
}
