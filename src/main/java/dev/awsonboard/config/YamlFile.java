package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The optional YAML file named by {@code ONBOARD_CONFIG}, read as typed settings: each getter
 * reports a value of the wrong kind under the key as the operator wrote it, and answers empty
 * (or the fallback) for it. A key that is absent or empty ({@code key:}) counts as not set.
 */
final class YamlFile {
    private final JsonNode root;
    private final Problems problems;

    private YamlFile(JsonNode root, Problems problems) {
        this.root = root;
        this.problems = problems;
    }

    /** The file at {@code file}, if named; an unreadable file, a non-mapping, unknown or repeated keys are problems. */
    static YamlFile read(Optional<String> file, Set<String> knownKeys, Problems problems) {
        YamlFile none = new YamlFile(JsonNodeFactory.instance.objectNode(), problems);
        if (file.isEmpty()) {
            return none;
        }
        Path path = Path.of(file.get());
        YamlTree.Parsed parsed;
        try {
            parsed = YamlTree.read(Files.readString(path));
        } catch (IOException e) {
            problems.add("ONBOARD_CONFIG " + path + " cannot be read: " + e.getClass().getSimpleName() + " " + firstLine(e.getMessage()));
            return none;
        }
        JsonNode node = parsed.root();
        if (node.isNull()) {
            return none; // an empty file: every default
        }
        if (!node.isObject()) {
            problems.add("ONBOARD_CONFIG " + path + " must hold a YAML mapping (key: value lines), not " + YamlTree.kind(node) + ".");
            return none;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!knownKeys.contains(key)) {
                problems.add("ONBOARD_CONFIG " + path + ": unknown key '" + key + "' (known: " + String.join(", ", knownKeys) + ").");
            }
        }
        parsed.duplicateKeys().forEach(key ->
                problems.add("ONBOARD_CONFIG " + path + ": key '" + key + "' appears more than once."));
        return new YamlFile(node, problems);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The value under {@code key}, of whatever kind; empty when absent or empty. */
    Optional<JsonNode> present(String key) {
        JsonNode n = root.path(key);
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    Optional<String> string(String key) {
        return present(key).flatMap(n -> {
            if (!n.isTextual()) {
                problems.add(key + " must be a string, got " + YamlTree.kind(n) + ".");
                return Optional.empty();
            }
            return n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText().trim());
        });
    }

    /** A YAML list of strings, or one comma-separated string. */
    Optional<List<String>> stringList(String key) {
        return present(key).flatMap(n -> stringsOf(key, n));
    }

    /** {@code n}, a value that {@code key} names, as a list of strings (or one comma-separated string); empty if it is not. */
    Optional<List<String>> stringsOf(String key, JsonNode n) {
        if (n.isTextual()) {
            return Optional.of(csv(n.asText()));
        }
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    problems.add(key + " must be a list of strings, like [a, b]; one item is " + YamlTree.kind(e) + ".");
                    return Optional.empty();
                }
                out.add(e.asText().trim());
            }
            return Optional.of(out);
        }
        problems.add(key + " must be a list of strings, like [a, b]; got " + YamlTree.kind(n) + ".");
        return Optional.empty();
    }

    Optional<Boolean> bool(String key) {
        return present(key).flatMap(n -> {
            if (!n.isBoolean()) {
                problems.add(key + " must be true or false, got " + YamlTree.kind(n) + ".");
                return Optional.empty();
            }
            return Optional.of(n.booleanValue());
        });
    }

    /** A positive duration under {@code key} ({@code 24h}, {@code 30m}, {@code P7D}), else {@code fallback}. */
    Duration duration(String key, Duration fallback) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = parseDuration(raw.get());
        if (d.isEmpty()) {
            problems.add(key + " must be a positive duration like 24h, 30m or P7D, got: " + raw.get());
            return fallback;
        }
        return d.get();
    }

    /** A positive duration in {@code n}, a value inside a mapping or list that {@code key} names, else {@code fallback}. */
    Duration durationOf(String key, JsonNode n, Duration fallback) {
        if (!n.isTextual()) {
            problems.add(key + " must be a duration like 24h, 30m or P7D, got " + YamlTree.kind(n) + ".");
            return fallback;
        }
        Optional<Duration> d = parseDuration(n.asText().trim());
        if (d.isEmpty()) {
            problems.add(key + " must be a positive duration like 24h, 30m or P7D, got: " + n.asText());
            return fallback;
        }
        return d.get();
    }

    private static Optional<Duration> parseDuration(String raw) {
        try {
            String r = raw.toUpperCase(java.util.Locale.ROOT);
            Duration d = Duration.parse(r.startsWith("P") ? r : r.endsWith("D") ? "P" + r : "PT" + r);
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Comma-separated values, as a YAML string or an environment variable may list them. */
    static List<String> csv(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
