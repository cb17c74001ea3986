package dev.awsonboard.lifecycle.model;

import java.time.Instant;

/** One approver's yes to a request, and when. Several are needed under a two-person rule. */
public record Approval(String approver, Instant at) {

    /** "U012ABCDEF@2026-11-24T10:00:00Z", as a list column stores it; Slack ids never hold '@'. */
    public String encode() {
        return approver + "@" + at;
    }

    public static Approval decode(String encoded) {
        int at = encoded.indexOf('@');
        return new Approval(encoded.substring(0, at), Instant.parse(encoded.substring(at + 1)));
    }
}
