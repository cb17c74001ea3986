package dev.awsonboard.fakes;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who and what exists in the fake workspace, and who may post where: the rules of conversation membership
 * and of DMs the Web API enforces. Errors are Slack's, per method page on docs.slack.dev
 * (mirrored in slack-ruby/slack-api-ref). Not thread-safe: {@link FakeSlack} calls it under its lock.
 */
final class SlackWorkspace {

    /** A channel, private channel, DM or group DM. */
    static final class Conversation {
        final String id;
        final SlackScopes.Kind kind;
        final Set<String> members = new LinkedHashSet<>();
        boolean archived;

        Conversation(String id, SlackScopes.Kind kind) {
            this.id = id;
            this.kind = kind;
        }

        /** The person at the other end of a DM, else null. */
        String imUser(String botUserId) {
            return kind == SlackScopes.Kind.IM ? members.stream().filter(m -> !m.equals(botUserId)).findFirst().orElse(null) : null;
        }
    }

    /** A refusal in Slack's words, e.g. {@code channel_not_found}. */
    static final class Refusal extends RuntimeException {
        Refusal(String error) {
            super(error, null, false, false);
        }
    }

    private final String botUserId;
    private final Map<String, SlackUser> users = new LinkedHashMap<>();
    private final Map<String, Conversation> conversations = new LinkedHashMap<>();

    SlackWorkspace(String botUserId, String botName) {
        this.botUserId = botUserId;
        SlackUser bot = new SlackUser(botUserId, botName);
        bot.bot = true;
        users.put(botUserId, bot);
    }

    // ------------------------------------------------------------------ people

    SlackUser addUser(String id, String name) {
        SlackUser u = new SlackUser(id, name);
        users.put(id, u);
        return u;
    }

    /** The registered user, or an IllegalArgumentException: set-up helpers name people that exist. */
    SlackUser user(String id) {
        SlackUser u = users.get(id);
        if (u == null) throw new IllegalArgumentException("no such user in the fake workspace: " + id + " (addUser first)");
        return u;
    }

    Optional<SlackUser> find(String id) {
        return Optional.ofNullable(users.get(id));
    }

    /** The member registered with this address, ignoring case; bots have none. */
    Optional<SlackUser> findByEmail(String email) {
        return users.values().stream().filter(u -> !u.bot && u.email.equalsIgnoreCase(email)).findFirst();
    }

    static boolean isUserId(String id) {
        return id.startsWith("U") || id.startsWith("W");
    }

    // ------------------------------------------------------------------ conversations

    /** A channel by id; new ids starting with G are private (legacy private channel ids), others public. */
    Conversation channel(String id) {
        if (id.startsWith("D") && !conversations.containsKey(id)) {
            throw new IllegalArgumentException(id + " looks like a DM: DMs come from conversations.open (or FakeSlack#openDm)");
        }
        return conversations.computeIfAbsent(id, k -> new Conversation(k,
                k.startsWith("G") ? SlackScopes.Kind.PRIVATE : SlackScopes.Kind.PUBLIC));
    }

    Conversation privateChannel(String id) {
        Conversation existing = conversations.get(id);
        if (existing != null && existing.kind != SlackScopes.Kind.PRIVATE) {
            throw new IllegalArgumentException(id + " already exists as a " + existing.kind + " conversation");
        }
        return conversations.computeIfAbsent(id, k -> new Conversation(k, SlackScopes.Kind.PRIVATE));
    }

    Optional<Conversation> conversation(String id) {
        return Optional.ofNullable(conversations.get(id));
    }

    /** The kind of conversation an id names, for scope checks; a user id or unknown id counts as its likely kind. */
    SlackScopes.Kind kindOf(String id) {
        Conversation c = id == null ? null : conversations.get(id);
        if (c != null) return c.kind;
        if (id != null && id.startsWith("D")) return SlackScopes.Kind.IM;
        if (id != null && id.startsWith("G")) return SlackScopes.Kind.PRIVATE;
        return SlackScopes.Kind.PUBLIC;
    }

    /**
     * conversations.open for these people. Slack's answers (docs.slack.dev/reference/methods/conversations.open):
     * {@code user_not_found} for an id that is no member, {@code user_not_visible} for a member the bot may not see,
     * {@code user_disabled} for a deactivated one, {@code too_many_users} past 8. A bot user gets
     * {@code cannot_dm_bot}: undocumented, but what Slack answers a bot token opening a DM with a bot
     * (Slack support, quoted in HubSpot/slack-client#90; also yokonsan/claude-in-slack-api#8).
     * DM ids are deterministic ({@code "D" + user}) so tests can name a DM before the bot opens it.
     */
    Conversation open(List<String> ids) {
        if (ids.size() > 8) throw new Refusal("too_many_users");
        for (String id : ids) {
            SlackUser u = users.get(id);
            if (u == null) throw new Refusal("user_not_found");
            if (u.hidden) throw new Refusal("user_not_visible");
            if (u.deleted) throw new Refusal("user_disabled");
            if (u.bot) throw new Refusal("cannot_dm_bot");
        }
        if (ids.size() == 1) return im(ids.get(0));
        Conversation mpim = conversations.computeIfAbsent("G" + String.join("", ids), k -> new Conversation(k, SlackScopes.Kind.MPIM));
        mpim.members.addAll(ids);
        mpim.members.add(botUserId);
        return mpim;
    }

    /** The bot's DM with a person, created on first use (a DM exists once either side opened it). */
    Conversation im(String userId) {
        Conversation c = conversations.computeIfAbsent("D" + userId, k -> new Conversation(k, SlackScopes.Kind.IM));
        c.members.add(userId);
        c.members.add(botUserId);
        return c;
    }

    /**
     * Where a chat.postMessage / chat.postEphemeral / files.completeUploadExternal to {@code id} lands, or Slack's
     * refusal (docs.slack.dev/reference/methods/chat.postMessage, errors {@code not_in_channel},
     * {@code channel_not_found}, {@code is_archived}): a public channel needs the bot as a member unless
     * {@code mayPostPublic} (chat:write.public, chat.postMessage only); a private one the bot is not in is
     * invisible to it, hence channel_not_found. A user id posts into the bot's DM with that person; a
     * deactivated person's DM still takes messages (python-slack-sdk#1156, answered by Slack staff).
     */
    Conversation postTarget(String id, boolean userIdsAllowed, boolean mayPostPublic) {
        if (isUserId(id)) {
            SlackUser u = users.get(id);
            if (!userIdsAllowed || u == null || u.bot || u.hidden) throw new Refusal("channel_not_found");
            return im(id);
        }
        Conversation c = conversations.get(id);
        if (c == null) throw new Refusal("channel_not_found");
        if (!c.members.contains(botUserId)) {
            if (c.kind != SlackScopes.Kind.PUBLIC) throw new Refusal("channel_not_found");
            if (!mayPostPublic) throw new Refusal("not_in_channel");
        }
        if (c.archived) throw new Refusal("is_archived");
        return c;
    }

    /** A conversation the bot can see (conversations.info, chat.update, chat.getPermalink, ...): public or joined. */
    Conversation visible(String id) {
        Conversation c = conversations.get(id);
        if (c == null || (c.kind != SlackScopes.Kind.PUBLIC && !c.members.contains(botUserId))) {
            throw new Refusal("channel_not_found");
        }
        return c;
    }
}
