package dev.awsonboard.slack;

import java.util.Locale;
import java.util.Optional;

/**
 * Which language each reader gets. Channels read the workspace default; a person reads their own
 * choice if they made one (App Home), else their Slack locale, else the default.
 */
public interface Languages {

    Texts forChannel();

    Texts forUser(String userId);

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
