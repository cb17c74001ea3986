package dev.awsonboard.onboarding;

import java.util.Set;

/**
 * Who may do what.
 *
 * @param requesters        who may ask; empty means anyone in the workspace
 * @param allowSelfApproval whether an approver may approve a request they made themselves
 */
public record AccessPolicy(Set<String> approvers, Set<String> requesters, boolean allowSelfApproval) {

    public AccessPolicy {
        approvers = Set.copyOf(approvers);
        requesters = Set.copyOf(requesters);
    }

    public boolean mayRequest(String userId) {
        return requesters.isEmpty() || requesters.contains(userId) || approvers.contains(userId);
    }

    public boolean isApprover(String userId) {
        return approvers.contains(userId);
    }
}
