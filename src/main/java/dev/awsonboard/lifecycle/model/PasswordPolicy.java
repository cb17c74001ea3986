package dev.awsonboard.lifecycle.model;

/**
 * The account password policy: what a generated password must satisfy, and whether IAM users
 * may change their own password (without it, a user whose password must be reset at first
 * sign-in needs iam:ChangePassword from a policy, or cannot sign in).
 */
public record PasswordPolicy(int minimumLength, boolean requireSymbols, boolean requireNumbers,
                             boolean requireUppercase, boolean requireLowercase, boolean allowUsersToChangePassword) {

    public PasswordPolicy(int minimumLength, boolean requireSymbols, boolean requireNumbers,
                          boolean requireUppercase, boolean requireLowercase) {
        this(minimumLength, requireSymbols, requireNumbers, requireUppercase, requireLowercase, false);
    }

    /**
     * What IAM enforces when the account has no policy: 8 characters, 3 of 4 classes, and users
     * may not change their own password unless a policy grants iam:ChangePassword.
     */
    public static final PasswordPolicy AWS_DEFAULT = new PasswordPolicy(8, true, true, true, true, false);
}
