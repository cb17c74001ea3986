package dev.awsonboard.onboarding;

/** What a use case tells the person who acted. Messages are plain sentences, never secrets. */
public sealed interface Outcome<T> {

    static <T> Outcome<T> done(T value, String message) {
        return new Done<>(value, message);
    }

    static <T> Outcome<T> refused(String message) {
        return new Refused<>(message);
    }

    String message();

    default boolean isDone() {
        return this instanceof Done;
    }

    /** The action happened. */
    record Done<T>(T value, String message) implements Outcome<T> {
    }

    /** Nothing changed; {@code message} says why. */
    record Refused<T>(String message) implements Outcome<T> {
    }
}
