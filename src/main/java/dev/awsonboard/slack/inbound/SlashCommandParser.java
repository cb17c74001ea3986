package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.util.SlackRequestParser;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A slash command read in one pass over its form into the {@link SlashCommandRequest} Bolt 1.51's
 * {@link SlackRequestParser} builds: Bolt splits and decodes a form with regular expressions three times
 * over (looking for a {@code payload}, for a {@code command}, then for the fields), a tenth of an
 * acknowledgement's CPU. Null for anything not read here exactly as Bolt would read it (no command, a
 * {@code payload} or {@code ssl_check}, a name twice, a pair Bolt splits its own way, a bad escape): the
 * caller hands that to Bolt.
 */
final class SlashCommandParser {
    private static final String FORM = "application/x-www-form-urlencoded";
    private final AppConfig config;

    SlashCommandParser(AppConfig config) {
        this.config = config;
    }

    SlashCommandRequest parse(SlackRequestParser.HttpRequest http) {
        String type = http.getHeaders().getFirstValue("Content-Type");
        if (http.isSocketMode() || type == null || !type.regionMatches(true, 0, FORM, 0, FORM.length())) {
            return null;
        }
        Map<String, String> form = form(http.getRequestBody());
        if (form == null || form.get("command") == null || form.containsKey("payload") || form.containsKey("ssl_check")) {
            return null;
        }
        SlashCommandRequest request = new SlashCommandRequest(http.getRequestBody(), payload(form), http.getHeaders());
        // What SlackRequestParser.parse does to every request it builds.
        request.setSocketMode(false);
        request.updateContext(config);
        if (http.getQueryString() != null) {
            http.getQueryString().forEach((name, values) -> request.getQueryString().put(name, new ArrayList<>(values)));
        }
        String forwardedFor = http.getHeaders().getFirstValue("X-FORWARDED-FOR");
        request.setClientIpAddress(forwardedFor != null ? forwardedFor : http.getRemoteAddress());
        return request;
    }

    /**
     * The form's fields by name, decoded; a field with an empty value is null (Bolt leaves such a field unset).
     * Null unless every pair is {@code name=value} with a name of lower-case letters and underscores, one
     * {@code =}, each name once, and every value decodes.
     */
    static Map<String, String> form(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('&', start);
            if (end < 0) {
                end = body.length();
            }
            int equals = start;
            while (equals < end && isNameChar(body.charAt(equals))) {
                equals++;
            }
            if (equals == start || equals == end || body.charAt(equals) != '=') {
                return null;
            }
            String value = body.substring(equals + 1, end);
            if (value.indexOf('=') >= 0 || fields.containsKey(body.substring(start, equals))) {
                return null; // Bolt splits such a pair in two ways; a second value of a name is Bolt's to weigh
            }
            try {
                fields.put(body.substring(start, equals), value.isEmpty() ? null : decode(value));
            } catch (IllegalArgumentException badEscape) {
                return null;
            }
            start = end + 1;
        }
        return fields;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || c == '_';
    }

    /** URLDecoder's answer, which for a value without {@code %} or {@code +} is the value itself. */
    private static String decode(String value) {
        return value.indexOf('%') < 0 && value.indexOf('+') < 0 ? value : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The fields as Bolt's SlashCommandPayloadParser sets them; others are ignored, as there. */
    private static SlashCommandPayload payload(Map<String, String> form) {
        SlashCommandPayload payload = new SlashCommandPayload();
        payload.setToken(form.get("token"));
        payload.setApiAppId(form.get("api_app_id"));
        payload.setTeamId(form.get("team_id"));
        payload.setTeamDomain(form.get("team_domain"));
        payload.setEnterpriseId(form.get("enterprise_id"));
        payload.setEnterpriseName(form.get("enterprise_name"));
        payload.setChannelId(form.get("channel_id"));
        payload.setChannelName(form.get("channel_name"));
        payload.setUserId(form.get("user_id"));
        payload.setUserName(form.get("user_name"));
        payload.setCommand(form.get("command"));
        payload.setText(form.get("text"));
        payload.setResponseUrl(form.get("response_url"));
        payload.setTriggerId(form.get("trigger_id"));
        String enterpriseInstall = form.get("is_enterprise_install");
        payload.setEnterpriseInstall(enterpriseInstall != null && enterpriseInstall.trim().toLowerCase(Locale.ENGLISH).equals("true"));
        return payload;
    }
}
