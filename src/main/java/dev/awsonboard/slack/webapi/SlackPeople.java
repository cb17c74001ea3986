package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import com.slack.api.model.User;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;
import dev.awsonboard.lifecycle.port.PeopleByEmail;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/** {@link People} over {@code users.info} (scope users:read); {@link PeopleByEmail} over {@code users.lookupByEmail} (users:read.email). */
public final class SlackPeople implements People, PeopleByEmail {
    private final MethodsClient slack;
    private final SlackCalls calls;

    SlackPeople(MethodsClient slack, SlackCalls calls) {
        this.slack = slack;
        this.calls = calls;
    }

    /** The people behind {@code slack}, retried like every other call ({@code pause}, {@code onError} as in {@link SlackNotifier}). */
    public static SlackPeople over(MethodsClient slack, LongConsumer pause, BiConsumer<String, String> onError) {
        return new SlackPeople(slack, new SlackCalls(pause, onError));
    }

    @Override
    public Optional<Person> find(String userId) {
        User u;
        try {
            u = calls.call("users.info", () -> slack.usersInfo(r -> r.user(userId).includeLocale(true))).getUser();
        } catch (NotifierException e) {
            if ("user_not_found".equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
        return person(u);
    }

    @Override
    public Optional<Person> withEmail(String email) {
        User u;
        try {
            u = calls.call("users.lookupByEmail", () -> slack.usersLookupByEmail(r -> r.email(email))).getUser();
        } catch (NotifierException e) {
            // users_not_found today; user_not_found in older documentation.
            if ("users_not_found".equals(e.code()) || "user_not_found".equals(e.code())) {
                return Optional.empty();
            }
            throw e;
        }
        return person(u);
    }

    private static Optional<Person> person(User u) {
        if (u == null) {
            return Optional.empty();
        }
        // Slackbot is a bot though Slack does not flag it as one.
        boolean bot = u.isBot() || u.isAppUser() || "USLACKBOT".equals(u.getId());
        return Optional.of(new Person(u.getId(), u.isDeleted(), bot, u.isRestricted() || u.isUltraRestricted(),
                u.getLocale() == null ? "" : u.getLocale(), u.getTz() == null ? "" : u.getTz()));
    }
}
