package dev.awsonboard.lifecycle.model;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who approves a kind of request, how many of them, and where they are asked. A rule covers a
 * request by its kind and, for onboarding and grants, by the IAM groups the request gives.
 *
 * @param name      how the audit trail, the messages and doctor name it
 * @param kinds     the kinds it covers
 * @param groups    IAM groups (compared ignoring case, as IAM does): the rule covers onboarding and
 *                  grants that give one of them; empty: every request of its kinds
 * @param approvers Slack user IDs and user group IDs ({@code S...}) who are asked and may approve
 * @param approvals how many different approvers must approve
 * @param announce  where the approvers are asked
 * @param silent    may approve as well, but are never pinged (no DM, no mention)
 * @param maxGrant  the longest a grant of its groups may last
 */
public record ApprovalRule(String name, Set<Kind> kinds, Set<String> groups, List<String> approvers, int approvals,
                           Announce announce, Set<String> silent, Duration maxGrant) {

    /** The name of the rule for requests no configured rule covers: today's approvers, one approval. */
    public static final String DEFAULT = "default";
    /** How long a grant may last under a rule that does not say. */
    public static final Duration DEFAULT_MAX_GRANT = Duration.ofHours(8);

    /** Where a rule's approvers are asked. */
    public record Announce(Optional<String> channel, boolean dm) {
        /** Each approver in a DM. */
        public static final Announce DM = new Announce(Optional.empty(), true);

        public static Announce channel(String id) {
            return new Announce(Optional.of(id), false);
        }
    }

    public ApprovalRule {
        kinds = Set.copyOf(kinds);
        groups = Set.copyOf(groups);
        approvers = List.copyOf(approvers);
        silent = Set.copyOf(silent);
        if (approvals < 1) {
            throw new IllegalArgumentException("a rule needs at least one approval");
        }
    }

    /** Whether this rule covers a request of {@code kind} that gives {@code requestGroups}. */
    public boolean covers(Kind kind, Collection<String> requestGroups) {
        if (!kinds.contains(kind)) {
            return false;
        }
        if (groups.isEmpty()) {
            return true;
        }
        return kind.givesGroups() && requestGroups.stream().anyMatch(this::names);
    }

    /** Whether the rule names this IAM group (ignoring case). */
    public boolean names(String group) {
        return groups.stream().anyMatch(g -> g.equalsIgnoreCase(group));
    }

    /** A user group ID ({@code S...}), as opposed to a person's. */
    public static boolean isUserGroup(String id) {
        return id != null && id.startsWith("S");
    }
}
