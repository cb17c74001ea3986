package dev.awsonboard.lifecycle.port;


/** A failed IAM call, mapped to what the flow needs to decide. Messages never hold secrets. */
public class IamException extends RuntimeException {

    public enum Kind {
        /** EntityAlreadyExists */
        ALREADY_EXISTS(false),
        /** NoSuchEntity */
        NO_SUCH_ENTITY(false),
        /** InvalidInput, ValidationError, MalformedInput */
        INVALID_INPUT(false),
        /** PasswordPolicyViolation */
        PASSWORD_POLICY(false),
        /** InvalidAuthenticationCode */
        INVALID_CODE(false),
        /** LimitExceeded */
        LIMIT_EXCEEDED(false),
        /** AccessDenied and friends */
        ACCESS_DENIED(false),
        /** EntityTemporarilyUnmodifiable, ConcurrentModification */
        TEMPORARILY_UNMODIFIABLE(true),
        /** Throttling */
        THROTTLED(true),
        /** ServiceFailure, 5xx, I/O */
        UNAVAILABLE(true),
        OTHER(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        public boolean isTransient() {
            return transientFailure;
        }
    }

    private final Kind kind;
    private final String code;

    public IamException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The AWS error code, e.g. "EntityAlreadyExists". */
    public String code() {
        return code;
    }
}
