package dev.awsonboard.slack.language;

import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Notice;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bot's words in one language, from {@code i18n/messages*.properties}. Placeholders are
 * {@code {name}} (text, escaped for mrkdwn) or {@code {name,type}} with type mention, status,
 * kind, duration, time, code or holdings; values that are already rendered mrkdwn pass as {@link Raw}.
 */
public final class Texts {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)(?:,([a-z]+))?}");
    private static final Pattern SLACK_ID = Pattern.compile("[UWB][A-Z0-9]{2,20}");
    private static final Map<Locale, Texts> CACHE = new ConcurrentHashMap<>();
    public static final Locale ENGLISH = Locale.ROOT;
    public static final Locale JAPANESE = Locale.JAPANESE;

    private final ResourceBundle bundle;
    private final Locale locale;

    private Texts(Locale locale) {
        this.locale = locale;
        this.bundle = ResourceBundle.getBundle("i18n.messages", locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static Texts english() {
        return of(ENGLISH);
    }

    /** Japanese for "ja" and its variants, English for everything else. */
    public static Texts of(Locale locale) {
        Locale supported = "ja".equals(locale.getLanguage()) ? JAPANESE : ENGLISH;
        return CACHE.computeIfAbsent(supported, Texts::new);
    }

    /** The languages the bot speaks, as their language tags. */
    public static Set<String> spoken() {
        return Set.of("en", "ja");
    }

    /**
     * The bot's words for a locale or Slack locale tag ("ja-JP", "en-GB", "ja"), if the bot speaks
     * its language; empty for any other language, so the caller can fall back to the default.
     */
    public static Optional<Texts> speaking(String languageTag) {
        if (languageTag == null || languageTag.isBlank()) {
            return Optional.empty();
        }
        // Slack sends "ja-JP"; Locale.forLanguageTag cannot read the underscore form "ja_JP".
        String language = Locale.forLanguageTag(languageTag.trim().replace('_', '-')).getLanguage();
        return spoken().contains(language) ? Optional.of(of(Locale.forLanguageTag(language))) : Optional.empty();
    }

    /** The language tag of these words: "en" or "ja". */
    public String languageTag() {
        return locale.equals(JAPANESE) ? "ja" : "en";
    }

    public Locale locale() {
        return locale;
    }

    /** Text that is already mrkdwn: inserted as it is. */
    public record Raw(String mrkdwn) {
        @Override
        public String toString() {
            return mrkdwn;
        }
    }

    public boolean has(String key) {
        return bundle.containsKey(key);
    }

    /** The text of {@code key} with {@code namesAndValues} filled in, as mrkdwn. */
    public String get(String key, Object... namesAndValues) {
        return render(key, pairs(namesAndValues), true);
    }

    public String get(String key, Map<String, ?> args) {
        return render(key, args, true);
    }

    /** For plain_text fields (titles, buttons, labels): nothing is escaped. */
    public String plain(String key, Object... namesAndValues) {
        return render(key, pairs(namesAndValues), false);
    }

    /** The first of {@code keys} that exists, filled in; for texts that may have a kind-specific variant. */
    public String first(List<String> keys, Map<String, ?> args) {
        for (String key : keys) {
            if (has(key)) {
                return get(key, args);
            }
        }
        throw new MissingResourceException("none of " + keys, "messages", keys.get(0));
    }

    public String notice(Notice notice) {
        return get("reason." + notice.reason().name(), notice.args());
    }

    private String render(String key, Map<String, ?> args, boolean mrkdwn) {
        String template = bundle.getString(key);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = args.get(m.group(1));
            String type = m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(format(value, type, mrkdwn)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String format(Object value, String type, boolean mrkdwn) {
        if (value instanceof Raw raw) {
            return raw.mrkdwn();
        }
        String text = value == null ? "" : String.valueOf(value);
        if (type == null) {
            return mrkdwn ? SlackText.escape(text) : text;
        }
        return switch (type) {
            case "mention" -> SLACK_ID.matcher(text).matches() ? SlackText.mention(text) : get("misc.someone");
            case "status" -> get("status." + text);
            case "kind" -> get("kind." + text);
            case "duration" -> duration(text);
            case "time" -> time(text, mrkdwn);
            case "code" -> mrkdwn ? "`" + SlackText.escape(text.replace('`', '\'')) + "`" : text;
            case "holdings" -> holdings(value);
            default -> throw new IllegalArgumentException("unknown placeholder type " + type);
        };
    }

    /** "7 days", "2 hours", "30 minutes"; an unreadable value as it is. */
    public String duration(String iso) {
        Duration d;
        try {
            d = Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return SlackText.escape(iso);
        }
        if (d.toDays() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() == 1 ? get("duration.day") : get("duration.days", "n", d.toDays());
        }
        if (d.toHours() > 0 && d.toMinutesPart() == 0) {
            return d.toHours() == 1 ? get("duration.hour") : get("duration.hours", "n", d.toHours());
        }
        return d.toMinutes() == 1 ? get("duration.minute") : get("duration.minutes", "n", d.toMinutes());
    }

    private static final java.time.format.DateTimeFormatter UTC_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /**
     * An instant (ISO-8601) as each reader's own local time in mrkdwn (Slack's date formatting, with a UTC
     * fallback), as UTC in plain text; an unreadable value as it is.
     */
    private static String time(String iso, boolean mrkdwn) {
        java.time.Instant at;
        try {
            at = java.time.Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return mrkdwn ? SlackText.escape(iso) : iso;
        }
        String utc = UTC_TIME.format(at);
        return mrkdwn ? "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|" + utc + ">" : utc;
    }

    private String holdings(Object value) {
        List<Holding> list = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(h -> list.add((Holding) h));
        } else if (value != null && !String.valueOf(value).isBlank()) {
            for (String encoded : String.valueOf(value).split(";")) {
                list.add(Holding.decode(encoded));
            }
        }
        if (list.isEmpty()) {
            return get("holdings.none");
        }
        List<String> rendered = list.stream().map(this::holding).toList();
        return String.join(get("list.separator"), rendered);
    }

    /** One holding, with what the approvers read of it besides (an access key's last use). */
    private String holding(Holding h) {
        String named = get("holding." + h.type().name(), "id", h.id());
        if (h.detail().isEmpty()) {
            return named;
        }
        return h.detail().equals(Holding.NEVER_USED) ? get("holding.detail.neverUsed", "holding", new Raw(named))
                : get("holding.detail.lastUsed", "holding", new Raw(named), "day", h.detail());
    }

    private static Map<String, Object> pairs(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("arguments come in name, value pairs");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            args.put(String.valueOf(namesAndValues[i]), v instanceof Enum<?> e ? e.name() : v);
        }
        return args;
    }
}
