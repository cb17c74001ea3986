package dev.awsonboard.scan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs after the whole unit suite (failsafe, verify phase): every password, seed and token
 * the suite used must be absent from its logs, its console output and its database files.
 */
class SecretScanIT {
    private static final Path TARGET = Path.of("target");

    @Test
    void noSecretTheSuiteUsedIsInItsLogsOutputOrDatabases() throws IOException {
        Set<String> secrets = new LinkedHashSet<>();
        for (Path ledger : files(TARGET.resolve("secrets-used"))) {
            for (String line : Files.readAllLines(ledger, StandardCharsets.UTF_8)) {
                if (line.length() >= 8) { // shorter strings would match by accident
                    secrets.add(line);
                }
            }
        }
        List<Path> scanned = new ArrayList<>();
        scanned.addAll(files(TARGET.resolve("test-logs")));
        scanned.addAll(files(TARGET.resolve("test-databases")));
        files(TARGET.resolve("surefire-reports")).stream()
                .filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(scanned::add);

        List<String> leaks = new ArrayList<>();
        long bytes = 0;
        for (Path file : scanned) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            String utf8 = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            bytes += content.length();
            for (String secret : secrets) {
                if (content.contains(secret) || utf8.contains(secret)) {
                    leaks.add(file + " holds a secret starting " + secret.substring(0, 2) + "…");
                }
            }
        }
        System.out.printf("secret scan: %d secrets used by the suite x %d files (%d bytes) scanned -> %d found%n",
                secrets.size(), scanned.size(), bytes, leaks.size());
        assertThat(secrets).as("the suite recorded the secrets it used").hasSizeGreaterThan(10);
        assertThat(scanned).as("the suite left logs and databases to scan").isNotEmpty();
        assertThat(leaks).isEmpty();
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
