package dev.awsonboard.slack.language;

import dev.awsonboard.lifecycle.port.People;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@link Languages} per reader: channels read the default; a person reads their own choice if
 * they made one, else their Slack locale when the bot speaks it, else the default. A choice or
 * locale that cannot be read right now falls back to the default; no message fails for it.
 */
public final class PersonLanguages implements Languages {
    private static final Logger log = LoggerFactory.getLogger(PersonLanguages.class);
    /** How long a person's Slack locale is believed before users.info is asked again. */
    public static final Duration LOCALE_TTL = Duration.ofHours(1);
    /** How long a failed users.info keeps the next try away. */
    static final Duration FAILURE_TTL = Duration.ofMinutes(1);
    /** How long a reader waits for a lookup of the same person that another reader started. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** People whose locale is remembered at most; about 100 bytes each. */
    static final int MAX_PEOPLE = 10_000;

    private final Texts fallback;
    private final LanguageChoices choices;
    private final SlackLocales locales;

    /**
     * @param fallback   the default language (config {@code defaultLanguage})
     * @param people     asked for a person's Slack locale (users.info with include_locale)
     * @param background where lookups run that an acknowledgement must not wait for
     */
    public PersonLanguages(Texts fallback, LanguageChoices choices, People people, Clock clock, Executor background) {
        this.fallback = fallback;
        this.choices = choices;
        this.locales = new SlackLocales(people, clock, LOCALE_TTL, FAILURE_TTL, MAX_WAIT, MAX_PEOPLE, background);
    }

    @Override
    public Texts forChannel() {
        return fallback;
    }

    @Override
    public Texts forUser(String userId) {
        return resolve(userId, locales::get);
    }

    @Override
    public Texts forUserAtOnce(String userId) {
        return resolve(userId, locales::peek);
    }

    @Override
    public Texts forUserWithin(String userId, Duration wait) {
        return resolve(userId, id -> locales.within(id, wait));
    }

    private Texts resolve(String userId, Function<String, Optional<String>> slackLocale) {
        if (userId == null || userId.isBlank()) {
            return fallback;
        }
        Optional<Locale> chosen = chosen(userId);
        if (chosen.isPresent()) {
            return Texts.of(chosen.get());
        }
        return slackLocale.apply(userId).flatMap(Texts::speaking).orElse(fallback);
    }

    /** @throws IllegalArgumentException for a language the bot does not speak */
    @Override
    public void choose(String userId, Optional<Locale> language) {
        choices.choose(userId, language.map(PersonLanguages::spoken));
    }

    @Override
    public Optional<Locale> chosen(String userId) {
        try {
            return choices.chosen(userId);
        } catch (RuntimeException e) {
            log.warn("could not read the language {} chose: {}", userId, e.getMessage());
            return Optional.empty();
        }
    }

    /** The same people; every locale they report is remembered, so the checks of a request warm the cache. */
    public People watching(People people) {
        return userId -> {
            Optional<People.Person> person = people.find(userId);
            person.ifPresent(p -> locales.remember(userId, p.locale()));
            return person;
        };
    }

    private static Locale spoken(Locale language) {
        // Texts.ENGLISH is the root locale: the English words are the base bundle.
        String tag = Locale.ROOT.equals(language) ? "en" : language.getLanguage();
        if (!Texts.spoken().contains(tag)) {
            throw new IllegalArgumentException("the bot speaks " + Texts.spoken() + ", not " + language);
        }
        return Locale.forLanguageTag(tag);
    }
}
