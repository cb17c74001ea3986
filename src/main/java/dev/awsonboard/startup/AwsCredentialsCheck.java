package dev.awsonboard.startup;

import dev.awsonboard.web.Readiness;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Optional;

/**
 * The {@code aws} row of {@code /readyz}: the AWS SDK finds credentials. Resolving them is local for
 * keys and profiles; it is not a call to AWS, so a probe costs nothing and proves only that IAM calls
 * can be signed (whether IAM accepts them shows in {@code doctor} and in the start line).
 */
public final class AwsCredentialsCheck implements Readiness.Check {
    static final String NO_CREDENTIALS = "no credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role)";

    private final AwsCredentialsProvider credentials;

    public AwsCredentialsCheck(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    @Override
    public Optional<String> problem() {
        try {
            credentials.resolveCredentials();
            return Optional.empty();
        } catch (SdkException e) {
            // The SDK's message lists every provider of the chain and why each failed: far too long for a probe.
            return Optional.of(NO_CREDENTIALS);
        }
    }
}
