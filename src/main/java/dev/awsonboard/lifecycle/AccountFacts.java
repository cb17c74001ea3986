package dev.awsonboard.lifecycle;

import dev.awsonboard.lifecycle.model.PasswordPolicy;
import dev.awsonboard.lifecycle.port.IamException;
import dev.awsonboard.lifecycle.port.IamGateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What hardly ever changes in the account (its alias, its password policy), read from IAM at
 * most once per {@code ttl}: every request would otherwise pay two round trips for it.
 */
final class AccountFacts {
    private final IamGateway iam;
    private final Clock clock;
    private final Duration ttl;
    private final Cached<Optional<String>> alias = new Cached<>();
    private final Cached<PasswordPolicy> policy = new Cached<>();

    AccountFacts(IamGateway iam, Clock clock, Duration ttl) {
        this.iam = iam;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The alias if set, else the account id: what the authenticator app shows and the sign-in URL uses. */
    String label(String accountId) {
        try {
            return alias.get(iam::accountAlias).orElse(accountId);
        } catch (IamException e) {
            return accountId; // cosmetic: the account id always works
        }
    }

    PasswordPolicy passwordPolicy() {
        return policy.get(iam::passwordPolicy);
    }

    private final class Cached<T> {
        private T value;
        private Instant until = Instant.MIN;

        synchronized T get(Supplier<T> read) {
            Instant now = clock.instant();
            if (value == null || now.isAfter(until)) {
                value = read.get();
                until = now.plus(ttl);
            }
            return value;
        }
    }
}
