package dev.awsonboard.fakes;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import org.apache.commons.codec.binary.Base32;

import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6238 codes as an authenticator app shows them (HMAC-SHA1, 30 s step, 6 digits).
 * Used by {@link FakeIam} to check EnableMFADevice and by tests to play the person's phone.
 */
public final class Totp {
    public static final Duration STEP = TimeBasedOneTimePasswordGenerator.DEFAULT_TIME_STEP;

    private Totp() {
    }

    /** The 6-digit code for {@code base32Seed} at instant {@code at}. */
    public static String code(String base32Seed, Instant at) {
        // A fresh generator per call: cheap, and it keeps this safe under concurrent use.
        var generator = new TimeBasedOneTimePasswordGenerator(STEP, 6);
        var key = new SecretKeySpec(decode(base32Seed), generator.getAlgorithm());
        try {
            return generator.generateOneTimePasswordString(key, at, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not a usable TOTP key", e);
        }
    }

    /** The codes of the time step containing {@code at} and of the step after it, as IAM wants them. */
    public static List<String> twoConsecutiveCodes(String base32Seed, Instant at) {
        return List.of(code(base32Seed, at), code(base32Seed, at.plus(STEP)));
    }

    /** The time-step counter of {@code at} (T0 = 0). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
    }

    /** The first instant of step {@code step}. */
    public static Instant startOf(long step) {
        return Instant.ofEpochSecond(step * STEP.toSeconds());
    }

    private static byte[] decode(String base32Seed) {
        // Apps accept lower case and spaces; so does this.
        String normalized = base32Seed.replace(" ", "").toUpperCase(Locale.ROOT);
        byte[] key = new Base32().decode(normalized);
        if (key.length == 0) {
            throw new IllegalArgumentException("empty or non-Base32 TOTP seed");
        }
        return key;
    }
}
