package dev.awsonboard.startup;

import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.fakes.FakeIam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the start line says about the mode, the AWS identity (STS on the IAM fake) and the database. */
class StartLineTest {
    static final String AWS_SECRET = "startLineSecretAccessKey000000000000000";
    static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTART", AWS_SECRET));

    FakeIam iam;
    Map<String, String> env;

    @BeforeEach
    void start() {
        iam = FakeIam.start(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 5);
        iam.acceptCredentials("AKIDSTART", AWS_SECRET); // the fake checks SigV4 against the keys it knows
        env = new HashMap<>(Map.of("SLACK_BOT_TOKEN", "xoxb-start-line", "SLACK_SIGNING_SECRET", "start-line-signing",
                "ONBOARD_APPROVERS", "UAPPROVER1", "AWS_ENDPOINT_URL_STS", iam.endpoint().toString()));
    }

    @AfterEach
    void stop() {
        iam.close();
    }

    private Config config() {
        return ConfigLoader.load(env);
    }

    private StartLine.Aws aws(AwsCredentialsProvider credentials) {
        Config c = config();
        return StartLine.aws(c, credentials, () -> StsClients.create(c.stsEndpoint(), c.awsRegion(), credentials));
    }

    @Test
    void theLineNamesTheModeAndTheDatabaseWithItsPasswordMasked() {
        env.put("DATABASE_URL", "jdbc:postgresql://db.internal:5432/onboard?user=onboard&password=hunter2hunter2");
        String http = StartLine.line(config(), 3000, "AWS account 123456789012 as arn:x");
        env.put("SLACK_APP_TOKEN", "xapp-1-A1-start");
        String socket = StartLine.line(config(), 8080, "AWS account 123456789012 as arn:x");

        assertThat(http).isEqualTo("aws-onboard " + Version.current() + " started: HTTP on port 3000; AWS account 123456789012"
                + " as arn:x; database jdbc:postgresql://db.internal:5432/onboard?user=onboard&password=*****");
        assertThat(socket).contains("started: Socket Mode (probes on port 8080); ").doesNotContain("hunter2");
    }

    @Test
    void theAccountComesFromStsGetCallerIdentity() {
        StartLine.Aws aws = aws(CREDENTIALS);

        assertThat(aws.phrase()).isEqualTo("AWS account " + FakeIam.ACCOUNT_ID + " as " + FakeIam.DEFAULT_CALLER_ARN);
        assertThat(aws.warning()).isEmpty();
        assertThat(iam.callCount("GetCallerIdentity")).isEqualTo(1);
    }

    @Test
    void noCredentialsMeansNoStsCallAndAWarningThatSaysWhatToSet() {
        StartLine.Aws aws = aws(() -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        });

        assertThat(aws.phrase()).isEqualTo("AWS account unknown (no credentials)");
        assertThat(aws.warning()).hasValueSatisfying(w -> assertThat(w).contains("no AWS credentials found")
                .contains("AWS_ACCESS_KEY_ID").contains("AWS_PROFILE").contains("/readyz"));
        assertThat(iam.callCount("GetCallerIdentity")).isZero();
    }

    @Test
    void credentialsStsRefusesAreAWarningWithTheErrorCodeAndNoSecret() {
        iam.failNext("GetCallerIdentity", 2, "InvalidClientTokenId", 403);

        StartLine.Aws aws = aws(CREDENTIALS);

        assertThat(aws.phrase()).isEqualTo("AWS account unknown (refused by STS)");
        assertThat(aws.warning()).hasValueSatisfying(w -> assertThat(w).contains("InvalidClientTokenId")
                .contains("AWS_ACCESS_KEY_ID").doesNotContain(AWS_SECRET));
    }

    @Test
    void stsOutOfReachIsAWarningNamingWhere() throws IOException {
        String nowhere;
        try (ServerSocket s = new ServerSocket(0)) {
            nowhere = "http://127.0.0.1:" + s.getLocalPort();
        }
        env.put("AWS_ENDPOINT_URL_STS", nowhere);

        StartLine.Aws aws = aws(CREDENTIALS);

        assertThat(aws.phrase()).isEqualTo("AWS account unknown (STS not reached)");
        assertThat(aws.warning()).hasValueSatisfying(w -> assertThat(w).contains("could not reach " + nowhere));
    }

    @Test
    void withIamAtAnEmulatorAndNoStsEndpointTheRealStsIsNotAsked() {
        env.remove("AWS_ENDPOINT_URL_STS");
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());

        StartLine.Aws aws = aws(CREDENTIALS);

        assertThat(aws.phrase()).startsWith("AWS account not looked up (IAM at " + iam.endpoint()).contains("AWS_ENDPOINT_URL_STS");
        assertThat(aws.warning()).isEmpty();
        assertThat(iam.callCount("GetCallerIdentity")).isZero();
    }
}
