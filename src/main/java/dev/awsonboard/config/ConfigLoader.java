package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the environment (secrets and basics) and the optional YAML file named by
 * {@code ONBOARD_CONFIG} (everything else), and collects every problem before failing, so
 * an operator fixes them all in one go. A problem names the setting as the operator wrote it:
 * the environment variable when the value came from the environment, the YAML key when it
 * came from the file.
 */
public final class ConfigLoader {
    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:./data/aws-onboard.db";
    /** The keys ONBOARD_CONFIG may hold; anything else is a typo worth stopping for. */
    static final Set<String> YAML_KEYS = new TreeSet<>(List.of("approvers", "requesters", "approvalChannel",
            "allowSelfApproval", "groups", "defaultGroups", "iamPath", "permissionsBoundary", "tags",
            "approvalExpiry", "setupExpiry", "signInUrl", "auditChannel", "whoMayRequest", "offboardAnyUser",
            "attachChangePasswordPolicy", "defaultLanguage", "reminders", "offboardWhenDeactivated"));
    private static final Set<String> WHO_KEYS = Set.of("resetMfa", "resetPassword", "offboard");
    private static final Set<String> WHO_VALUES = Set.of("anyone", "self", "approvers");
    private static final Set<String> REMINDER_KEYS = Set.of("approvalEvery", "approvalMax", "quietHours", "setupAfter");
    private static final Pattern QUIET_HOURS = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)");
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern IAM_PATH = Pattern.compile("/([\\x21-\\x7E]{0,510}/)?");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    /** A value and the name of the setting it came from (an environment variable or a YAML key). */
    private record Sourced<T>(T value, String name) {
    }

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private JsonNode yaml = JsonNodeFactory.instance.objectNode();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static Config load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    private Config load() {
        readYaml();
        Secret botToken = requiredSecret("SLACK_BOT_TOKEN", "xoxb-");
        Optional<Secret> appToken = optional("SLACK_APP_TOKEN").map(Secret::of);
        // Socket Mode needs no signing secret; an unguessable one then keeps POST /slack/events shut.
        Secret signingSecret = appToken.isPresent() && optional("SLACK_SIGNING_SECRET").isEmpty()
                ? unguessable() : requiredSecret("SLACK_SIGNING_SECRET", null);
        appToken.ifPresent(t -> {
            if (!t.reveal().startsWith("xapp-")) {
                problems.add("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens, scope connections:write).");
            }
        });
        String apiUrl = optional("SLACK_API_URL").orElse("https://slack.com/api/");
        if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        int port = port();
        String databaseUrl = optional("DATABASE_URL").orElse(DEFAULT_DATABASE_URL);
        if (!databaseUrl.startsWith("jdbc:")) {
            problems.add("DATABASE_URL must be a JDBC URL such as jdbc:sqlite:./data/aws-onboard.db or jdbc:postgresql://host/db, got: " + redactUrl(databaseUrl));
        }

        Set<String> approvers = approvers();
        Set<String> requesters = userIds("requesters", stringList("requesters").orElse(List.of()));
        Optional<String> approvalChannel = channel("ONBOARD_APPROVAL_CHANNEL", "approvalChannel");
        Optional<String> auditChannel = channel("ONBOARD_AUDIT_CHANNEL", "auditChannel");

        List<String> offered = groups("groups", stringList("groups").orElse(List.of()));
        List<String> defaults = groups("defaultGroups", stringList("defaultGroups").orElse(List.of()));
        String iamPath = string("iamPath").orElse("/");
        if (!IAM_PATH.matcher(iamPath).matches()) {
            problems.add("iamPath must start and end with / (e.g. /onboarded/), got: " + iamPath);
        }
        Optional<String> boundary = string("permissionsBoundary");
        boundary.ifPresent(b -> {
            if (!b.startsWith("arn:")) {
                problems.add("permissionsBoundary must be a policy ARN, got: " + b);
            }
        });
        Map<String, String> tags = tags();
        Duration approvalExpiry = duration("approvalExpiry", Duration.ofDays(7));
        Duration setupExpiry = duration("setupExpiry", Duration.ofHours(24));
        Optional<String> signInUrl = fromEnvOrYaml("ONBOARD_SIGNIN_URL", "signInUrl").map(u -> {
            if (!u.value().startsWith("https://")) {
                problems.add(u.name() + " must be an https:// URL, got: " + u.value());
            }
            return u.value();
        });
        boolean allowSelf = bool("allowSelfApproval").orElse(false);
        Optional<URI> iamEndpoint = endpoint("AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL");
        Optional<URI> stsEndpoint = endpoint("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL");

        LifecycleSettings lifecycle = lifecycle();

        if (!problems.isEmpty()) {
            // AWS_ENDPOINT_URL feeds two endpoints; its mistake is still one line.
            throw new ConfigException(problems.stream().distinct().toList());
        }
        return new Config(botToken, signingSecret, appToken, apiUrl, port, databaseUrl, approvers, requesters,
                approvalChannel, allowSelf, offered, defaults, iamPath, boundary, tags, approvalExpiry,
                setupExpiry, signInUrl, auditChannel, iamEndpoint, stsEndpoint, optional("AWS_REGION"), lifecycle);
    }

    private static Secret unguessable() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return Secret.of(java.util.HexFormat.of().formatHex(bytes));
    }

    private Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private Secret requiredSecret(String name, String prefix) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            problems.add(name + " is not set" + (prefix == null
                    ? " (Basic Information > App Credentials > Signing Secret; not needed in Socket Mode, i.e. with SLACK_APP_TOKEN)."
                    : " (OAuth & Permissions > Bot User OAuth Token, starts with " + prefix + ")."));
            return Secret.of("");
        }
        if (prefix != null && !v.get().startsWith(prefix)) {
            problems.add(name + " must start with " + prefix + " (the Bot User OAuth Token).");
        }
        return Secret.of(v.get());
    }

    private int port() {
        String raw = optional("PORT").orElse("3000");
        try {
            int p = Integer.parseInt(raw);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            problems.add("PORT must be a number from 0 to 65535, got: " + raw);
            return 0;
        }
    }

    /** The SDK's own variables: the service-specific one, else the global one. */
    private Optional<URI> endpoint(String specific, String global) {
        Optional<String> name = optional(specific).isPresent() ? Optional.of(specific)
                : optional(global).map(v -> global);
        return name.flatMap(n -> {
            String raw = optional(n).orElseThrow();
            try {
                URI u = URI.create(raw);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                return Optional.of(u);
            } catch (IllegalArgumentException e) {
                problems.add(n + " must be a URL like http://localhost:5000, got: " + raw);
                return Optional.empty();
            }
        });
    }

    private Set<String> approvers() {
        Optional<Sourced<List<String>>> raw = optional("ONBOARD_APPROVERS")
                .map(v -> new Sourced<>(csv(v), "ONBOARD_APPROVERS"))
                .or(() -> stringList("approvers").map(l -> new Sourced<>(l, "approvers")));
        if (raw.isEmpty() || raw.get().value().isEmpty()) {
            problems.add("ONBOARD_APPROVERS is not set (nor approvers in ONBOARD_CONFIG): give the Slack user IDs"
                    + " (like U012ABCDEF) of the people who may approve, comma-separated.");
            return Set.of();
        }
        // A list of wrong IDs is reported once per ID, and not also as "not set".
        return userIds(raw.get().name(), raw.get().value());
    }

    private Optional<String> channel(String envName, String yamlKey) {
        return fromEnvOrYaml(envName, yamlKey).map(c -> {
            if (!SLACK_CHANNEL_ID.matcher(c.value()).matches()) {
                problems.add(c.name() + " must be a channel ID like C012ABCDEF (not a #name; channel details > bottom), got: " + c.value());
            }
            return c.value();
        });
    }

    /** The environment variable wins over the YAML key; either way the value says where it came from. */
    private Optional<Sourced<String>> fromEnvOrYaml(String envName, String yamlKey) {
        return optional(envName).map(v -> new Sourced<>(v, envName))
                .or(() -> string(yamlKey).map(v -> new Sourced<>(v, yamlKey)));
    }

    private Set<String> userIds(String what, List<String> raw) {
        Set<String> ids = new LinkedHashSet<>();
        for (String id : raw) {
            if (SLACK_USER_ID.matcher(id).matches()) {
                ids.add(id);
            } else {
                problems.add(what + ": '" + id + "' is not a Slack user ID (like U012ABCDEF; find it in the profile menu, Copy member ID).");
            }
        }
        return ids;
    }

    private List<String> groups(String what, List<String> raw) {
        for (String g : raw) {
            if (!GROUP_NAME.matcher(g).matches()) {
                problems.add(what + ": '" + g + "' is not a valid IAM group name (1-128 of letters, digits and +=,.@_-).");
            }
        }
        return raw;
    }

    private void readYaml() {
        Optional<String> file = optional("ONBOARD_CONFIG");
        if (file.isEmpty()) {
            return;
        }
        Path path = Path.of(file.get());
        YamlTree.Parsed parsed;
        try {
            parsed = YamlTree.read(Files.readString(path));
        } catch (IOException e) {
            problems.add("ONBOARD_CONFIG " + path + " cannot be read: " + e.getClass().getSimpleName() + " " + firstLine(e.getMessage()));
            return;
        }
        JsonNode node = parsed.root();
        if (node.isNull()) {
            return; // an empty file: every default
        }
        if (!node.isObject()) {
            problems.add("ONBOARD_CONFIG " + path + " must hold a YAML mapping (key: value lines), not " + YamlTree.kind(node) + ".");
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!YAML_KEYS.contains(key)) {
                problems.add("ONBOARD_CONFIG " + path + ": unknown key '" + key + "' (known: " + String.join(", ", YAML_KEYS) + ").");
            }
        }
        parsed.duplicateKeys().forEach(key ->
                problems.add("ONBOARD_CONFIG " + path + ": key '" + key + "' appears more than once."));
        yaml = node;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A YAML key that is absent or empty ({@code key:}) counts as not set. */
    private Optional<JsonNode> present(String key) {
        JsonNode n = yaml.path(key);
        return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    private Optional<String> string(String key) {
        return present(key).flatMap(n -> {
            if (!n.isTextual()) {
                problems.add(key + " must be a string, got " + YamlTree.kind(n) + ".");
                return Optional.empty();
            }
            return n.asText().isBlank() ? Optional.empty() : Optional.of(n.asText().trim());
        });
    }

    /** A YAML list of strings, or one comma-separated string. */
    private Optional<List<String>> stringList(String key) {
        return present(key).flatMap(n -> {
            if (n.isTextual()) {
                return Optional.of(csv(n.asText()));
            }
            List<String> out = new ArrayList<>();
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (!e.isTextual()) {
                        problems.add(key + " must be a list of strings, like [a, b]; one item is " + YamlTree.kind(e) + ".");
                        return Optional.empty();
                    }
                    out.add(e.asText().trim());
                }
                return Optional.of(out);
            }
            problems.add(key + " must be a list of strings, like [a, b]; got " + YamlTree.kind(n) + ".");
            return Optional.empty();
        });
    }

    private Optional<Boolean> bool(String key) {
        return present(key).flatMap(n -> {
            if (!n.isBoolean()) {
                problems.add(key + " must be true or false, got " + YamlTree.kind(n) + ".");
                return Optional.empty();
            }
            return Optional.of(n.booleanValue());
        });
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        Optional<JsonNode> n = present("tags");
        if (n.isEmpty()) {
            return tags;
        }
        if (!n.get().isObject()) {
            problems.add("tags must be a mapping of tag key to value, like {team: platform}; got " + YamlTree.kind(n.get()) + ".");
            return tags;
        }
        n.get().fields().forEachRemaining(e -> {
            JsonNode value = e.getValue();
            if (!value.isTextual() && !value.isNull() && !value.isBoolean()) {
                problems.add("tags: '" + e.getKey() + "' must have a string value, got " + YamlTree.kind(value) + ".");
                return;
            }
            // IAM allows an empty value; "key:" in YAML means just that.
            String text = value.isNull() ? "" : value.asText();
            if (e.getKey().isEmpty() || e.getKey().length() > 128 || text.length() > 256 || e.getKey().startsWith("aws:")) {
                problems.add("tags: '" + e.getKey() + "' is not a valid IAM tag (key 1-128 chars, value <= 256, no aws: prefix).");
            }
            tags.put(e.getKey(), text);
        });
        return tags;
    }

    private LifecycleSettings lifecycle() {
        LifecycleSettings d = LifecycleSettings.defaults();
        Map<String, String> who = new LinkedHashMap<>();
        present("whoMayRequest").ifPresent(n -> {
            if (!n.isObject()) {
                problems.add("whoMayRequest must be a mapping like {resetMfa: self, offboard: approvers}; got " + YamlTree.kind(n) + ".");
                return;
            }
            n.fields().forEachRemaining(e -> {
                if (!WHO_KEYS.contains(e.getKey())) {
                    problems.add("whoMayRequest: unknown command '" + e.getKey() + "' (known: offboard, resetMfa, resetPassword).");
                } else if (!e.getValue().isTextual() || !WHO_VALUES.contains(e.getValue().asText())) {
                    problems.add("whoMayRequest." + e.getKey() + " must be anyone, self or approvers, got " + YamlTree.kind(e.getValue()) + ".");
                } else {
                    who.put(e.getKey(), e.getValue().asText());
                }
            });
        });
        String language = string("defaultLanguage").orElse(d.defaultLanguage());
        if (!language.equals("en") && !language.equals("ja")) {
            problems.add("defaultLanguage must be en or ja, got: " + language);
            language = d.defaultLanguage();
        }
        return new LifecycleSettings(who, bool("offboardAnyUser").orElse(d.offboardAnyUser()),
                bool("attachChangePasswordPolicy").orElse(d.attachChangePasswordPolicy()), language, reminders(d.reminders()),
                bool("offboardWhenDeactivated").orElse(d.offboardWhenDeactivated()));
    }

    private LifecycleSettings.Reminders reminders(LifecycleSettings.Reminders d) {
        Optional<JsonNode> node = present("reminders");
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
                problems.add("reminders: unknown key '" + k + "' (known: approvalEvery, approvalMax, quietHours, setupAfter).");
            }
        });
        Duration every = n.has("approvalEvery") ? durationOf("reminders.approvalEvery", n.get("approvalEvery"), d.approvalEvery()) : d.approvalEvery();
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
        Optional<java.time.LocalTime> from = d.quietFrom();
        Optional<java.time.LocalTime> until = d.quietUntil();
        if (n.has("quietHours")) {
            JsonNode q = n.get("quietHours");
            java.util.regex.Matcher m = q.isTextual() ? QUIET_HOURS.matcher(q.asText().trim()) : null;
            if (q.isTextual() && q.asText().isBlank() || q.isBoolean() && !q.booleanValue()) {
                from = Optional.empty();
                until = Optional.empty();
            } else if (m != null && m.matches()) {
                from = Optional.of(java.time.LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                until = Optional.of(java.time.LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
            } else {
                problems.add("reminders.quietHours must be like \"20:00-08:00\" (or false for none), got " + YamlTree.kind(q) + ".");
            }
        }
        List<Duration> setupAfter = d.setupAfter();
        if (n.has("setupAfter")) {
            JsonNode s = n.get("setupAfter");
            List<Duration> list = new ArrayList<>();
            if (s.isArray()) {
                s.forEach(e -> list.add(durationOf("reminders.setupAfter", e, null)));
            } else if (s.isTextual()) {
                csv(s.asText()).forEach(e -> list.add(durationOf("reminders.setupAfter", JsonNodeFactory.instance.textNode(e), null)));
            } else {
                problems.add("reminders.setupAfter must be a list of durations like [2h, 20h], got " + YamlTree.kind(s) + ".");
            }
            list.removeIf(java.util.Objects::isNull);
            setupAfter = list;
        }
        return new LifecycleSettings.Reminders(every, max, from, until, setupAfter);
    }

    private Duration durationOf(String key, JsonNode n, Duration fallback) {
        if (!n.isTextual()) {
            problems.add(key + " must be a duration like 24h, 30m or P7D, got " + YamlTree.kind(n) + ".");
            return fallback;
        }
        Optional<Duration> d = parseDuration(n.asText().trim());
        if (d.isEmpty()) {
            problems.add(key + " must be a positive duration like 24h, 30m or P7D, got: " + n.asText());
            return fallback;
        }
        return d.get();
    }

    private static Optional<Duration> parseDuration(String raw) {
        try {
            String r = raw.toUpperCase(java.util.Locale.ROOT);
            Duration d = Duration.parse(r.startsWith("P") ? r : r.endsWith("D") ? "P" + r : "PT" + r);
            return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Duration duration(String key, Duration fallback) {
        Optional<String> raw = string(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = parseDuration(raw.get());
        if (d.isEmpty()) {
            problems.add(key + " must be a positive duration like 24h, 30m or P7D, got: " + raw.get());
            return fallback;
        }
        return d.get();
    }

    static List<String> csv(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A JDBC URL without its password, fit for a log or an error line. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1" + Secret.MASK)
                .replaceAll("//([^/@:]+):([^/@]+)@", "//$1:" + Secret.MASK + "@");
    }
}
