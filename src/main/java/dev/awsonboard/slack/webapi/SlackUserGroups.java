package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.lifecycle.port.UserGroups;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * {@link UserGroups} over {@code usergroups.users.list} (scope usergroups:read, Tier 2: about 20 calls a
 * minute, so the domain keeps what it read). A group that does not exist answers no_such_subteam.
 */
public final class SlackUserGroups implements UserGroups {
    private final MethodsClient slack;
    private final SlackCalls calls;

    private SlackUserGroups(MethodsClient slack, SlackCalls calls) {
        this.slack = slack;
        this.calls = calls;
    }

    /** The user groups behind {@code slack}, retried like every other call ({@code pause}, {@code onError} as in {@link SlackNotifier}). */
    public static SlackUserGroups over(MethodsClient slack, LongConsumer pause, BiConsumer<String, String> onError) {
        return new SlackUserGroups(slack, new SlackCalls(pause, onError));
    }

    @Override
    public List<String> members(String userGroupId) {
        List<String> users = calls.call("usergroups.users.list", () -> slack.usergroupsUsersList(r -> r.usergroup(userGroupId)))
                .getUsers();
        return users == null ? List.of() : List.copyOf(users);
    }
}
