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
 * the suite used must be absent from its logs, its console output, its SQLite files and the
 * PostgreSQL rows it kept, as written and in the forms a leak would take on the way: percent-
 * encoded (a form body, a URL), Base64 (an HTTP header, a blob) and JSON-escaped.
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

        // Every form of every secret, indexed by its first 8 characters: one pass over each file
        // looks each 8-character window up, and only a hit is compared in full.
        java.util.Map<String, List<String[]>> byPrefix = new java.util.HashMap<>();
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                if (form.length() >= 8) {
                    byPrefix.computeIfAbsent(form.substring(0, 8), k -> new ArrayList<>()).add(new String[] {secret, form});
                }
            }
        }
        List<String> leaks = new ArrayList<>();
        long bytes = 0;
        for (Path file : scanned) {
            byte[] raw = Files.readAllBytes(file);
            bytes += raw.length;
            for (String content : List.of(new String(raw, StandardCharsets.ISO_8859_1), new String(raw, StandardCharsets.UTF_8))) {
                String leak = firstLeak(content, byPrefix);
                if (leak != null) {
                    leaks.add(file + " holds a secret starting " + leak);
                    break;
                }
            }
        }
        System.out.printf("secret scan: %d secrets used by the suite x %d files (%d bytes) scanned -> %d found%n",
                secrets.size(), scanned.size(), bytes, leaks.size());
        assertThat(secrets).as("the suite recorded the secrets it used").hasSizeGreaterThan(10);
        assertThat(scanned).as("the suite left logs and databases to scan").isNotEmpty();
        assertThat(leaks).isEmpty();
    }

    private static String firstLeak(String content, java.util.Map<String, List<String[]>> byPrefix) {
        for (int i = 0; i + 8 <= content.length(); i++) {
            List<String[]> candidates = byPrefix.get(content.substring(i, i + 8));
            if (candidates == null) {
                continue;
            }
            for (String[] c : candidates) {
                if (content.startsWith(c[1], i)) {
                    return c[0].substring(0, 2) + "… (" + formName(c[0], c[1]) + ")";
                }
            }
        }
        return null;
    }

    /** The secret as written, percent-encoded, Base64 (with and without padding) and JSON-escaped. */
    static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        String b64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        forms.add(b64);
        forms.add(b64.replace("=", ""));
        String json = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(secret).toString();
        forms.add(json.substring(1, json.length() - 1));
        return forms;
    }

    private static String formName(String secret, String form) {
        if (form.equals(secret)) {
            return "as written";
        }
        if (form.startsWith(java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)).replace("=", ""))) {
            return "base64";
        }
        return form.contains("%") ? "percent-encoded" : "JSON-escaped";
    }

    @Test
    void theScanFindsEachFormItLooksFor() {
        String secret = "p@ss w0rd/\"=+x";
        assertThat(forms(secret)).contains(secret, "p%40ss+w0rd%2F%22%3D%2Bx", "p%40ss%20w0rd%2F%22%3D%2Bx",
                java.util.Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)), "p@ss w0rd/\\\"=+x");
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
