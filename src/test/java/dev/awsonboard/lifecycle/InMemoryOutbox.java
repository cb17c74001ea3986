package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.Outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Outbox} in memory, for use-case tests that need no database; held to the JDBC outbox's
 * contract (the store tests' {@code OutboxContract}). The in-memory request store records a
 * request's effects here under its own lock, as the JDBC store does in its transaction.
 */
public final class InMemoryOutbox implements Outbox {
    private final Map<String, List<Entry>> bySubject = new LinkedHashMap<>();

    @Override
    public synchronized void owe(String subject, List<Owed> owed, Instant now) {
        List<Entry> entries = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        for (Owed o : owed) {
            long seq = entries.stream().mapToLong(Entry::seq).max().orElse(0) + 1;
            entries.add(new Entry(subject, seq, o.effect(), o.target(), o.detail(), now, 0, now));
        }
    }

    @Override
    public synchronized List<Entry> owedBy(String subject) {
        return List.copyOf(bySubject.getOrDefault(subject, List.of()));
    }

    @Override
    public synchronized List<String> due(Instant now, int limit) {
        return bySubject.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(x -> !x.dueAt().isAfter(now)))
                .sorted(Comparator.comparing((Map.Entry<String, List<Entry>> e) ->
                        e.getValue().stream().map(Entry::recordedAt).min(Comparator.naturalOrder()).orElseThrow())
                        .thenComparing(Map.Entry::getKey))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized void settled(Entry entry) {
        List<Entry> entries = bySubject.get(entry.subject());
        if (entries != null) {
            entries.removeIf(e -> same(e, entry));
            if (entries.isEmpty()) {
                bySubject.remove(entry.subject());
            }
        }
    }

    @Override
    public synchronized void failed(Entry entry, String code, Instant retryAt) {
        List<Entry> entries = bySubject.get(entry.subject());
        if (entries == null) {
            return;
        }
        entries.replaceAll(e -> same(e, entry) ? new Entry(e.subject(), e.seq(), e.effect(), e.target(), e.detail(),
                e.recordedAt(), e.attempts() + 1, retryAt) : e);
    }

    @Override
    public synchronized long count(Effect effect) {
        return bySubject.values().stream().flatMap(List::stream).filter(e -> e.effect() == effect).count();
    }

    /** Everything owed, by every subject (tests' invariants). */
    public synchronized List<Entry> all() {
        return bySubject.values().stream().flatMap(List::stream).toList();
    }

    /** As the JDBC outbox: an entry is named by all that was written once, not by its seq alone. */
    private static boolean same(Entry a, Entry b) {
        return a.seq() == b.seq() && a.effect() == b.effect() && Objects.equals(a.recordedAt(), b.recordedAt());
    }
}
