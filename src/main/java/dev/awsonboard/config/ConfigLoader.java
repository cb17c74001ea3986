package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

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
import java.util.regex.Pattern;

/**
 * Reads the environment (secrets and basics) and the optional YAML file named by
 * {@code ONBOARD_CONFIG} (everything else), and collects every problem before failing, so
 * an operator fixes them all in one go.
 */
public final class ConfigLoader {
    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:./data/aws-onboard.db";
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern SLACK_CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern IAM_PATH = Pattern.compile("/([\\x21-\\x7E]{0,510}/)?");
    private static final Pattern GROUP_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static Config load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    private Config load() {
        JsonNode yaml = readYaml();
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

        Set<String> approvers = userIds("ONBOARD_APPROVERS", optional("ONBOARD_APPROVERS")
                .map(ConfigLoader::csv).orElseGet(() -> stringList(yaml, "approvers")));
        if (approvers.isEmpty()) {
            problems.add("ONBOARD_APPROVERS is not set: give the Slack user IDs (like U012ABCDEF) of the people who may approve, comma-separated.");
        }
        Set<String> requesters = userIds("requesters", stringList(yaml, "requesters"));
        Optional<String> approvalChannel = optional("ONBOARD_APPROVAL_CHANNEL").or(() -> text(yaml, "approvalChannel"));
        approvalChannel.ifPresent(c -> {
            if (!SLACK_CHANNEL_ID.matcher(c).matches()) {
                problems.add("ONBOARD_APPROVAL_CHANNEL must be a channel ID like C012ABCDEF (not a #name), got: " + c);
            }
        });
        Optional<String> auditChannel = optional("ONBOARD_AUDIT_CHANNEL").or(() -> text(yaml, "auditChannel"));
        auditChannel.ifPresent(c -> {
            if (!SLACK_CHANNEL_ID.matcher(c).matches()) {
                problems.add("auditChannel must be a channel ID like C012ABCDEF, got: " + c);
            }
        });

        List<String> offered = groups("groups", stringList(yaml, "groups"));
        List<String> defaults = groups("defaultGroups", stringList(yaml, "defaultGroups"));
        String iamPath = text(yaml, "iamPath").orElse("/");
        if (!IAM_PATH.matcher(iamPath).matches()) {
            problems.add("iamPath must start and end with / (e.g. /onboarded/), got: " + iamPath);
        }
        Optional<String> boundary = text(yaml, "permissionsBoundary");
        boundary.ifPresent(b -> {
            if (!b.startsWith("arn:")) {
                problems.add("permissionsBoundary must be a policy ARN, got: " + b);
            }
        });
        Map<String, String> tags = tags(yaml);
        Duration approvalExpiry = duration(yaml, "approvalExpiry", Duration.ofDays(7));
        Duration setupExpiry = duration(yaml, "setupExpiry", Duration.ofHours(24));
        Optional<String> signInUrl = optional("ONBOARD_SIGNIN_URL").or(() -> text(yaml, "signInUrl"));
        signInUrl.ifPresent(u -> {
            if (!u.startsWith("https://")) {
                problems.add("signInUrl must be an https:// URL, got: " + u);
            }
        });
        boolean allowSelf = yaml.path("allowSelfApproval").asBoolean(false);
        Optional<URI> iamEndpoint = optional("AWS_ENDPOINT_URL_IAM").or(() -> optional("AWS_ENDPOINT_URL")).flatMap(this::uri);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Config(botToken, signingSecret, appToken, apiUrl, port, databaseUrl, approvers, requesters,
                approvalChannel, allowSelf, offered, defaults, iamPath, boundary, tags, approvalExpiry,
                setupExpiry, signInUrl, auditChannel, iamEndpoint);
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

    private Optional<URI> uri(String raw) {
        try {
            URI u = URI.create(raw);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            problems.add("AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL must be a URL like http://localhost:5000, got: " + raw);
            return Optional.empty();
        }
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

    private JsonNode readYaml() {
        Optional<String> file = optional("ONBOARD_CONFIG");
        if (file.isEmpty()) {
            return new ObjectMapper().createObjectNode();
        }
        Path path = Path.of(file.get());
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(path));
            if (node == null || node.isMissingNode() || node.isNull()) {
                return new ObjectMapper().createObjectNode();
            }
            if (!node.isObject()) {
                problems.add("ONBOARD_CONFIG " + path + " must hold a YAML mapping (key: value lines).");
                return new ObjectMapper().createObjectNode();
            }
            Set<String> known = Set.of("approvers", "requesters", "approvalChannel", "allowSelfApproval", "groups",
                    "defaultGroups", "iamPath", "permissionsBoundary", "tags", "approvalExpiry", "setupExpiry",
                    "signInUrl", "auditChannel");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    problems.add("ONBOARD_CONFIG " + path + ": unknown key '" + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ").");
                }
            }
            return node;
        } catch (IOException e) {
            problems.add("ONBOARD_CONFIG " + path + " cannot be read: " + e.getClass().getSimpleName() + " " + firstLine(e.getMessage()));
            return new ObjectMapper().createObjectNode();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private List<String> stringList(JsonNode yaml, String key) {
        JsonNode n = yaml.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (n.isTextual()) {
            return csv(n.asText());
        }
        if (!n.isArray()) {
            problems.add(key + " must be a list.");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText().trim()));
        return out;
    }

    private Optional<String> text(JsonNode yaml, String key) {
        JsonNode n = yaml.path(key);
        return n.isValueNode() && !n.asText().isBlank() ? Optional.of(n.asText().trim()) : Optional.empty();
    }

    private Map<String, String> tags(JsonNode yaml) {
        JsonNode n = yaml.path("tags");
        Map<String, String> tags = new LinkedHashMap<>();
        if (n.isMissingNode() || n.isNull()) {
            return tags;
        }
        if (!n.isObject()) {
            problems.add("tags must be a mapping of tag key to value.");
            return tags;
        }
        n.fields().forEachRemaining(e -> {
            if (e.getKey().length() > 128 || e.getValue().asText().length() > 256 || e.getKey().startsWith("aws:")) {
                problems.add("tags: '" + e.getKey() + "' is not a valid IAM tag (key <= 128 chars, value <= 256, no aws: prefix).");
            }
            tags.put(e.getKey(), e.getValue().asText());
        });
        return tags;
    }

    private Duration duration(JsonNode yaml, String key, Duration fallback) {
        Optional<String> raw = text(yaml, key);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            String r = raw.get().toUpperCase();
            Duration d = Duration.parse(r.startsWith("P") ? r : r.endsWith("D") ? "P" + r : "PT" + r);
            if (d.isNegative() || d.isZero()) {
                throw new DateTimeParseException("not positive", raw.get(), 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(key + " must be a positive duration like 24h, 30m or P7D, got: " + raw.get());
            return fallback;
        }
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
