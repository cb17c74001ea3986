package dev.awsonboard.startup;

/**
 * The bot cannot start, for a reason an operator can fix; the message is one line that names the
 * setting at fault (an environment variable) and never holds a secret.
 */
public class StartupException extends IllegalStateException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
