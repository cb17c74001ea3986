package dev.awsonboard.scan;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After the whole unit suite: no test was skipped. The README's test command runs everything; a test that
 * cannot run (no Chromium, no PostgreSQL) fails with its reason, and one that was skipped anyway is named
 * here with the reason {@link SkippedTests} wrote down, on the console.
 */
class NothingSkippedIT {

    @Test
    void theSuiteSkippedNoTest() throws IOException {
        List<String> skipped = new ArrayList<>();
        if (Files.isDirectory(SkippedTests.DIR)) {
            try (Stream<Path> files = Files.list(SkippedTests.DIR)) {
                for (Path f : files.toList()) {
                    skipped.addAll(Files.readAllLines(f));
                }
            }
        }

        assertThat(skipped).as("tests the suite skipped, with the reason").isEmpty();
    }
}
