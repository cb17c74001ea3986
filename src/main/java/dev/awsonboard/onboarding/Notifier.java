package dev.awsonboard.onboarding;

import java.util.List;

/**
 * Tells people about requests: approvers, the requester and the person onboarded. The
 * adapter renders the words; the flow only says what happened. Failures throw
 * {@link NotifierException}.
 */
public interface Notifier {

    /** Posts the approval request with Approve and Deny; returns where it went. */
    List<MessageRef> postApprovalRequest(OnboardingRequest request);

    /** Re-renders every approval message of the request from its current state. */
    void refreshApprovalRequest(OnboardingRequest request);

    /** Tells the requester the outcome so far (approved, denied, failed, done, expired). */
    void notifyRequester(OnboardingRequest request);

    /** DMs the person their QR code and sign-in details; returns the DM channel and QR file. */
    SetupDelivery deliverSetup(OnboardingRequest request, SetupDetails details);

    /** Tells the person they are done. */
    void setupCompleted(OnboardingRequest request);

    /** Tells the person their setup expired and what to do. */
    void setupExpired(OnboardingRequest request);

    /** Deletes a file the bot uploaded (the QR image). */
    void deleteFile(String fileId);

    /**
     * @param qrPng          the QR code as a PNG; holds the seed, so it goes only to the person
     * @param accountLabel   account alias or id, as shown in the authenticator app
     */
    record SetupDetails(String signInUrl, String iamUserName, String accountLabel, byte[] qrPng) {
    }

    record SetupDelivery(String dmChannel, String qrFileId) {
    }
}
