package dev.awsonboard.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * A value that must never reach a log, an exception message or the database. Its
 * {@code toString()} is a mask, so accidental string concatenation cannot leak it.
 */
public final class Secret {
    public static final String MASK = "*****";
    /** Shorter values would mask ordinary words by accident. */
    private static final int MASKED_FROM = 6;
    /**
     * Every secret still in use, so {@link #maskAll} can take them out of text that is about to be
     * kept (an audit entry): weak, so a password leaves this set when it leaves the process's hands.
     */
    private static final Map<Secret, Boolean> LIVE = Collections.synchronizedMap(new WeakHashMap<>());
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret value");
    }

    public static Secret of(String value) {
        Secret secret = new Secret(value);
        if (value.length() >= MASKED_FROM) {
            LIVE.put(secret, Boolean.TRUE);
        }
        return secret;
    }

    /** {@code text} with every secret value still in use replaced by the mask. */
    public static String maskAll(String text) {
        if (text == null || text.length() < MASKED_FROM) {
            return text;
        }
        List<String> values;
        synchronized (LIVE) {
            values = new ArrayList<>(LIVE.size());
            LIVE.keySet().forEach(s -> values.add(s.value));
        }
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /** The plain value; call only where the value must leave the process (an API call). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
