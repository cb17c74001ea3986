package dev.awsonboard.slack.language;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Languages} keeping people's choices in memory: English unless they chose otherwise. */
public final class InMemoryLanguages implements Languages {
    private final Map<String, Locale> chosen = new ConcurrentHashMap<>();

    @Override
    public Texts forChannel() {
        return Texts.english();
    }

    @Override
    public Texts forUser(String userId) {
        return chosen(userId).map(Texts::of).orElse(Texts.english());
    }

    @Override
    public void choose(String userId, Optional<Locale> language) {
        language.ifPresentOrElse(l -> chosen.put(userId, l), () -> chosen.remove(userId));
    }

    @Override
    public Optional<Locale> chosen(String userId) {
        return Optional.ofNullable(chosen.get(userId));
    }
}
