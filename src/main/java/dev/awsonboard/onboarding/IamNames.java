package dev.awsonboard.onboarding;

import java.util.Optional;
import java.util.regex.Pattern;

/** IAM's naming rules, checked before any AWS call so bad input never reaches the account. */
public final class IamNames {
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private IamNames() {
    }

    /** Empty when valid, else a sentence saying what is wrong. */
    public static Optional<String> userNameProblem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("Give an IAM user name.");
        }
        if (name.length() > 64) {
            return Optional.of("IAM user names are at most 64 characters; this one has " + name.length() + ".");
        }
        if (!USER_NAME.matcher(name).matches()) {
            return Optional.of("IAM user names may only use letters, digits and + = , . @ _ - (no spaces).");
        }
        return Optional.empty();
    }

    public static boolean isValidGroupName(String name) {
        return name != null && GROUP_NAME.matcher(name).matches();
    }
}
