package dev.awsonboard.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** A benchmark's {@code key=value} arguments. */
final class Args {
    private Args() {
    }

    /** Each argument's key and value, in order; anything else is refused. */
    static Map<String, String> keyValues(String[] args) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + a);
            }
            kv.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return kv;
    }
}
