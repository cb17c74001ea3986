package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One member of the fake workspace, rendered as Slack's user object (field names from
 * slack-samples/api/users.info.json). Mutable set-up state; {@link FakeSlack} guards it with its lock.
 */
final class SlackUser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("zzzz", Locale.ENGLISH);

    final String id;
    final String name;
    boolean deleted;
    boolean bot;
    /** Multi-channel guest (is_restricted) or, with {@link #ultraRestricted}, single-channel guest. */
    boolean restricted;
    boolean ultraRestricted;
    /** The bot may not see this person (e.g. another org's member): users.info and conversations.open refuse. */
    boolean hidden;
    /** The registered address users.lookupByEmail finds them by (default name@example.com). */
    String email;
    String locale = "en-US";
    ZoneId zone = ZoneId.of("Europe/London");

    SlackUser(String id, String name) {
        this.id = id;
        this.name = name;
        this.email = name + "@example.com";
    }

    String realName() {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /**
     * users.info's {@code user}: {@code locale} only when asked for with include_locale=true, the e-mail only
     * with users:read.email (docs.slack.dev/reference/methods/users.info and .../scopes/users.read.email);
     * tz_offset and tz_label as they are at {@code now} (summer time included).
     */
    ObjectNode toJson(String teamId, String appId, String botId, Instant now, boolean withLocale, boolean withEmail) {
        ObjectNode profile = NODES.objectNode()
                .put("real_name", realName())
                .put("real_name_normalized", realName())
                .put("display_name", name)
                .put("display_name_normalized", name)
                .put("status_text", "")
                .put("status_emoji", "")
                .put("team", teamId)
                .put("image_72", "https://example.com/" + id + ".png");
        if (withEmail && !bot) profile.put("email", email);
        if (bot) {
            profile.put("bot_id", botId).put("api_app_id", appId).put("always_active", true);
        }
        ObjectNode user = NODES.objectNode()
                .put("id", id)
                .put("team_id", teamId)
                .put("name", name)
                .put("deleted", deleted)
                .put("color", "9f69e7")
                .put("real_name", realName())
                .put("tz", zone.getId())
                .put("tz_label", ZONE_NAME.format(now.atZone(zone)))
                .put("tz_offset", zone.getRules().getOffset(now).getTotalSeconds())
                .put("is_admin", false)
                .put("is_owner", false)
                .put("is_primary_owner", false)
                .put("is_restricted", restricted)
                .put("is_ultra_restricted", ultraRestricted)
                .put("is_bot", bot)
                .put("is_app_user", false)
                .put("updated", 1700000000L)
                .put("has_2fa", false);
        if (withLocale) user.put("locale", locale);
        user.set("profile", profile);
        return user;
    }
}
