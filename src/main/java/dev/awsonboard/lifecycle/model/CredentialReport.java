package dev.awsonboard.lifecycle.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * IAM's credential report: every IAM user of the account with the state of its credentials, in
 * one read for the whole account (IAM makes a new one at most every four hours). The root
 * account's row is not here: the bot manages IAM users.
 *
 * @param generated when IAM made the report (IAM's clock)
 */
public record CredentialReport(Instant generated, List<User> users) {

    public CredentialReport {
        users = List.copyOf(users);
    }

    /**
     * One IAM user's row.
     *
     * @param passwordLastUsed when the console password was last used to sign in; empty when never (or unknown)
     * @param accessKeys       the user's active access keys (at most two)
     */
    public record User(String name, String arn, Instant created, boolean passwordEnabled, Optional<Instant> passwordLastUsed,
                       boolean mfaActive, List<AccessKey> accessKeys) {
        public User {
            accessKeys = List.copyOf(accessKeys);
        }

        /** The path the user was made under, read from its ARN. */
        public String path() {
            return pathOf(arn);
        }

        /** A console password and no MFA device: what AWS Security Hub flags (IAM.5). */
        public boolean consoleWithoutMfa() {
            return passwordEnabled && !mfaActive;
        }
    }

    /** The path in a user's ARN: {@code arn:aws:iam::123456789012:user/people/alice} is under /people/; "/" if none. */
    public static String pathOf(String userArn) {
        int user = userArn == null ? -1 : userArn.indexOf(":user/");
        if (user < 0) {
            return "/";
        }
        String resource = userArn.substring(user + ":user".length());
        return resource.substring(0, resource.lastIndexOf('/') + 1);
    }

    /**
     * An active access key.
     *
     * @param lastRotated when it was made (or last rotated)
     * @param lastUsed    when it last signed a request; empty when never
     */
    public record AccessKey(Instant lastRotated, Optional<Instant> lastUsed) {
    }
}
