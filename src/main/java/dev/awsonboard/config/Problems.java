package dev.awsonboard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every problem found while loading the configuration, in the order found: the start fails once,
 * with all of them, so an operator fixes them in one go.
 */
final class Problems {
    private final List<String> lines = new ArrayList<>();

    /** One line an operator reads: names the setting as they wrote it, never a secret's value. */
    void add(String line) {
        lines.add(line);
    }

    /** Fails with every problem, each once (AWS_ENDPOINT_URL feeds two endpoints; its mistake is still one line). */
    void throwIfAny() {
        if (!lines.isEmpty()) {
            throw new ConfigException(lines.stream().distinct().toList());
        }
    }
}
