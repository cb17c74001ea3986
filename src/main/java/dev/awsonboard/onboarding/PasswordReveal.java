package dev.awsonboard.onboarding;

import dev.awsonboard.config.Secret;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Use case: the person asks to see their one-time password. The bot never kept one: it
 * sets a fresh password (reset required at first sign-in) and hands it over once.
 */
public final class PasswordReveal {
    private static final Set<Status> REVEALABLE = EnumSet.of(Status.AWAITING_MFA, Status.ACTIVE);

    private final RequestStore store;
    private final IamGateway iam;
    private final Function<PasswordPolicy, Secret> passwords;
    private final AuditLog audit;

    public PasswordReveal(RequestStore store, IamGateway iam, Function<PasswordPolicy, Secret> passwords, Clock clock) {
        this.store = store;
        this.iam = iam;
        this.passwords = passwords;
        this.audit = new AuditLog(store, clock);
    }

    /** Who may see the password of this request, or a refusal; cheap, no AWS call. */
    public Optional<String> refusal(String requestId, String actor) {
        return refusal(store.find(requestId), actor);
    }

    private Optional<String> refusal(Optional<Request> found, String actor) {
        if (found.isEmpty()) {
            return Optional.of("I don't know that setup any more.");
        }
        Request r = found.get();
        if (!r.targetUserId().equals(actor)) {
            audit.record(r.id(), actor, "reveal-password", "not the person onboarded", "refused");
            return Optional.of("Only <@" + r.targetUserId() + "> can see this password.");
        }
        if (!REVEALABLE.contains(r.status())) {
            return Optional.of("This setup is " + r.status().label() + "; there is no password to show.");
        }
        return Optional.empty();
    }

    public Outcome<Secret> reveal(String requestId, String actor) {
        Optional<Request> found = store.find(requestId);
        Optional<String> refusal = refusal(found, actor);
        if (refusal.isPresent()) {
            return Outcome.refused(refusal.get());
        }
        Request r = found.get();
        try {
            Secret password = passwords.apply(iam.passwordPolicy());
            iam.updateLoginProfile(r.iamUserName(), password, true);
            audit.record(r.id(), actor, "iam:UpdateLoginProfile", "user=" + r.iamUserName() + " password=" + Secret.MASK + " resetRequired=true", "ok");
            return Outcome.done(password, "This is your one-time password. AWS asks you to change it when you first sign in.");
        } catch (IamException e) {
            audit.record(r.id(), actor, "iam:UpdateLoginProfile", "user=" + r.iamUserName(), e.code());
            return Outcome.refused("AWS could not set a password right now (" + e.code() + "). Try again in a minute.");
        }
    }
}
