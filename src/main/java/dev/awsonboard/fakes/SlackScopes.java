package dev.awsonboard.fakes;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bot-token scope each Web API method served by {@link FakeSlack} requires. Source: the
 * "Required scopes / Bot token" facts of each method's page on docs.slack.dev, as mirrored in
 * slack-ruby/slack-api-ref ({@code docs.slack.dev/methods/<method>.json}, field {@code scope.bot}).
 *
 * <p>The conversations methods list one scope per conversation type (e.g. conversations.info:
 * channels:read, groups:read, im:read, mpim:read); Slack asks for the one matching the conversation
 * at hand, so the table takes the {@link Kind} of the conversation named in the call.
 */
final class SlackScopes {

    /** What sort of conversation a call names; decides which of the per-type scopes is needed. */
    enum Kind { PUBLIC, PRIVATE, IM, MPIM }

    /** Methods whose bot scope does not depend on the conversation. Absent and not below: no scope needed. */
    private static final Map<String, String> FIXED = Map.ofEntries(
            Map.entry("chat.postMessage", "chat:write"),
            Map.entry("chat.update", "chat:write"),
            Map.entry("chat.delete", "chat:write"),
            Map.entry("chat.postEphemeral", "chat:write"),
            Map.entry("conversations.join", "channels:join"),
            Map.entry("users.info", "users:read"),
            Map.entry("users.lookupByEmail", "users:read.email"),
            Map.entry("files.getUploadURLExternal", "files:write"),
            Map.entry("files.completeUploadExternal", "files:write"),
            Map.entry("files.delete", "files:write"),
            Map.entry("files.info", "files:read"),
            Map.entry("usergroups.users.list", "usergroups:read"));

    /**
     * Methods documented without a scope (auth.test, views.*, chat.getPermalink, apps.connections.open);
     * listed so that a method the fake learns later cannot silently skip the check.
     */
    static final List<String> NO_SCOPE = List.of("auth.test", "apps.connections.open", "chat.getPermalink",
            "views.open", "views.push", "views.update", "views.publish");

    private SlackScopes() {
    }

    /**
     * The scope {@code method} needs, or empty if none.
     *
     * @param kind the kind of conversation the call names (conversations.* only); PUBLIC when unknown
     * @param users how many users a conversations.open call names (0 when it names a channel)
     */
    static Optional<String> needed(String method, Kind kind, int users) {
        String fixed = FIXED.get(method);
        if (fixed != null) return Optional.of(fixed);
        return switch (method) {
            // conversations.open: im:write for a 1:1 DM, mpim:write for a group DM.
            case "conversations.open" -> Optional.of(users > 1 ? "mpim:write" : "im:write");
            case "conversations.info", "conversations.members" -> Optional.of(switch (kind) {
                case PUBLIC -> "channels:read";
                case PRIVATE -> "groups:read";
                case IM -> "im:read";
                case MPIM -> "mpim:read";
            });
            default -> {
                if (!NO_SCOPE.contains(method)) {
                    throw new IllegalStateException("FakeSlack serves " + method + " but SlackScopes does not know its scope");
                }
                yield Optional.empty();
            }
        };
    }
}
