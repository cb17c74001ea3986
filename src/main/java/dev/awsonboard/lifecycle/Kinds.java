package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.Kind;

import java.util.EnumMap;
import java.util.Map;

/** The table of request kinds: each {@link Kind} and the file that tells its story. */
final class Kinds {
    private final Map<Kind, RequestKind> byKind = new EnumMap<>(Kind.class);

    Kinds(RequestKind... kinds) {
        for (RequestKind k : kinds) {
            if (byKind.put(k.kind(), k) != null) {
                throw new IllegalArgumentException("two stories for " + k.kind());
            }
        }
        for (Kind k : Kind.values()) {
            if (!byKind.containsKey(k)) {
                throw new IllegalArgumentException("no story for " + k);
            }
        }
    }

    RequestKind of(Kind kind) {
        return byKind.get(kind);
    }
}
