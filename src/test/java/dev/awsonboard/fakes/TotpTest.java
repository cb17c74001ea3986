package dev.awsonboard.fakes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class TotpTest {
    /** RFC 6238's published vectors, kept in the test resources so a bare clone runs them. */
    private static final Path VECTORS = Vectors.path("totp-rfc6238.txt");
    private static final String RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @Test
    void codesMatchEveryRfc6238Sha1Vector() throws IOException {
        List<String[]> vectors = vectors();
        assertThat(vectors).as("vectors in %s", VECTORS.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(6);
        for (String[] v : vectors) {
            Instant at = Instant.ofEpochSecond(Long.parseLong(v[0]));
            assertThat(Totp.code(RFC_SEED, at)).as("code at unix time %s", v[0]).isEqualTo(v[2]);
        }
    }

    @Test
    void twoConsecutiveCodesAreThoseOfThisStepAndTheNext() {
        Instant at = Instant.ofEpochSecond(1111111109L);
        assertThat(Totp.twoConsecutiveCodes(RFC_SEED, at))
                .containsExactly("081804", Totp.code(RFC_SEED, at.plusSeconds(30)));
    }

    @Test
    void lowerCaseSeedGivesTheSameCode() {
        Instant at = Instant.ofEpochSecond(59);
        assertThat(Totp.code(RFC_SEED.toLowerCase(), at)).isEqualTo("287082");
    }

    private static List<String[]> vectors() throws IOException {
        if (!Files.isReadable(VECTORS)) {
            fail("TOTP test vectors not found at " + VECTORS.toAbsolutePath());
        }
        return Files.readAllLines(VECTORS).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"))
                .toList();
    }
}
