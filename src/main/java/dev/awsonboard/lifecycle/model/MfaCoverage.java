package dev.awsonboard.lifecycle.model;

import java.time.Instant;

/**
 * How many IAM users under {@code path} have a console password and no MFA (what AWS Security Hub flags
 * as IAM.5), linked to a person and not, as of IAM's credential report: what the weekly summary tells.
 *
 * @param reportGenerated when IAM made the report
 * @param users           the IAM users under the path
 */
public record MfaCoverage(Instant reportGenerated, String path, int users, int withoutMfa, int linked, int unlinked) {
}
