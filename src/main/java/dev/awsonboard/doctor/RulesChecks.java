package dev.awsonboard.doctor;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import dev.awsonboard.config.ApprovalRuleSettings;
import dev.awsonboard.config.Config;
import dev.awsonboard.lifecycle.model.ApprovalRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The approval rules as the bot understood them, one row each (and one for the default rule), and whether
 * their approvers can be reached: every user group exists and has members, every approver is an active
 * person, and a rule has at least as many of them as approvals it needs. Shown only when rules are set.
 */
final class RulesChecks {
    /** users.info per user group member is Tier 4; the members of a large group are looked at up to this many. */
    static final int MEMBERS_LOOKED_AT = 50;
    private static final String GROUP_ID_FIX = "check the ID (Slack: People > User groups > the group > ... > Copy group ID)";

    private final MethodsClient methods;
    private final Config config;
    private final java.util.function.BooleanSupplier tokenWorks;
    /** What Slack said of each approver id, asked once across the rules. */
    private final Map<String, Reach> reached = new LinkedHashMap<>();

    /** @param tokenWorks whether auth.test accepted the token; if not, no approver is looked up */
    RulesChecks(MethodsClient methods, Config config, java.util.function.BooleanSupplier tokenWorks) {
        this.methods = methods;
        this.config = config;
        this.tokenWorks = tokenWorks;
    }

    /** The people an id stands for who can be reached, and what is wrong with it if anything. */
    private record Reach(Set<String> people, List<String> problems, boolean missingScope) {
    }

    List<Check> checks() {
        if (config.approvalRules().isEmpty()) {
            return List.of();
        }
        List<Check> checks = new ArrayList<>();
        for (ApprovalRuleSettings rule : config.approvalRules()) {
            checks.add(Check.of("rule " + rule.name(), name -> check(name, rule)));
        }
        checks.add(Check.of("rule " + ApprovalRule.DEFAULT, name -> CheckResult.ok(name, "every request no rule covers: 1 approval of "
                + String.join(", ", config.approvers().stream().sorted().toList()) + ", asked in " + usualPlace())));
        return checks;
    }

    private String usualPlace() {
        return config.approvalChannel().orElse("each approver's DM");
    }

    /** The rule in words, as the bot reads it. */
    String describe(ApprovalRuleSettings r) {
        String kinds = r.kinds().isEmpty() ? "every kind" : String.join(", ", r.kinds().stream().sorted().toList());
        String groups = r.groups().isEmpty() ? "" : " giving " + String.join(", ", r.groups());
        String of = r.approvals() + (r.approvals() == 1 ? " approval" : " approvals") + " of " + String.join(", ", r.approvers());
        String silent = r.silentApprovers().isEmpty() ? "" : ", silently also " + String.join(", ", r.silentApprovers());
        String where = r.announce().map(a -> ApprovalRuleSettings.DM.equals(a) ? "each approver's DM" : a).orElse(usualPlace());
        boolean grants = r.kinds().isEmpty() || r.kinds().contains("grant");
        String longest = grants && !r.groups().isEmpty()
                ? "; grants up to " + r.maxDuration().orElse(ApprovalRule.DEFAULT_MAX_GRANT).toString().substring(2).toLowerCase() : "";
        return kinds + groups + ": " + of + silent + ", asked in " + where + longest;
    }

    private CheckResult check(String name, ApprovalRuleSettings rule) {
        if (!tokenWorks.getAsBoolean()) {
            return CheckResult.fail(name, describe(rule) + "; approvers not checked: the token check failed", "fix the slack token first");
        }
        Set<String> people = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        boolean missingScope = false;
        List<String> ids = new ArrayList<>(rule.approvers());
        ids.addAll(rule.silentApprovers());
        for (String id : ids) {
            Reach reach = reached.computeIfAbsent(id, this::reach);
            people.addAll(reach.people());
            problems.addAll(reach.problems());
            missingScope |= reach.missingScope();
        }
        String detail = describe(rule);
        if (!problems.isEmpty()) {
            String fix = missingScope ? SlackChecks.REINSTALL.replace("add it", "add usergroups:read")
                    : problems.stream().anyMatch(p -> p.contains("no_such_subteam")) ? GROUP_ID_FIX
                    : "fix approvalRules." + rule.name() + ".approvers: active people's member IDs, user groups with people in them";
            return CheckResult.fail(name, detail + "; " + String.join("; ", problems), fix);
        }
        if (people.size() < rule.approvals()) {
            return CheckResult.fail(name, detail + "; only " + people.size() + " approver(s) can be reached, so no request could get "
                    + rule.approvals() + " approvals", "add approvers to approvalRules." + rule.name() + " or lower its approvals");
        }
        return CheckResult.ok(name, detail + " (" + people.size() + (people.size() == 1 ? " person" : " people") + ")");
    }

    /** Who an approver id stands for: a person, or a user group's reachable members. */
    private Reach reach(String id) {
        if (!ApprovalRule.isUserGroup(id)) {
            String problem = personProblem(id);
            return problem == null ? new Reach(Set.of(id), List.of(), false) : new Reach(Set.of(), List.of(problem), false);
        }
        UsergroupsUsersListResponse r = SlackChecks.call(() -> methods.usergroupsUsersList(b -> b.usergroup(id)));
        if (!r.isOk()) {
            return new Reach(Set.of(), List.of(id + ": " + r.getError() + SlackChecks.needed(r)), "missing_scope".equals(r.getError()));
        }
        List<String> members = r.getUsers() == null ? List.of() : r.getUsers();
        if (members.isEmpty()) {
            return new Reach(Set.of(), List.of(id + ": the user group has no members"), false);
        }
        Set<String> people = new LinkedHashSet<>();
        for (String member : members.stream().limit(MEMBERS_LOOKED_AT).toList()) {
            if (personProblem(member) == null) {
                people.add(member);
            }
        }
        return people.isEmpty() ? new Reach(Set.of(), List.of(id + ": none of its " + members.size() + " members can be reached"), false)
                : new Reach(people, List.of(), false);
    }

    /** Why a person cannot approve (unknown, deactivated, a bot), or null when they can. */
    private String personProblem(String id) {
        return SlackChecks.personProblem(id, SlackChecks.call(() -> methods.usersInfo(b -> b.user(id))));
    }
}
