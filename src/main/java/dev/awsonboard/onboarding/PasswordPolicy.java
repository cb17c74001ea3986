package dev.awsonboard.onboarding;

/** The parts of the account password policy a generated password must satisfy. */
public record PasswordPolicy(int minimumLength, boolean requireSymbols, boolean requireNumbers,
                             boolean requireUppercase, boolean requireLowercase) {

    /** What IAM enforces when the account has no policy: 8 characters, 3 of 4 classes. */
    public static final PasswordPolicy AWS_DEFAULT = new PasswordPolicy(8, true, true, true, true);
}
