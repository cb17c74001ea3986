package dev.awsonboard.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Every secret the test suite handed out (passwords IAM accepted, TOTP seeds, tokens),
 * written under target/ so SecretScanIT can look for them in what the suite left behind.
 * Kept only when the system property {@code aws-onboard.secretLedger} is true, as surefire sets it.
 */
public final class SecretLedger {
    public static final Path FILE = Path.of("target", "secrets-used", "ledger-" + ProcessHandle.current().pid() + ".txt");

    private SecretLedger() {
    }

    /** Only the test suite keeps a ledger (surefire sets the property): the demo runs the same fakes and writes nothing. */
    private static final boolean ON = Boolean.getBoolean("aws-onboard.secretLedger");

    public static synchronized void record(String secret) {
        if (!ON || secret == null || secret.isBlank()) {
            return;
        }
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, secret.replace("\n", " ") + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
