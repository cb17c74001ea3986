package dev.awsonboard.lifecycle.port;

import java.time.Instant;
import java.util.List;

/**
 * Slack files the bot still owes a deletion (QR images, which hold an MFA seed). A deletion is
 * recorded before it is tried and forgotten only once Slack confirms it, so a failure or a crash
 * leaves it owed, and the sweep tries again.
 */
public interface FileDeletions {

    /** Records that {@code fileId} (of {@code requestId}) must go; recording twice is no error. */
    void owe(String fileId, String requestId, Instant now);

    /** Slack confirmed the file is gone. */
    void settled(String fileId);

    /** An attempt failed with Slack's error code; the deletion stays owed. */
    void failed(String fileId, String code);

    /** Every deletion still owed. */
    List<Owed> owed();

    record Owed(String fileId, String requestId, Instant recordedAt, long attempts) {
    }
}
