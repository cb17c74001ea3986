package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;

import dev.awsonboard.config.Secret;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Onboarding: a tagged IAM user in its groups, allowed to change its password, with a console
 * password that must be changed at first sign-in, and a new MFA device whose QR goes to the
 * person. The person then enters two codes ({@link MfaActivation}).
 */
final class OnboardProcedure implements Procedure {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.USER_CREATED, Step.GROUPS_ADDED,
            Step.PASSWORD_CHANGE_ALLOWED, Step.LOGIN_PROFILE_CREATED, Step.DEVICE_REQUESTED, Step.MFA_DEVICE_CREATED,
            Step.SETUP_SENT, Step.MFA_ENABLED);

    private final IamGateway iam;
    private final ProvisioningSettings settings;
    private final AccountFacts account;
    private final Function<PasswordPolicy, Secret> passwords;
    private final PasswordChange passwordChange;
    private final MfaSetup mfaSetup;
    private final Cleanup cleanup;
    private final UserCheck check;

    OnboardProcedure(IamGateway iam, ProvisioningSettings settings, AccountFacts account,
                     Function<PasswordPolicy, Secret> passwords, PasswordChange passwordChange, MfaSetup mfaSetup,
                     Cleanup cleanup, UserCheck check) {
        this.iam = iam;
        this.settings = settings;
        this.account = account;
        this.passwords = passwords;
        this.passwordChange = passwordChange;
        this.mfaSetup = mfaSetup;
        this.cleanup = cleanup;
        this.check = check;
    }

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Runner.Run run) {
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
    public Request undo(Request r) {
        return cleanup.removeUser(r);
    }

    private void createUser(Runner.Run run) {
        Request r = run.current();
        Map<String, String> tags = new LinkedHashMap<>(settings.extraTags());
        tags.put(Tags.REQUEST_ID, r.id());
        tags.put(Tags.SLACK_USER, r.targetUserId());
        tags.put(Tags.REQUESTED_BY, r.requesterUserId());
        tags.put(Tags.APPROVED_BY, r.approverUserId() == null ? "" : r.approverUserId());
        String arn;
        try {
            arn = run.iam.call("iam:CreateUser", "user=" + r.iamUserName() + " path=" + settings.iamPath() + " tags=" + tags.keySet()
                            + settings.permissionsBoundary().map(b -> " boundary=" + b).orElse(""), IamRetry.Mode.TRANSIENT,
                    () -> iam.createUser(r.iamUserName(), settings.iamPath(), tags, settings.permissionsBoundary())).arn();
        } catch (IamException e) {
            if (e.kind() != IamException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // A user with our request tag is ours: an earlier run created it and stopped before recording it.
            arn = iam.findUser(r.iamUserName())
                    .filter(u -> r.id().equals(u.tags().get(Tags.REQUEST_ID)))
                    .orElseThrow(() -> run.fail(Reason.USER_EXISTS, "user", r.iamUserName()))
                    .arn();
        }
        String accountId = Request.accountIdOf(arn);
        String url = settings.signInUrl().orElseGet(() -> "https://" + account.label(accountId) + ".signin.aws.amazon.com/console");
        String userArn = arn;
        run.update(c -> c.withUser(userArn, url, run.now()));
    }

    private void addToGroups(Runner.Run run) {
        Request r = run.current();
        for (String group : settings.groupsFor(r)) {
            // Adding a member twice is no error in IAM, so a resumed run simply repeats this.
            // The user was just created: NoSuchEntity may be IAM not showing it everywhere yet.
            run.iam.run("iam:AddUserToGroup", "user=" + r.iamUserName() + " group=" + group, IamRetry.Mode.EXISTS,
                    () -> iam.addUserToGroup(r.iamUserName(), group));
        }
    }

    private void createLoginProfile(Runner.Run run) {
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
