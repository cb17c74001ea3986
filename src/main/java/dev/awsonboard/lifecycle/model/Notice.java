package dev.awsonboard.lifecycle.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Reason} with its arguments, each a plain value (an id, a name, a number, an enum
 * name). No words and no secrets: the Slack adapter renders it for the reader.
 */
public record Notice(Reason reason, Map<String, String> args) {

    public Notice {
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** {@code Notice.of(Reason.ALREADY_DECIDED_BY, "status", "DENIED", "approver", "U123")}. */
    public static Notice of(Reason reason, Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in name, value pairs");
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object value = namesAndValues[i + 1];
            args.put(String.valueOf(namesAndValues[i]), value instanceof Enum<?> e ? e.name() : String.valueOf(value));
        }
        return new Notice(reason, args);
    }

    public String arg(String name) {
        return args.getOrDefault(name, "");
    }
}
