package dev.awsonboard.config;

import java.util.Objects;

/**
 * A value that must never reach a log, an exception message or the database. Its
 * {@code toString()} is a mask, so accidental string concatenation cannot leak it.
 */
public final class Secret {
    public static final String MASK = "*****";
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "secret value");
    }

    public static Secret of(String value) {
        return new Secret(value);
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
