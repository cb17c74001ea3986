package dev.awsonboard.lifecycle.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what.
 *
 * @param requesters        who may ask for onboarding; empty means anyone in the workspace
 * @param allowSelfApproval whether an approver may approve a request they made, or one about themselves
 * @param whoMayRequest     per kind other than onboarding, who may ask
 */
public record AccessPolicy(Set<String> approvers, Set<String> requesters, boolean allowSelfApproval,
                           Map<Kind, Who> whoMayRequest) {

    /** Who may ask for a reset or an offboarding. */
    public enum Who {
        /** Anyone, about anyone. */
        ANYONE,
        /** Anyone about themselves; approvers about anyone. */
        SELF,
        /** Approvers only. */
        APPROVERS
    }

    public AccessPolicy {
        approvers = Set.copyOf(approvers);
        requesters = Set.copyOf(requesters);
        Map<Kind, Who> who = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            who.put(k, Who.SELF);
        }
        who.putAll(whoMayRequest);
        whoMayRequest = Map.copyOf(who);
    }

    public AccessPolicy(Set<String> approvers, Set<String> requesters, boolean allowSelfApproval) {
        this(approvers, requesters, allowSelfApproval, Map.of());
    }

    /** May this person ask for onboarding at all. */
    public boolean mayRequest(String userId) {
        return requesters.isEmpty() || requesters.contains(userId) || approvers.contains(userId);
    }

    /**
     * May {@code requester} ask for {@code kind} about the person {@code target} (null: not known yet,
     * before IAM was read; {@link #NOBODY}: the IAM user belongs to no one).
     */
    public boolean mayRequest(Kind kind, String requester, String target) {
        if (kind == Kind.ONBOARD) {
            return mayRequest(requester);
        }
        return switch (whoMayRequest.get(kind)) {
            case ANYONE -> true;
            case APPROVERS -> isApprover(requester);
            case SELF -> isApprover(requester) || target == null || requester.equals(target);
        };
    }

    /** The person of a request about an IAM user that belongs to nobody: nobody asks "for themselves" about it. */
    public static final String NOBODY = "";

    /**
     * Why {@code requester} may not ask for a reset or an offboarding ({@code kind}) about {@code person}
     * under {@link #whoMayRequest}, if not.
     */
    public Optional<Notice> refusal(Kind kind, String requester, String person) {
        if (mayRequest(kind, requester, person)) {
            return Optional.empty();
        }
        return Optional.of(Notice.of(whoMayRequest.get(kind) == Who.SELF ? Reason.ONLY_FOR_YOURSELF
                : Reason.NOT_ALLOWED_TO_REQUEST, "kind", kind));
    }

    public boolean isApprover(String userId) {
        return approvers.contains(userId);
    }
}
