package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lifecycle commands' settings from the YAML file: who may ask for what, the default language,
 * offboarding and reminders; {@link LifecycleSettings#defaults()} for whatever is not set or wrong.
 */
final class LifecycleSettingsLoader {
    private static final Set<String> WHO_KEYS = Set.of("resetMfa", "resetPassword", "offboard", "link", "unlink", "grant");
    private static final Set<String> WHO_VALUES = Set.of("anyone", "self", "approvers");
    private static final Set<String> REMINDER_KEYS = Set.of("approvalEvery", "approvalMax", "quietHours", "setupAfter",
            "grantEndingBefore");
    private static final Pattern QUIET_HOURS = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");

    private final YamlFile yaml;
    private final Problems problems;

    private LifecycleSettingsLoader(YamlFile yaml, Problems problems) {
        this.yaml = yaml;
        this.problems = problems;
    }

    static LifecycleSettings load(YamlFile yaml, Problems problems) {
        return new LifecycleSettingsLoader(yaml, problems).load();
    }

    private LifecycleSettings load() {
        LifecycleSettings d = LifecycleSettings.defaults();
        Map<String, String> who = new LinkedHashMap<>();
        yaml.present("whoMayRequest").ifPresent(n -> {
            if (!n.isObject()) {
                problems.add("whoMayRequest must be a mapping like {resetMfa: self, offboard: approvers}; got " + YamlTree.kind(n) + ".");
                return;
            }
            n.fields().forEachRemaining(e -> {
                if (!WHO_KEYS.contains(e.getKey())) {
                    problems.add("whoMayRequest: unknown command '" + e.getKey() + "' (known: grant, link, offboard, resetMfa, resetPassword, unlink).");
                } else if (!e.getValue().isTextual() || !WHO_VALUES.contains(e.getValue().asText())) {
                    problems.add("whoMayRequest." + e.getKey() + " must be anyone, self or approvers, got " + YamlTree.kind(e.getValue()) + ".");
                } else {
                    who.put(e.getKey(), e.getValue().asText());
                }
            });
        });
        String language = yaml.string("defaultLanguage").orElse(d.defaultLanguage());
        if (!language.equals("en") && !language.equals("ja")) {
            problems.add("defaultLanguage must be en or ja, got: " + language);
            language = d.defaultLanguage();
        }
        Duration departureCheck = yaml.duration("departureCheckEvery", d.departureCheckEvery());
        if (departureCheck.compareTo(MIN_DEPARTURE_CHECK) < 0) {
            problems.add("departureCheckEvery must be at least 10m (each look asks Slack about every linked person), got: "
                    + yaml.string("departureCheckEvery").orElse(""));
            departureCheck = d.departureCheckEvery();
        }
        return new LifecycleSettings(who, yaml.bool("offboardAnyUser").orElse(d.offboardAnyUser()),
                yaml.bool("attachChangePasswordPolicy").orElse(d.attachChangePasswordPolicy()), language, reminders(d.reminders()),
                yaml.bool("offboardWhenDeactivated").orElse(d.offboardWhenDeactivated()), departureCheck, mfaSummary());
    }

    private static final Duration MIN_DEPARTURE_CHECK = Duration.ofMinutes(10);

    /** {@code mfaSummary: monday} (any weekday) or {@code false}, the default. */
    private Optional<DayOfWeek> mfaSummary() {
        Optional<JsonNode> node = yaml.present("mfaSummary");
        if (node.isEmpty() || node.get().isBoolean() && !node.get().booleanValue()) {
            return Optional.empty();
        }
        String day = node.get().isTextual() ? node.get().asText().trim().toUpperCase(java.util.Locale.ROOT) : "";
        try {
            return Optional.of(DayOfWeek.valueOf(day));
        } catch (IllegalArgumentException e) {
            problems.add("mfaSummary must be a weekday like monday (or false for none), got " + YamlTree.kind(node.get()) + ".");
            return Optional.empty();
        }
    }

    private LifecycleSettings.Reminders reminders(LifecycleSettings.Reminders d) {
        Optional<JsonNode> node = yaml.present("reminders");
        if (node.isEmpty()) {
            return d;
        }
        JsonNode n = node.get();
        if (!n.isObject()) {
            problems.add("reminders must be a mapping like {approvalEvery: 4h, approvalMax: 3}; got " + YamlTree.kind(n) + ".");
            return d;
        }
        n.fieldNames().forEachRemaining(k -> {
            if (!REMINDER_KEYS.contains(k)) {
                problems.add("reminders: unknown key '" + k + "' (known: approvalEvery, approvalMax, quietHours, setupAfter, grantEndingBefore).");
            }
        });
        Duration every = n.has("approvalEvery") ? yaml.durationOf("reminders.approvalEvery", n.get("approvalEvery"), d.approvalEvery()) : d.approvalEvery();
        int max = d.approvalMax();
        if (n.has("approvalMax")) {
            try {
                max = Integer.parseInt(n.get("approvalMax").asText().trim());
                if (max < 0 || max > 100 || !n.get("approvalMax").isTextual()) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                problems.add("reminders.approvalMax must be a whole number from 0 to 100, got " + YamlTree.kind(n.get("approvalMax")) + ".");
                max = d.approvalMax();
            }
        }
        Optional<LocalTime> from = d.quietFrom();
        Optional<LocalTime> until = d.quietUntil();
        if (n.has("quietHours")) {
            JsonNode q = n.get("quietHours");
            Matcher m = q.isTextual() ? QUIET_HOURS.matcher(q.asText().trim()) : null;
            if (q.isTextual() && q.asText().isBlank() || q.isBoolean() && !q.booleanValue()) {
                from = Optional.empty();
                until = Optional.empty();
            } else if (m != null && m.matches()) {
                from = Optional.of(LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                until = Optional.of(LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
            } else {
                problems.add("reminders.quietHours must be like \"20:00-08:00\" (or false for none), got " + YamlTree.kind(q) + ".");
            }
        }
        List<Duration> setupAfter = d.setupAfter();
        if (n.has("setupAfter")) {
            JsonNode s = n.get("setupAfter");
            List<Duration> list = new ArrayList<>();
            if (s.isArray()) {
                s.forEach(e -> list.add(yaml.durationOf("reminders.setupAfter", e, null)));
            } else if (s.isTextual()) {
                YamlFile.csv(s.asText()).forEach(e -> list.add(yaml.durationOf("reminders.setupAfter", JsonNodeFactory.instance.textNode(e), null)));
            } else {
                problems.add("reminders.setupAfter must be a list of durations like [2h, 20h], got " + YamlTree.kind(s) + ".");
            }
            list.removeIf(java.util.Objects::isNull);
            setupAfter = list;
        }
        Optional<Duration> grantEnding = d.grantEndingBefore();
        if (n.has("grantEndingBefore")) {
            JsonNode g = n.get("grantEndingBefore");
            grantEnding = g.isBoolean() && !g.booleanValue() ? Optional.empty()
                    : Optional.ofNullable(yaml.durationOf("reminders.grantEndingBefore", g, grantEnding.orElse(null)));
        }
        return new LifecycleSettings.Reminders(every, max, from, until, setupAfter, grantEnding);
    }
}
