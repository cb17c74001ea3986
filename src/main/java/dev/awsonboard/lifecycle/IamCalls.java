package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.IamException;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * IAM calls made for one request: each retried by the {@link IamRetry} policy, every attempt
 * in the audit trail (action, a detail of names and ids only, the outcome or AWS error code),
 * and a probe point after each success where crash tests stop the bot.
 */
final class IamCalls {
    private final String requestId;
    private final String actor;
    private final AuditLog audit;
    private final IamRetry retry;
    private final CrashProbe probe;
    private final Consumer<String> guard;
    private volatile String lastFailedAction;

    IamCalls(String requestId, String actor, AuditLog audit, IamRetry retry, CrashProbe probe) {
        this(requestId, actor, audit, retry, probe, action -> { });
    }

    /**
     * @param guard told the action before every attempt; throws to stop the caller (a run that lost its
     *              claim), and may make sure of the claim first when the action changes something
     */
    IamCalls(String requestId, String actor, AuditLog audit, IamRetry retry, CrashProbe probe, Consumer<String> guard) {
        this.requestId = requestId;
        this.actor = actor;
        this.audit = audit;
        this.retry = retry;
        this.probe = probe;
        this.guard = guard;
    }

    <T> T call(String action, String detail, IamRetry.Mode mode, Supplier<T> body) {
        return call(action, detail, mode, body, e -> { });
    }

    /** As {@link #call(String, String, IamRetry.Mode, Supplier)}, telling {@code failedAttempt} of each attempt that failed. */
    <T> T call(String action, String detail, IamRetry.Mode mode, Supplier<T> body, Consumer<IamException> failedAttempt) {
        T result = retry.call(mode, () -> {
            guard.accept(action);
            return body.get();
        }, e -> {
            lastFailedAction = action;
            audit.record(requestId, actor, action, detail, e.code());
            failedAttempt.accept(e);
        });
        probe.reached("after " + action);
        audit.record(requestId, actor, action, detail, "ok");
        return result;
    }

    void run(String action, String detail, IamRetry.Mode mode, Runnable body) {
        call(action, detail, mode, () -> {
            body.run();
            return null;
        });
    }

    /** Whether {@code action} only reads ("iam:GetUser", "iam:ListMFADevices"...). */
    static boolean reads(String action) {
        return action.startsWith("iam:Get") || action.startsWith("iam:List");
    }

    /** Reads of something IAM said exists before "not there" is believed (IAM's lag after a create). */
    static final int LAG_CHECKS = 5;

    /**
     * Reads something IAM has just said exists (it refused to create it again): right after a create
     * IAM may not show it everywhere yet, so "not found" is read again, after a growing pause, up to
     * {@link #LAG_CHECKS} times. Empty only when every read missed it.
     */
    <T> Optional<T> findExisting(String action, String detail, Supplier<Optional<T>> read) {
        for (int check = 1; ; check++) {
            Optional<T> found = call(action, detail, IamRetry.Mode.TRANSIENT, read);
            if (found.isPresent() || check >= LAG_CHECKS) {
                return found;
            }
            retry.pauseBeforeCheck(check);
        }
    }

    /** The action of the last attempt that failed, e.g. "iam:CreateUser"; null if none did. */
    String lastFailedAction() {
        return lastFailedAction;
    }

    /** A removal: "already gone" (NoSuchEntity) counts as done. Returns false when it was already gone. */
    boolean remove(String action, String detail, Runnable body) {
        try {
            run(action, detail, IamRetry.Mode.TRANSIENT, body);
            return true;
        } catch (IamException e) {
            if (e.kind() == IamException.Kind.NO_SUCH_ENTITY) {
                return false;
            }
            throw e;
        }
    }
}
