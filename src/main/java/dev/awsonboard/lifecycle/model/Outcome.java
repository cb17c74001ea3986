package dev.awsonboard.lifecycle.model;

/** What a use case tells the person who acted: a {@link Notice}, never words and never secrets. */
public sealed interface Outcome<T> {

    static <T> Outcome<T> done(T value, Notice notice) {
        return new Done<>(value, notice);
    }

    static <T> Outcome<T> refused(Notice notice) {
        return new Refused<>(notice);
    }

    static <T> Outcome<T> refused(Reason reason, Object... namesAndValues) {
        return new Refused<>(Notice.of(reason, namesAndValues));
    }

    Notice notice();

    default boolean isDone() {
        return this instanceof Done;
    }

    /** The action happened. */
    record Done<T>(T value, Notice notice) implements Outcome<T> {
    }

    /** Nothing changed; {@code notice} says why. */
    record Refused<T>(Notice notice) implements Outcome<T> {
    }
}
