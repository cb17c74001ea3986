package dev.awsonboard.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code approvalRules} from the YAML file: a list of rules, each checked on its own, every mistake
 * one line that names the rule and the key ({@code approvalRules.admins.approvals must be ...}).
 */
final class ApprovalRulesLoader {
    /** The request kinds a rule may name, as the YAML writes them. */
    static final List<String> KINDS = List.of("onboard", "resetMfa", "resetPassword", "offboard", "grant");
    /** The kinds that carry IAM groups, which a rule's {@code groups} match. */
    static final Set<String> KINDS_WITH_GROUPS = Set.of("onboard", "grant");
    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "kinds", "groups", "approvers", "approvals",
            "announce", "silentApprovers", "maxDuration"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final Pattern USER_GROUP_ID = Pattern.compile("S[A-Z0-9]{2,}");
    static final int MAX_APPROVALS = 10;

    private final YamlFile yaml;
    private final Problems problems;
    private final Checks checks;

    private ApprovalRulesLoader(YamlFile yaml, Problems problems, Checks checks) {
        this.yaml = yaml;
        this.problems = problems;
        this.checks = checks;
    }

    static List<ApprovalRuleSettings> load(YamlFile yaml, Problems problems, Checks checks) {
        return new ApprovalRulesLoader(yaml, problems, checks).load();
    }

    private List<ApprovalRuleSettings> load() {
        Optional<JsonNode> node = yaml.present("approvalRules");
        if (node.isEmpty()) {
            return List.of();
        }
        if (!node.get().isArray()) {
            problems.add("approvalRules must be a list of rules like [{name: admins, groups: [admins], approvers: [U012ABCDEF],"
                    + " approvals: 2}]; got " + YamlTree.kind(node.get()) + ".");
            return List.of();
        }
        List<ApprovalRuleSettings> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int position = 0;
        for (JsonNode rule : node.get()) {
            position++;
            rule(rule, position).ifPresent(r -> {
                if (!names.add(r.name())) {
                    problems.add("approvalRules: the name '" + r.name() + "' is used twice; give each rule its own name.");
                } else {
                    rules.add(r);
                }
            });
        }
        return rules;
    }

    /** One rule; empty when it is too broken to name. Every problem is reported either way. */
    private Optional<ApprovalRuleSettings> rule(JsonNode n, int position) {
        String at = "approvalRules[" + position + "]";
        if (!n.isObject()) {
            problems.add(at + " must be a mapping like {name: admins, approvers: [U012ABCDEF]}; got " + YamlTree.kind(n) + ".");
            return Optional.empty();
        }
        JsonNode nameNode = n.path("name");
        if (!nameNode.isTextual() || !NAME.matcher(nameNode.asText().trim()).matches()) {
            problems.add(at + " needs a name of 1-40 letters, digits, - or _ (like name: admins); got "
                    + (nameNode.isMissingNode() ? "none" : YamlTree.kind(nameNode)) + ".");
            return Optional.empty();
        }
        String name = nameNode.asText().trim();
        String key = "approvalRules." + name;
        List<String> unknown = new ArrayList<>();
        n.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                unknown.add(k);
                problems.add(key + ": unknown key '" + k + "' (known: " + String.join(", ", KEYS) + ").");
            }
        });
        Set<String> kinds = new LinkedHashSet<>();
        for (String kind : strings(key + ".kinds", n.get("kinds"))) {
            if (KINDS.contains(kind)) {
                kinds.add(kind);
            } else {
                problems.add(key + ".kinds: unknown kind '" + kind + "' (known: " + String.join(", ", KINDS) + ").");
            }
        }
        List<String> groups = checks.groups(key + ".groups", strings(key + ".groups", n.get("groups")));
        if (!groups.isEmpty() && !kinds.isEmpty() && kinds.stream().noneMatch(KINDS_WITH_GROUPS::contains)) {
            problems.add(key + ".groups only applies to onboard and grant, and kinds is " + kinds + ".");
        }
        List<String> rawApprovers = strings(key + ".approvers", n.get("approvers"));
        List<String> rawSilent = strings(key + ".silentApprovers", n.get("silentApprovers"));
        List<String> approvers = approvers(key + ".approvers", rawApprovers);
        List<String> silent = approvers(key + ".silentApprovers", rawSilent);
        if (rawApprovers.isEmpty() && rawSilent.isEmpty() && unknown.isEmpty()) { // a misspelt key is the one mistake
            problems.add(key + ".approvers is missing: give Slack user IDs (like U012ABCDEF) or user group IDs (like S012ABCDEF).");
        }
        int approvals = approvals(key + ".approvals", n.get("approvals"));
        long named = approvers.size() + silent.size();
        if (approvers.stream().noneMatch(ApprovalRulesLoader::isUserGroup) && silent.stream().noneMatch(ApprovalRulesLoader::isUserGroup)
                && named > 0 && approvals > named) {
            problems.add(key + ".approvals is " + approvals + " but only " + named + " approver(s) are named, so no request could"
                    + " ever be approved.");
        }
        Optional<String> announce = announce(key + ".announce", n.get("announce"));
        Optional<Duration> maxDuration = Optional.empty();
        if (n.hasNonNull("maxDuration")) {
            if (!kinds.isEmpty() && !kinds.contains("grant")) {
                problems.add(key + ".maxDuration only applies to grants, and kinds is " + kinds + ".");
            } else {
                maxDuration = Optional.ofNullable(yaml.durationOf(key + ".maxDuration", n.get("maxDuration"), null));
            }
        }
        return Optional.of(new ApprovalRuleSettings(name, kinds, groups, approvers, approvals, announce, silent, maxDuration));
    }

    static boolean isUserGroup(String id) {
        return USER_GROUP_ID.matcher(id).matches();
    }

    /** A list of strings, or one comma-separated string; absent or empty: none. */
    private List<String> strings(String key, JsonNode n) {
        return n == null || n.isNull() ? List.of() : yaml.stringsOf(key, n).orElse(List.of());
    }

    /** Slack user IDs and user group IDs; each other value is a problem of its own. */
    private List<String> approvers(String key, List<String> raw) {
        List<String> valid = new ArrayList<>();
        for (String id : raw) {
            if (isUserGroup(id)) {
                valid.add(id);
            } else {
                valid.addAll(checks.userIds(key, List.of(id)));
            }
        }
        return valid.stream().distinct().toList();
    }

    private int approvals(String key, JsonNode n) {
        if (n == null || n.isNull()) {
            return 1;
        }
        try {
            int value = Integer.parseInt(n.asText().trim());
            if (n.isTextual() && value >= 1 && value <= MAX_APPROVALS) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " must be a whole number from 1 to " + MAX_APPROVALS + ", got " + YamlTree.kind(n) + ".");
        return 1;
    }

    private Optional<String> announce(String key, JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isTextual() && n.asText().trim().equals(ApprovalRuleSettings.DM)) {
            return Optional.of(ApprovalRuleSettings.DM);
        }
        if (!n.isTextual()) {
            problems.add(key + " must be a channel ID like C012ABCDEF, or dm; got " + YamlTree.kind(n) + ".");
            return Optional.empty();
        }
        return Optional.of(checks.channel(new Checks.Sourced<>(n.asText().trim(), key)));
    }
}
