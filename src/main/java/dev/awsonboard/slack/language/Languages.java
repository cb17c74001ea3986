package dev.awsonboard.slack.language;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Which language each reader gets. Channels read the workspace default; a person reads their own
 * choice if they made one (App Home), else their Slack locale, else the default.
 *
 * <p>Finding a person's Slack locale may ask Slack, so there are three ways to ask: {@link #forUser}
 * after the acknowledgement, {@link #forUserAtOnce} inside it (no remote call) and
 * {@link #forUserWithin} where a trigger id is about to expire.
 */
public interface Languages {

    Texts forChannel();

    /** The person's language; may ask Slack, so call it after the acknowledgement. */
    Texts forUser(String userId);

    /**
     * The person's language as far as it is known without a remote call (their choice, or a
     * locale seen before), else the default. For texts that go into an acknowledgement.
     */
    default Texts forUserAtOnce(String userId) {
        return forUser(userId);
    }

    /** Like {@link #forUser}, but waits for Slack at most {@code wait}, then settles for what is known. */
    default Texts forUserWithin(String userId, Duration wait) {
        return forUser(userId);
    }

    /** Records a person's own choice of language, overriding their Slack locale; empty forgets it. */
    default void choose(String userId, Optional<Locale> language) {
        throw new UnsupportedOperationException("this Languages keeps no choices");
    }

    /** What the person chose themselves, if anything. */
    default Optional<Locale> chosen(String userId) {
        return Optional.empty();
    }

    /** Everyone reads the same language. */
    static Languages fixed(Texts texts) {
        return new Languages() {
            @Override
            public Texts forChannel() {
                return texts;
            }

            @Override
            public Texts forUser(String userId) {
                return texts;
            }
        };
    }
}
