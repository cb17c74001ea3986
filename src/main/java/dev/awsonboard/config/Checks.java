package dev.awsonboard.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a valid setting looks like (Slack ids, IAM names, URLs), and the line an operator reads when
 * one is not: it names the setting as they wrote it and says what was expected, never a password.
 * Each check hands the value back, so the loader reads as a list of settings.
 */
final class Checks {
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern IAM_PATH = Pattern.compile("/([\\x21-\\x7E]{0,510}/)?");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    /** A value and the name of the setting it came from (an environment variable or a YAML key). */
    record Sourced<T>(T value, String name) {
    }

    private final Problems problems;

    Checks(Problems problems) {
        this.problems = problems;
    }

    void appToken(Secret token) {
        if (!token.reveal().startsWith("xapp-")) {
            problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens, scope connections:write).");
        }
    }

    String databaseUrl(String url) {
        if (!url.startsWith("jdbc:")) {
            problems.add("DATABASE_URL must be a JDBC URL such as jdbc:sqlite:./data/aws-onboard.db or jdbc:postgresql://host/db, got: "
                    + ConfigLoader.redactUrl(url));
        }
        return url;
    }

    /** The valid Slack user ids of {@code raw}; each invalid one is a problem of its own. */
    Set<String> userIds(String what, List<String> raw) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : raw) {
            if (SLACK_USER_ID.matcher(id).matches()) {
                ids.add(id);
            } else {
                problems.add(what + ": '" + id + "' is not a Slack user ID (like U012ABCDEF; find it in the profile menu, Copy member ID).");
            }
        }
        return ids;
    }

    String channel(Sourced<String> c) {
        if (!SLACK_CHANNEL_ID.matcher(c.value()).matches()) {
            problems.add(c.name() + " must be a channel ID like C012ABCDEF (not a #name; channel details > bottom), got: " + c.value());
        }
        return c.value();
    }

    List<String> groups(String what, List<String> raw) {
        for (String g : raw) {
            if (!GROUP_NAME.matcher(g).matches()) {
                problems.add(what + ": '" + g + "' is not a valid IAM group name (1-128 of letters, digits and +=,.@_-).");
            }
        }
        return raw;
    }

    String iamPath(String path) {
        if (!IAM_PATH.matcher(path).matches()) {
            problems.add("iamPath must start and end with / (e.g. /onboarded/), got: " + path);
        }
        return path;
    }

    String permissionsBoundary(String arn) {
        if (!arn.startsWith("arn:")) {
            problems.add("permissionsBoundary must be a policy ARN, got: " + arn);
        }
        return arn;
    }

    /** One of the {@code tags}; IAM allows an empty value. */
    void tag(String key, String value) {
        if (key.isEmpty() || key.length() > 128 || value.length() > 256 || key.startsWith("aws:")) {
            problems.add("tags: '" + key + "' is not a valid IAM tag (key 1-128 chars, value <= 256, no aws: prefix).");
        }
    }

    String httpsUrl(Sourced<String> url) {
        if (!url.value().startsWith("https://")) {
            problems.add(url.name() + " must be an https:// URL, got: " + url.value());
        }
        return url.value();
    }
}
