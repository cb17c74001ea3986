package dev.awsonboard.iam;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Builds the SDK's {@link IamClient} the way this bot needs it. */
public final class IamClients {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest one attempt of an IAM call waits (the retry policy's budget counts it; a lease must outlast a call). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private IamClients() {
    }

    /**
     * @param endpointOverride an emulator or test fake instead of the real global IAM endpoint
     * @param maxRetries       retries after the first attempt; the SDK's own rules decide which
     *                         errors are retried (throttling and 5xx, with backoff), this only bounds them
     */
    public static IamClient create(Optional<URI> endpointOverride, AwsCredentialsProvider credentials,
                                   int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
        }
        var builder = IamClient.builder()
                // IAM is global; the SDK signs for us-east-1 under this pseudo-region.
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        // Standard mode (the SDK's own default is still "legacy"): exponential backoff
                        // with jitter for throttling and 5xx, bounded here to maxRetries.
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxRetries + 1)
                                .build())
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        endpointOverride.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The IAM endpoint named by the environment: {@code AWS_ENDPOINT_URL_IAM}, else
     * {@code AWS_ENDPOINT_URL} (the SDK's own names for service-specific and global overrides).
     */
    public static Optional<URI> endpointFromEnvironment(Map<String, String> env) {
        return firstSet(env, "AWS_ENDPOINT_URL_IAM").or(() -> firstSet(env, "AWS_ENDPOINT_URL"))
                .map(entry -> parse(entry.getKey(), entry.getValue()));
    }

    private static Optional<Map.Entry<String, String>> firstSet(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> Map.entry(name, v));
    }

    private static URI parse(String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "needs a scheme and a host, like http://localhost:4566");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a usable endpoint URL: " + e.getMessage(), e);
        }
    }
}
