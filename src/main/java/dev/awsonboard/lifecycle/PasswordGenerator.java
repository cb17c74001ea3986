package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.PasswordPolicy;

import dev.awsonboard.config.Secret;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Generates the first console password of a new IAM user. The person must change it at
 * first sign-in, but until then it guards the account, so it comes from
 * {@link SecureRandom} and always satisfies the account password policy.
 *
 * <p>Every password holds at least one upper-case letter, lower-case letter, digit and
 * symbol whatever the policy asks, so it also passes a policy tightened later, and it is
 * at least {@value #MIN_LENGTH} characters long (about 127 bits from this alphabet).
 */
public final class PasswordGenerator implements Function<PasswordPolicy, Secret> {
    /** The symbols IAM accepts in a password. */
    public static final String SYMBOLS = "!@#$%^&*()_+-=[]{}|'";
    public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    public static final String DIGITS = "0123456789";
    public static final int MIN_LENGTH = 20;
    /** IAM rejects passwords longer than this. */
    public static final int MAX_LENGTH = 128;

    private static final String ALL = UPPER + LOWER + DIGITS + SYMBOLS;

    private final SecureRandom random;

    public PasswordGenerator() {
        this(new SecureRandom());
    }

    public PasswordGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A fresh password of max(policy minimum, {@value #MIN_LENGTH}) characters, at most {@value #MAX_LENGTH}. */
    public Secret generate(PasswordPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        int length = Math.min(MAX_LENGTH, Math.max(policy.minimumLength(), MIN_LENGTH));
        char[] chars = new char[length];
        // One of each class first, so the policy's "require" flags hold whatever is drawn next.
        chars[0] = pick(UPPER);
        chars[1] = pick(LOWER);
        chars[2] = pick(DIGITS);
        chars[3] = pick(SYMBOLS);
        for (int i = 4; i < length; i++) {
            chars[i] = pick(ALL);
        }
        // Fisher-Yates, so the guaranteed characters are not at predictable positions.
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            char t = chars[i];
            chars[i] = chars[j];
            chars[j] = t;
        }
        String password = new String(chars);
        Arrays.fill(chars, '\0');
        return Secret.of(password);
    }

    @Override
    public Secret apply(PasswordPolicy policy) {
        return generate(policy);
    }

    private char pick(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
