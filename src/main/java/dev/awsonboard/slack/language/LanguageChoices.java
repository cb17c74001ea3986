package dev.awsonboard.slack.language;

import java.util.Locale;
import java.util.Optional;

/**
 * Where the languages people chose for themselves are kept, so the choice outlives a restart and
 * every replica sees it. Only the languages the bot speaks ({@link Texts#spoken}) are kept.
 */
public interface LanguageChoices {

    /** The language the person chose, if they chose one. */
    Optional<Locale> chosen(String slackUserId);

    /** Keeps the person's choice; empty forgets it, so their Slack locale decides again. */
    void choose(String slackUserId, Optional<Locale> language);
}
