package dev.awsonboard.startup;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** STS for GetCallerIdentity (which needs no permission): short timeouts, one retry, as doctor and the start line need it. */
public final class StsClients {
    private StsClients() {
    }

    /**
     * @param endpoint {@code AWS_ENDPOINT_URL_STS} / {@code AWS_ENDPOINT_URL}; empty: the real STS
     * @param region   {@code AWS_REGION}; empty: STS's global endpoint (sts.amazonaws.com)
     */
    public static StsClient create(Optional<URI> endpoint, Optional<String> region, AwsCredentialsProvider credentials) {
        var builder = StsClient.builder()
                .region(region.map(Region::of).orElse(Region.AWS_GLOBAL))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
