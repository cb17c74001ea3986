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
 * Test-only: production code never sees this.
 */
public final class SecretLedger {
    public static final Path FILE = Path.of("target", "secrets-used", "ledger-" + ProcessHandle.current().pid() + ".txt");

    private SecretLedger() {
    }

    public static synchronized void record(String secret) {
        if (secret == null || secret.isBlank()) {
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
