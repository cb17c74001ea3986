package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.PasswordPolicy;

import dev.awsonboard.config.Secret;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordGeneratorTest {
    private static final String ALLOWED = PasswordGenerator.UPPER + PasswordGenerator.LOWER
            + PasswordGenerator.DIGITS + PasswordGenerator.SYMBOLS;

    private final PasswordGenerator generator = new PasswordGenerator();

    @Test
    void everyPasswordSatisfiesAStrictPolicy() {
        PasswordPolicy strict = new PasswordPolicy(14, true, true, true, true);
        for (int i = 0; i < 2000; i++) {
            assertSatisfies(generator.generate(strict).reveal(), strict);
        }
    }

    @Test
    void passwordIsTwentyCharactersWhenThePolicyAsksForLess() {
        PasswordPolicy lax = new PasswordPolicy(6, false, false, false, false);
        for (int i = 0; i < 200; i++) {
            String password = generator.generate(lax).reveal();
            assertThat(password).hasSize(20);
            // Still all four classes, so a policy tightened later accepts it too.
            assertSatisfies(password, PasswordPolicy.AWS_DEFAULT);
        }
        assertThat(generator.generate(PasswordPolicy.AWS_DEFAULT).reveal()).hasSize(20);
    }

    @Test
    void passwordFollowsALongPolicyMinimum() {
        PasswordPolicy longPolicy = new PasswordPolicy(99, true, true, true, true);
        for (int i = 0; i < 500; i++) {
            String password = generator.generate(longPolicy).reveal();
            assertThat(password).hasSize(99);
            assertSatisfies(password, longPolicy);
        }
    }

    @Test
    void passwordNeverExceedsTheIamMaximumOf128() {
        assertThat(generator.generate(new PasswordPolicy(128, true, true, true, true)).reveal()).hasSize(128);
        assertThat(generator.generate(new PasswordPolicy(500, true, true, true, true)).reveal()).hasSize(128);
    }

    @Test
    void thousandPasswordsAreAllDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(generator.generate(PasswordPolicy.AWS_DEFAULT).reveal());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void generatedPasswordIsMaskedWhenPrinted() {
        Secret password = generator.apply(PasswordPolicy.AWS_DEFAULT);

        assertThat(password.toString()).isEqualTo(Secret.MASK);
        assertThat(String.valueOf(password)).doesNotContain(password.reveal());
    }

    @Test
    void guaranteedCharactersAreNotAlwaysAtTheStart() {
        // Without the shuffle the first character would always be upper case.
        Set<Character> firstClasses = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            firstClasses.add(classOf(generator.generate(PasswordPolicy.AWS_DEFAULT).reveal().charAt(0)));
        }
        assertThat(firstClasses).contains('U', 'L', 'D', 'S');
    }

    private static char classOf(char c) {
        if (PasswordGenerator.UPPER.indexOf(c) >= 0) return 'U';
        if (PasswordGenerator.LOWER.indexOf(c) >= 0) return 'L';
        if (PasswordGenerator.DIGITS.indexOf(c) >= 0) return 'D';
        return 'S';
    }

    private static void assertSatisfies(String password, PasswordPolicy policy) {
        assertThat(password.length()).isGreaterThanOrEqualTo(policy.minimumLength()).isLessThanOrEqualTo(128);
        assertThat(password.chars().allMatch(c -> ALLOWED.indexOf(c) >= 0)).as("only IAM-accepted characters").isTrue();
        if (policy.requireUppercase()) {
            assertThat(password.chars().anyMatch(c -> PasswordGenerator.UPPER.indexOf(c) >= 0)).as("upper case").isTrue();
        }
        if (policy.requireLowercase()) {
            assertThat(password.chars().anyMatch(c -> PasswordGenerator.LOWER.indexOf(c) >= 0)).as("lower case").isTrue();
        }
        if (policy.requireNumbers()) {
            assertThat(password.chars().anyMatch(c -> PasswordGenerator.DIGITS.indexOf(c) >= 0)).as("digit").isTrue();
        }
        if (policy.requireSymbols()) {
            assertThat(password.chars().anyMatch(c -> PasswordGenerator.SYMBOLS.indexOf(c) >= 0)).as("symbol").isTrue();
        }
    }
}
