package dev.awsonboard.lifecycle.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every approval rule, and the default one for requests none of them covers. A request covered by
 * several rules needs all of them.
 */
public record ApprovalRules(List<ApprovalRule> rules, ApprovalRule fallback) {

    public ApprovalRules {
        rules = List.copyOf(rules);
    }

    /** Only the default rule: {@code approvers}, one approval each, for everything. */
    public static ApprovalRules only(Set<String> approvers, ApprovalRule.Announce announce) {
        return new ApprovalRules(List.of(), fallback(approvers, announce));
    }

    /** The rule of requests no other covers: today's approvers ({@code ONBOARD_APPROVERS}), one approval. */
    public static ApprovalRule fallback(Set<String> approvers, ApprovalRule.Announce announce) {
        return new ApprovalRule(ApprovalRule.DEFAULT, Set.of(Kind.values()), Set.of(), approvers.stream().sorted().toList(), 1,
                announce, Set.of(), ApprovalRule.DEFAULT_MAX_GRANT);
    }

    /** The rules a request of {@code kind} giving {@code groups} needs: those that cover it, else the default. */
    public List<ApprovalRule> covering(Kind kind, Collection<String> groups) {
        List<ApprovalRule> covering = rules.stream().filter(r -> r.covers(kind, groups)).toList();
        return covering.isEmpty() ? List.of(fallback) : covering;
    }

    /** The rules a request needs. */
    public List<ApprovalRule> covering(Request r) {
        return covering(r.kind(), r.groups());
    }

    /** The rule called {@code name}, the default one included. */
    public Optional<ApprovalRule> named(String name) {
        return ApprovalRule.DEFAULT.equals(name) ? Optional.of(fallback) : rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** IAM groups that may be granted for a while: those a rule for grants names. */
    public List<String> grantableGroups() {
        Set<String> groups = new LinkedHashSet<>();
        rules.stream().filter(r -> r.kinds().contains(Kind.GRANT)).forEach(r -> groups.addAll(r.groups()));
        return List.copyOf(groups);
    }

    /** Whether {@code group} may be granted for a while. */
    public boolean grantable(String group) {
        return rules.stream().anyMatch(r -> r.kinds().contains(Kind.GRANT) && r.names(group));
    }

    /** The longest a grant of {@code group} may last: the shortest of the rules that cover it. */
    public Duration maxGrant(String group) {
        return covering(Kind.GRANT, List.of(group)).stream().map(ApprovalRule::maxGrant).min(Duration::compareTo)
                .orElse(ApprovalRule.DEFAULT_MAX_GRANT);
    }

    /** Every user group ID any rule names (to resolve and to check). */
    public Set<String> userGroups() {
        Set<String> ids = new LinkedHashSet<>();
        for (ApprovalRule r : all()) {
            r.approvers().stream().filter(ApprovalRule::isUserGroup).forEach(ids::add);
            r.silent().stream().filter(ApprovalRule::isUserGroup).forEach(ids::add);
        }
        return ids;
    }

    /** The configured rules, then the default one. */
    public List<ApprovalRule> all() {
        List<ApprovalRule> all = new ArrayList<>(rules);
        all.add(fallback);
        return all;
    }
}
