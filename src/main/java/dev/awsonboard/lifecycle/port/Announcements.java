package dev.awsonboard.lifecycle.port;

import dev.awsonboard.lifecycle.model.MfaCoverage;

/**
 * What the bot posts for the approvers on its own schedule: the weekly MFA coverage, to the approval
 * channel (or each approver by DM without one). Failures throw {@link NotifierException}.
 */
public interface Announcements {

    /** The account's console users without MFA, linked and not. */
    void mfaCoverage(MfaCoverage coverage);
}
