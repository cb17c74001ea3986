package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.AccessPolicy;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.ProvisioningSettings;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.model.Step;
import dev.awsonboard.lifecycle.model.Tags;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Offboarding: everything the IAM user holds is removed in the order IAM demands, then the user
 * is deleted. Managed policies and groups themselves stay. Each removal is recorded before the
 * next, so a resumed run removes nothing twice and reports nothing an earlier run removed as an
 * error. Only users this bot made (our request-id tag), unless {@code offboardAnyUser}.
 */
final class Offboarding implements RequestKind {
    private static final List<Step> ORDER = List.of(Step.NONE, Step.LOGIN_PROFILE_REMOVED, Step.ACCESS_KEYS_REMOVED,
            Step.SIGNING_CERTIFICATES_REMOVED, Step.SSH_KEYS_REMOVED, Step.SERVICE_CREDENTIALS_REMOVED,
            Step.MFA_DEVICES_REMOVED, Step.INLINE_POLICIES_REMOVED, Step.MANAGED_POLICIES_DETACHED, Step.GROUPS_LEFT,
            Step.USER_DELETED);

    private final AccessPolicy policy;
    private final Ownership ownership;
    private final UserRemoval removal;
    private final UserCheck userCheck;
    private final ProvisioningSettings settings;
    /** The bot's own Slack user id: it files offboardings of people who left ({@link Departures}); null if unknown. */
    private final String botUserId;

    Offboarding(AccessPolicy policy, Ownership ownership, UserRemoval removal, UserCheck userCheck,
                ProvisioningSettings settings, String botUserId) {
        this.policy = policy;
        this.ownership = ownership;
        this.removal = removal;
        this.userCheck = userCheck;
        this.settings = settings;
        this.botUserId = botUserId;
    }

    @Override
    public Kind kind() {
        return Kind.OFFBOARD;
    }

    // --- who may ask (whoMayRequest.offboard; the bot itself for people who left), and what keeps it out ---

    @Override
    public Optional<Notice> refusal(String requester, String person) {
        if (requester != null && requester.equals(botUserId)) {
            return Optional.empty(); // approvers still decide
        }
        return policy.refusal(Kind.OFFBOARD, requester, person);
    }

    /** A request waiting or running for the user; a setup waiting for its person is replaced when this runs. */
    @Override
    public Set<Status> blockedBy() {
        return Status.PENDING;
    }

    @Override
    public Intake.Subject subject(Intake.NewRequest cmd) {
        return Intake.Subject.existingUser(cmd, ownership);
    }

    // --- the checks before approval: the user exists and is ours; whose it is; everything it holds ---

    @Override
    public Request check(Checks checks, Request r) {
        IamGateway.ExistingUser user = checks.existingUser(r);
        if (!settings.offboardAnyUser() && !user.tags().containsKey(Tags.REQUEST_ID)) {
            throw Refusal.of(Reason.IAM_USER_NOT_OURS, "user", user.userName());
        }
        String owner = checks.owner(r, user);
        // Nobody's user: "for yourself" cannot hold, so under that rule only approvers may ask.
        refusal(r.requesterUserId(), owner == null ? AccessPolicy.NOBODY : owner).ifPresent(n -> {
            throw new Refusal(n);
        });
        return checks.forApprovers(r, user, owner, checks.holdings(user.userName()));
    }

    // --- the steps after approval ---

    @Override
    public List<Step> order() {
        return ORDER;
    }

    @Override
    public void carryOut(Run run) {
        userCheck.stillOurs(run, settings.offboardAnyUser());
        run.step(Step.LOGIN_PROFILE_REMOVED, remove(Holding.Type.LOGIN_PROFILE));
        run.step(Step.ACCESS_KEYS_REMOVED, remove(Holding.Type.ACCESS_KEY));
        run.step(Step.SIGNING_CERTIFICATES_REMOVED, remove(Holding.Type.SIGNING_CERTIFICATE));
        run.step(Step.SSH_KEYS_REMOVED, remove(Holding.Type.SSH_KEY));
        run.step(Step.SERVICE_CREDENTIALS_REMOVED, remove(Holding.Type.SERVICE_CREDENTIAL));
        run.step(Step.MFA_DEVICES_REMOVED, remove(Holding.Type.VIRTUAL_MFA_DEVICE, Holding.Type.OTHER_MFA_DEVICE));
        run.step(Step.INLINE_POLICIES_REMOVED, remove(Holding.Type.INLINE_POLICY));
        run.step(Step.MANAGED_POLICIES_DETACHED, remove(Holding.Type.MANAGED_POLICY));
        run.step(Step.GROUPS_LEFT, remove(Holding.Type.GROUP));
        // The link goes in the write that records the user deleted.
        run.step(Step.USER_DELETED, run1 -> removal.deleteUser(run1.iam, run1.current().iamUserName(), recorder(run1)),
                ownership::gone);
    }

    @Override
    public Status finished() {
        return Status.DONE;
    }

    // --- the way down ---

    @Override
    public Request undo(Request r) {
        return r; // what is removed cannot be put back; the request says what was
    }

    private Consumer<Run> remove(Holding.Type... types) {
        return run -> {
            for (Holding.Type type : types) {
                removal.removeAll(run.iam, run.current().iamUserName(), type, recorder(run));
            }
            settlePlanned(run, List.of(types));
        };
    }

    /**
     * What the plan listed of these types and IAM no longer lists under the user. A virtual MFA
     * device that an earlier run deactivated and died before deleting is one: deactivation takes a
     * device off its user, so ListMFADevices stops listing it
     * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeactivateMFADevice.html); it is
     * deleted here. A resumed run also records what the run before it removed and died before
     * recording, so the summary is whole; a fresh run reports only what it removed itself.
     */
    private void settlePlanned(Run run, List<Holding.Type> types) {
        for (Holding h : run.current().plan()) {
            if (!types.contains(h.type()) || run.current().removed().contains(h)) {
                continue;
            }
            boolean deletedNow = h.type() == Holding.Type.VIRTUAL_MFA_DEVICE && removal.deleteUnassignedDevice(run.iam, h.id());
            if (deletedNow || run.resumed()) {
                recorder(run).accept(h);
            }
        }
    }

    /** Each removal is stored before the next, so the summary is exact even after a crash. */
    private static Consumer<Holding> recorder(Run run) {
        return h -> {
            List<Holding> removed = new ArrayList<>(run.current().removed());
            removed.add(h);
            run.update(c -> c.withRemoved(removed, run.now()));
        };
    }
}
