package dev.awsonboard.lifecycle.port;

import java.util.Optional;

/**
 * The workspace's people, as the chat service knows them. Failures to ask throw
 * {@link NotifierException}.
 */
public interface People {

    /** What the workspace says of this user id; empty when it knows no such user. */
    Optional<Person> find(String userId);

    /**
     * @param deactivated the account was deactivated (the person left)
     * @param bot         an app or bot user, not a person
     * @param guest       a single- or multi-channel guest
     * @param locale      the person's Slack locale, like "ja-JP" or "en-US"; empty when unknown
     * @param timeZone    the person's IANA time zone, like "Asia/Tokyo"; empty when unknown
     */
    record Person(String id, boolean deactivated, boolean bot, boolean guest, String locale, String timeZone) {
        public Person(String id, boolean deactivated, boolean bot, boolean guest) {
            this(id, deactivated, bot, guest, "", "");
        }
    }
}
