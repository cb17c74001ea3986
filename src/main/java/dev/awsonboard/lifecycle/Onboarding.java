package dev.awsonboard.lifecycle;

import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.IamNames;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Onboarding: a tagged IAM user in its groups, allowed to change its password, with a console
 * password that must be changed at first sign-in, and a new MFA device whose QR goes to the
 * person. The person then enters two codes ({@link MfaActivation}).
 */
final class Onboarding implements RequestKind {
    private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");
    private static final List<Step> ORDER = List.of(Step.NONE, Step.USER_REQUESTED, Step.USER_CREATED, Step.GROUPS_ADDED,
            Step.PASSWORD_CHANGE_ALLOWED, Step.LOGIN_PROFILE_CREATED, Step.DEVICE_REQUESTED, Step.MFA_DEVICE_CREATED,
            Step.SETUP_SENT, Step.MFA_ENABLED);

    private final AccessPolicy policy;
    private final List<String> offeredGroups;
    private final IamGateway iam;
    private final ProvisioningSettings settings;
    private final AccountFacts account;
    private final Function<PasswordPolicy, Secret> passwords;
    private final PasswordChange passwordChange;
    private final MfaSetup mfaSetup;
    private final Cleanup cleanup;
    private final UserCheck check;
    private final Ownership ownership;

    Onboarding(AccessPolicy policy, List<String> offeredGroups, IamGateway iam, ProvisioningSettings settings,
               AccountFacts account, Function<PasswordPolicy, Secret> passwords, PasswordChange passwordChange,
               MfaSetup mfaSetup, Cleanup cleanup, UserCheck check, Ownership ownership) {
        this.policy = policy;
        this.offeredGroups = List.copyOf(offeredGroups);
        this.iam = iam;
        this.settings = settings;
        this.account = account;
        this.passwords = passwords;
        this.passwordChange = passwordChange;
        this.mfaSetup = mfaSetup;
        this.cleanup = cleanup;
        this.check = check;
        this.ownership = ownership;
    }

    @Override
    public Kind kind() {
        return Kind.ONBOARD;
    }

    // --- who may ask, and what keeps it out ---

    /** Anyone in {@code requesters} (everyone when it is empty), and the approvers. */
    @Override
    public Optional<Notice> refusal(String requester, String person) {
        return policy.mayRequest(requester) ? Optional.empty()
                : Optional.of(Notice.of(Reason.NOT_ALLOWED_TO_REQUEST, "kind", Kind.ONBOARD));
    }

    /** Anything open for the name, a setup waiting for its person included. */
    @Override
    public Set<Status> blockedBy() {
        return Intake.BLOCKED_BY_ANY_OPEN;
    }

    List<String> offeredGroups() {
        return offeredGroups;
    }

    // --- at the acknowledgement ---

