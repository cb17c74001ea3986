package dev.awsonboard.onboarding;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Use case: someone asks for an IAM user for a person; approvers are asked. */
public final class RequestAccess {
    public static final int MAX_REASON = 500;
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");

    /** The parts of a request a person fills in, each with its own error in a form. */
    public enum Field { IAM_USER_NAME, TARGET_USER, GROUPS, REASON }

    public record NewRequest(String requesterId, String iamUserName, String targetUserId,
                             List<String> groups, String reason) {
        public NewRequest {
            groups = groups == null ? List.of() : List.copyOf(groups);
            reason = reason == null ? "" : reason.strip();
            iamUserName = iamUserName == null ? "" : iamUserName.strip();
        }
    }

    private final RequestStore store;
    private final IamGateway iam;
    private final Notifier notifier;
    private final AccessPolicy policy;
    private final List<String> offeredGroups;
    private final Clock clock;
    private final Supplier<String> ids;
    private final AuditLog audit;

    public RequestAccess(RequestStore store, IamGateway iam, Notifier notifier, AccessPolicy policy,
                         List<String> offeredGroups, Clock clock, Supplier<String> ids) {
        this.store = store;
        this.iam = iam;
        this.notifier = notifier;
        this.policy = policy;
        this.offeredGroups = List.copyOf(offeredGroups);
        this.clock = clock;
        this.ids = ids;
        this.audit = new AuditLog(store, clock);
    }

    public List<String> offeredGroups() {
        return offeredGroups;
    }

    public boolean mayRequest(String userId) {
        return policy.mayRequest(userId);
    }

    /** Field-by-field problems with what was filled in; empty when the form is fine. No AWS call. */
    public Map<Field, String> problems(NewRequest cmd) {
        Map<Field, String> problems = new LinkedHashMap<>();
        IamNames.userNameProblem(cmd.iamUserName()).ifPresent(p -> problems.put(Field.IAM_USER_NAME, p));
        if (cmd.targetUserId() == null || !SLACK_USER_ID.matcher(cmd.targetUserId()).matches()) {
            problems.put(Field.TARGET_USER, "Pick the Slack user to onboard.");
        }
        List<String> unknown = new ArrayList<>();
        for (String g : cmd.groups()) {
            if (!offeredGroups.contains(g)) {
                unknown.add(g);
            }
        }
        if (!unknown.isEmpty()) {
            problems.put(Field.GROUPS, offeredGroups.isEmpty()
                    ? "No groups are configured for onboarding, so none can be picked."
                    : "Not an offered group: " + String.join(", ", unknown) + ". Offered: " + String.join(", ", offeredGroups) + ".");
        }
        if (cmd.reason().length() > MAX_REASON) {
            problems.put(Field.REASON, "Keep the reason under " + MAX_REASON + " characters.");
        }
        return problems;
    }

    public Outcome<Request> submit(NewRequest cmd) {
        if (!policy.mayRequest(cmd.requesterId())) {
            return Outcome.refused("You are not allowed to request AWS access. Ask an AWS admin.");
        }
        Map<Field, String> problems = problems(cmd);
        if (!problems.isEmpty()) {
            return Outcome.refused(String.join(" ", problems.values()));
        }
        Optional<String> conflict = conflict(cmd.iamUserName());
        if (conflict.isPresent()) {
            return Outcome.refused(conflict.get());
        }
        List<String> groups = new ArrayList<>(new LinkedHashSet<>(cmd.groups()));
        Request request = Request.newRequest(ids.get(), cmd.iamUserName(), cmd.targetUserId(),
                cmd.requesterId(), groups, cmd.reason(), clock.instant());
        store.insert(request);
        audit.record(request.id(), cmd.requesterId(), "request",
                "iamUser=" + request.iamUserName() + " for=" + request.targetUserId() + " groups=" + groups, "ok");
        try {
            List<MessageRef> refs = notifier.postApprovalRequest(request);
            request = store.replace(request, request.withApprovalMessages(refs, clock.instant())).orElse(request);
        } catch (NotifierException e) {
            store.replace(request, request.withFailure(Status.CANCELLED, "approvers could not be asked: " + e.code(), clock.instant()));
            audit.record(request.id(), AuditLog.BOT, "post-approval-request", "", e.code());
            return Outcome.refused("I could not ask the approvers (Slack said " + e.code()
                    + "). Check that the bot is in the approval channel, then try again.");
        }
        return Outcome.done(request, "Request " + request.id() + " for IAM user " + request.iamUserName()
                + " is waiting for approval.");
    }

    /** Why this IAM user name can't be requested now, if it can't. */
    private Optional<String> conflict(String iamUserName) {
        List<Request> open = store.findOpenByIamUserName(iamUserName);
        if (!open.isEmpty()) {
            return Optional.of("There is already an open request (" + open.get(0).id() + ") for IAM user "
                    + open.get(0).iamUserName() + ".");
        }
        try {
            return iam.findUser(iamUserName).map(u -> "IAM user " + u.userName()
                    + " already exists in this AWS account. Pick another name.");
        } catch (IamException e) {
            return Optional.of("I could not check IAM for that user name (" + e.code() + "). Try again later.");
        }
    }
}
