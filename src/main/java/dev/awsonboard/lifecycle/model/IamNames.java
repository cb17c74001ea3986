package dev.awsonboard.lifecycle.model;

import java.util.Optional;
import java.util.regex.Pattern;

/** IAM's naming rules, checked before any AWS call so bad input never reaches the account. */
public final class IamNames {
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private IamNames() {
    }

    /** Empty when valid, else what is wrong. */
    public static Optional<Notice> userNameProblem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(Notice.of(Reason.USER_NAME_MISSING));
        }
        if (name.length() > 64) {
            return Optional.of(Notice.of(Reason.USER_NAME_TOO_LONG, "length", name.length()));
        }
        if (!USER_NAME.matcher(name).matches()) {
            return Optional.of(Notice.of(Reason.USER_NAME_BAD_CHARACTERS));
        }
        return Optional.empty();
    }

    public static boolean isValidGroupName(String name) {
        return name != null && GROUP_NAME.matcher(name).matches();
    }
}
