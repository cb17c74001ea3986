package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.port.IamException;

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
    private volatile String lastFailedAction;

    IamCalls(String requestId, String actor, AuditLog audit, IamRetry retry, CrashProbe probe) {
        this.requestId = requestId;
        this.actor = actor;
        this.audit = audit;
        this.retry = retry;
        this.probe = probe;
    }

    <T> T call(String action, String detail, IamRetry.Mode mode, Supplier<T> body) {
        T result = retry.call(mode, body, e -> {
            lastFailedAction = action;
            audit.record(requestId, actor, action, detail, e.code());
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
