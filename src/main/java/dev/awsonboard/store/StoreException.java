package dev.awsonboard.store;

/**
 * A storage operation failed. Unchecked so the {@code RequestStore} port stays free of JDBC
 * types. The message names the operation (and the SQLState when there is one) but never a
 * parameter value, so it is safe to log and to show an operator.
 */
public class StoreException extends RuntimeException {
    private final boolean duplicateKey;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StoreException(String message, Throwable cause, boolean duplicateKey) {
        super(message, cause);
        this.duplicateKey = duplicateKey;
    }

    /** True when the write failed because a row with the same key already exists. */
    public boolean isDuplicateKey() {
        return duplicateKey;
    }
}