    /** Field-by-field problems with what was typed; empty when it is fine. No remote call. */
    Map<Intake.Field, Notice> problems(Intake.NewRequest cmd) {
        Map<Intake.Field, Notice> problems = new LinkedHashMap<>();
        IamNames.userNameProblem(cmd.iamUserName()).ifPresent(p -> problems.put(Intake.Field.IAM_USER_NAME, p));
        if (cmd.targetUserId() == null || !SLACK_USER_ID.matcher(cmd.targetUserId()).matches()) {
            problems.put(Intake.Field.TARGET_USER, Notice.of(Reason.TARGET_MISSING));
        }
        List<String> unknown = cmd.groups().stream().filter(g -> !offeredGroups.contains(g)).toList();
        if (!unknown.isEmpty()) {
            problems.put(Intake.Field.GROUPS, offeredGroups.isEmpty() ? Notice.of(Reason.NO_GROUPS_OFFERED)
                    : Notice.of(Reason.GROUPS_NOT_OFFERED, "groups", String.join(", ", unknown), "offered", String.join(", ", offeredGroups)));
        }
        if (cmd.reason().length() > Intake.MAX_REASON) {
            problems.put(Intake.Field.REASON, Notice.of(Reason.REASON_TOO_LONG, "max", Intake.MAX_REASON));
        }
        return problems;
    }

    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        problems(cmd).values().stream().findFirst().ifPresent(problem -> {
            throw new Refusal(problem);
        });
        return new Intake.Subject(cmd.iamUserName(), new ArrayList<>(new LinkedHashSet<>(cmd.groups())));
    }

    // --- the checks before approval: the person can hold access, the name is free ---

    @Override
    public Request check(Checks checks, Request r) {
        checks.personFit(r.targetUserId());
        checks.nameFree(r.iamUserName());
        return r;
    }

    // --- the steps after approval ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        check.personStillFit(run);
        run.step(Step.USER_CREATED, this::createUser);
        run.step(Step.GROUPS_ADDED, this::addToGroups);
        run.step(Step.PASSWORD_CHANGE_ALLOWED, passwordChange::allow);
        run.step(Step.LOGIN_PROFILE_CREATED, this::createLoginProfile);
        run.step(Step.SETUP_SENT, mfaSetup::deliver);
    }

    @Override
    public Status finished() {
        return Status.AWAITING_MFA;
    }

    @Override
    public MessageRef postButtons(Request r) {
        return mfaSetup.postInstructions(r);
    }

    // --- the way down: the user goes, with everything attached ---

    @Override
    public Request undo(Request r) {
        return cleanup.removeUser(r);
    }

    private void createUser(Run run) {
        if (!run.passed(Step.USER_REQUESTED)) {
            // Recorded before the call: if its answer is lost, the undo knows to look for a user with our tag.
            run.update(c -> c.withStep(Step.USER_REQUESTED, run.now()));
        }
        Request r = run.current();
        Map<String, String> tags = new LinkedHashMap<>(settings.extraTags());
        tags.put(Tags.REQUEST_ID, r.id());
        tags.put(Tags.SLACK_USER, r.targetUserId());
        tags.put(Tags.REQUESTED_BY, r.requesterUserId());
        tags.put(Tags.APPROVED_BY, String.join(" ", r.approvers())); // each of a two-person approval
        IamGateway.CreatedUser user;
        try {
            user = run.iam.call("iam:CreateUser", "user=" + r.iamUserName() + " path=" + settings.iamPath() + " tags=" + tags.keySet()
                            + settings.permissionsBoundary().map(b -> " boundary=" + b).orElse(""), IamRetry.Mode.TRANSIENT,
                    () -> iam.createUser(r.iamUserName(), settings.iamPath(), tags, settings.permissionsBoundary()));
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // A user with our request tag is ours: an earlier attempt made it and its answer was lost,
            // or an earlier run made it and stopped before recording it.
            IamGateway.ExistingUser existing = run.iam.findExisting("iam:GetUser", "user=" + r.iamUserName(),
                    () -> iam.findUser(r.iamUserName())).orElseThrow(() -> notVisible(r.iamUserName()));
            if (!r.id().equals(existing.tags().get(Tags.REQUEST_ID))) {
                throw run.fail(Reason.USER_EXISTS, "user", r.iamUserName());
            }
            user = new IamGateway.CreatedUser(existing.userName(), existing.userId(), existing.arn());
        }
        String accountId = Request.accountIdOf(user.arn());
        String url = settings.signInUrl().orElseGet(() -> "https://" + account.label(accountId) + ".signin.aws.amazon.com/console");
        IamGateway.CreatedUser made = user;
        // The user is this person's from the write that records it: no crash leaves a user of ours that belongs to nobody.
        run.update(c -> c.withUser(made.userName(), made.arn(), made.userId(), url, run.now()),
                ownership.onboarded(r, made.userName(), made.userId(), made.arn()));
    }

    /** IAM says the name is taken and will not show the user: a passing state, not a name taken for good. */
    private static IamException notVisible(String user) {
        return new IamException(IamException.Kind.UNAVAILABLE, "NotVisibleYet", "user " + user + " exists but cannot be read yet");
    }

    private void addToGroups(Run run) {
        Request r = run.current();
        for (String group : settings.groupsFor(r)) {
            // Adding a member twice is no error in IAM, so a resumed run simply repeats this.
            // The user was just created: NoSuchEntity may be IAM not showing it everywhere yet.
            run.iam.run("iam:AddUserToGroup", "user=" + r.iamUserName() + " group=" + group, IamRetry.Mode.EXISTS,
                    () -> iam.addUserToGroup(r.iamUserName(), group));
        }
    }

    private void createLoginProfile(Run run) {
        Request r = run.current();
        PasswordPolicy policy = run.iam.call("iam:GetAccountPasswordPolicy", "", IamRetry.Mode.TRANSIENT, account::passwordPolicy);
        // This password is never shown: the person gets a fresh one when they click "Show password".
        Secret password = passwords.apply(policy);
        String detail = "user=" + r.iamUserName() + " password=" + Secret.MASK + " resetRequired=true";
        try {
            run.iam.run("iam:CreateLoginProfile", detail, IamRetry.Mode.EXISTS,
                    () -> iam.createLoginProfile(r.iamUserName(), password, true));
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // Ours from an earlier run (the user carries our tag): reset it rather than fail.
            run.iam.run("iam:UpdateLoginProfile", detail, IamRetry.Mode.EXISTS,
                    () -> iam.updateLoginProfile(r.iamUserName(), password, true));
        }
    }
}
