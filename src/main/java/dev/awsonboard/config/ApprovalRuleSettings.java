package dev.awsonboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@code approvalRules} in the YAML file, checked: who approves which requests, how
 * many of them, where they are asked. The words are the YAML's; the bot turns them into the
 * domain's rule.
 *
 * @param name            how audit lines, messages and doctor name the rule
 * @param kinds           the request kinds it covers, as written ({@code onboard}, {@code grant}, ...);
 *                        empty: every kind
 * @param groups          IAM groups: the rule covers onboarding and grants that include one of them;
 *                        empty: every request of its kinds
 * @param approvers       Slack user IDs ({@code U...}, {@code W...}) and user group IDs ({@code S...})
 * @param approvals       how many different approvers must approve (1 by default)
 * @param announce        a channel ID, or {@code dm} for each approver's DM; empty: where every other
 *                        request goes
 * @param silentApprovers may approve as well, but are never pinged (no DM, no mention)
 * @param maxDuration     the longest a grant of these groups may last
 */
public record ApprovalRuleSettings(String name, Set<String> kinds, List<String> groups, List<String> approvers,
                                   int approvals, Optional<String> announce, List<String> silentApprovers,
                                   Optional<Duration> maxDuration) {
    /** {@code announce: dm}: each approver of the rule gets the request in a DM. */
    public static final String DM = "dm";

    public ApprovalRuleSettings {
        kinds = Set.copyOf(kinds);
        groups = List.copyOf(groups);
        approvers = List.copyOf(approvers);
        silentApprovers = List.copyOf(silentApprovers);
    }
}
