package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awsonboard.config.Checks.Sourced;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the environment (secrets and basics, {@link Environment}) and the optional YAML file named by
 * {@code ONBOARD_CONFIG} (everything else, {@link YamlFile}; the lifecycle commands' part by
 * {@link LifecycleSettingsLoader}), checks each value ({@link Checks}) and collects every problem
 * before failing ({@link Problems}), so an operator fixes them all in one go. A problem names the
 * setting as the operator wrote it: the environment variable when the value came from the
 * environment, the YAML key when it came from the file.
 */
public final class ConfigLoader {
    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:./data/aws-onboard.db";
    /** The keys ONBOARD_CONFIG may hold; anything else is a typo worth stopping for. */
    static final Set<String> YAML_KEYS = new TreeSet<>(List.of("approvers", "requesters", "approvalChannel",
            "allowSelfApproval", "groups", "defaultGroups", "iamPath", "permissionsBoundary", "tags",
            "approvalExpiry", "setupExpiry", "signInUrl", "auditChannel", "whoMayRequest", "offboardAnyUser",
            "attachChangePasswordPolicy", "defaultLanguage", "reminders", "offboardWhenDeactivated", "departureCheckEvery",
            "mfaSummary", "approvalRules"));

    private final Problems problems = new Problems();
    private final Checks checks = new Checks(problems);
    private final Environment env;
    private final YamlFile yaml;

    private ConfigLoader(Map<String, String> env) {
        this.env = new Environment(env, problems);
        this.yaml = YamlFile.read(this.env.optional("ONBOARD_CONFIG"), YAML_KEYS, problems);
    }

    public static Config load(Map<String, String> env) {
        return new ConfigLoader(env).load();
    }

    // The settings in the order their problems are listed.
    private Config load() {
        Secret botToken = env.requiredSecret("SLACK_BOT_TOKEN", "xoxb-");
        Optional<Secret> appToken = env.optional("SLACK_APP_TOKEN").map(Secret::of);
        // Socket Mode needs no signing secret; an unguessable one then keeps POST /slack/events shut.
        Secret signingSecret = appToken.isPresent() && env.optional("SLACK_SIGNING_SECRET").isEmpty()
                ? unguessable() : env.requiredSecret("SLACK_SIGNING_SECRET", null);
        appToken.ifPresent(checks::appToken);
        String apiUrl = env.optional("SLACK_API_URL").orElse("https://slack.com/api/");
        if (!apiUrl.endsWith("/")) {
            apiUrl = apiUrl + "/";
        }
        int port = env.port();
        String databaseUrl = checks.databaseUrl(env.optional("DATABASE_URL").orElse(DEFAULT_DATABASE_URL));

        Set<String> approvers = approvers();
        Set<String> requesters = checks.userIds("requesters", yaml.stringList("requesters").orElse(List.of()));
        Optional<String> approvalChannel = fromEnvOrYaml("ONBOARD_APPROVAL_CHANNEL", "approvalChannel").map(checks::channel);
        Optional<String> auditChannel = fromEnvOrYaml("ONBOARD_AUDIT_CHANNEL", "auditChannel").map(checks::channel);

        List<String> offered = checks.groups("groups", yaml.stringList("groups").orElse(List.of()));
        List<String> defaults = checks.groups("defaultGroups", yaml.stringList("defaultGroups").orElse(List.of()));
        String iamPath = checks.iamPath(yaml.string("iamPath").orElse("/"));
        Optional<String> boundary = yaml.string("permissionsBoundary").map(checks::permissionsBoundary);
        Map<String, String> tags = tags();
        Duration approvalExpiry = yaml.duration("approvalExpiry", Duration.ofDays(7));
        Duration setupExpiry = yaml.duration("setupExpiry", Duration.ofHours(24));
        Optional<String> signInUrl = fromEnvOrYaml("ONBOARD_SIGNIN_URL", "signInUrl").map(checks::httpsUrl);
        boolean allowSelf = yaml.bool("allowSelfApproval").orElse(false);
        Optional<URI> iamEndpoint = env.endpoint("AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL");
        Optional<URI> stsEndpoint = env.endpoint("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL");

        LifecycleSettings lifecycle = LifecycleSettingsLoader.load(yaml, problems);
        List<ApprovalRuleSettings> rules = ApprovalRulesLoader.load(yaml, problems, checks);

        problems.throwIfAny();
        return new Config(botToken, signingSecret, appToken, apiUrl, port, databaseUrl, approvers, requesters,
                approvalChannel, allowSelf, offered, defaults, iamPath, boundary, tags, approvalExpiry,
                setupExpiry, signInUrl, auditChannel, iamEndpoint, stsEndpoint, env.optional("AWS_REGION"), lifecycle, rules);
    }

    private static Secret unguessable() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return Secret.of(java.util.HexFormat.of().formatHex(bytes));
    }

    private Set<String> approvers() {
        Optional<Sourced<List<String>>> raw = env.optional("ONBOARD_APPROVERS")
                .map(v -> new Sourced<>(YamlFile.csv(v), "ONBOARD_APPROVERS"))
                .or(() -> yaml.stringList("approvers").map(l -> new Sourced<>(l, "approvers")));
        if (raw.isEmpty() || raw.get().value().isEmpty()) {
            problems.add("ONBOARD_APPROVERS is not set (nor approvers in ONBOARD_CONFIG): give the Slack user IDs"
                    + " (like U012ABCDEF) of the people who may approve, comma-separated.");
            return Set.of();
        }
        // A list of wrong IDs is reported once per ID, and not also as "not set".
        return checks.userIds(raw.get().name(), raw.get().value());
    }

    /** The environment variable wins over the YAML key; either way the value says where it came from. */
    private Optional<Sourced<String>> fromEnvOrYaml(String envName, String yamlKey) {
        return env.optional(envName).map(v -> new Sourced<>(v, envName))
                .or(() -> yaml.string(yamlKey).map(v -> new Sourced<>(v, yamlKey)));
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        Optional<JsonNode> n = yaml.present("tags");
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
            checks.tag(e.getKey(), text);
            tags.put(e.getKey(), text);
        });
        return tags;
    }

    /** A JDBC URL without its password, fit for a log or an error line. */
    public static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1" + Secret.MASK)
                .replaceAll("//([^/@:]+):([^/@]+)@", "//$1:" + Secret.MASK + "@");
    }
}
