package dev.awsonboard.lifecycle.model;

import java.util.Arrays;
import java.util.List;

/**
 * What one rule asks of a request, as the approvers see it: its name, how many approvals it needs,
 * whom it pings, and who of those approving so far count for it. Kept on the request (redrawn at each
 * approval), so every copy of the approval message says how far it got and the audit trail says
 * under which rules it was decided.
 *
 * @param approvers  the rule's approvers who are pinged (user and user group IDs), silent ones left out
 * @param approvedBy the approvers so far who count for this rule, in order
 */
public record ApprovalNeed(String rule, int approvals, List<String> approvers, List<String> approvedBy) {

    public ApprovalNeed {
        approvers = List.copyOf(approvers);
        approvedBy = List.copyOf(approvedBy);
    }

    public boolean met() {
        return approvedBy.size() >= approvals;
    }

    /** "rule|2|U1,S2|U3": names, ids and a number never hold '|' or ','. */
    public String encode() {
        return rule + "|" + approvals + "|" + String.join(",", approvers) + "|" + String.join(",", approvedBy);
    }

    public static ApprovalNeed decode(String encoded) {
        String[] parts = encoded.split("\\|", -1);
        return new ApprovalNeed(parts[0], Integer.parseInt(parts[1]), ids(parts[2]), ids(parts[3]));
    }

    private static List<String> ids(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
