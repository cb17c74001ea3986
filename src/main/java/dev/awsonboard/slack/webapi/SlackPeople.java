package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import com.slack.api.model.User;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.People;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/** {@link People} over {@code users.info} (scope users:read). */
public final class SlackPeople implements People {
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
        if (u == null) {
            return Optional.empty();
        }
        // Slackbot is a bot though Slack does not flag it as one.
        boolean bot = u.isBot() || u.isAppUser() || "USLACKBOT".equals(u.getId());
        return Optional.of(new Person(u.getId(), u.isDeleted(), bot, u.isRestricted() || u.isUltraRestricted(),
                u.getLocale() == null ? "" : u.getLocale(), u.getTz() == null ? "" : u.getTz()));
    }
}
