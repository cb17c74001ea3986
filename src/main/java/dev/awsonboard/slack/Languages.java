package dev.awsonboard.slack;

/**
 * Which language each reader gets. Channels read the workspace default; a person reads theirs.
 */
public interface Languages {

    Texts forChannel();

    Texts forUser(String userId);

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
