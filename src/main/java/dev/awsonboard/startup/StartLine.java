package dev.awsonboard.startup;

import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one INFO line that says the bot is up and how: the Slack mode, the AWS account it acts in,
 * the database. The account takes an STS call, so the line is written from a thread of its own
 * once the answer is in; nothing waits for it. When the account cannot be known the reason is one
 * WARN line just before.
 */
public final class StartLine {
    private static final Logger log = LoggerFactory.getLogger(StartLine.class);

    /** What is known about the AWS identity: a phrase for the start line, and a warning if something is wrong. */
    record Aws(String phrase, Optional<String> warning) {
        static Aws ok(String phrase) {
            return new Aws(phrase, Optional.empty());
        }

        static Aws unknown(String why, String warning) {
            return new Aws("AWS account unknown (" + why + ")", Optional.of(warning));
        }
    }

    private StartLine() {
    }

    /** Writes the line (and any warning) on a daemon thread; returns at once. */
    public static Thread announce(Config config, int port, AwsCredentialsProvider credentials) {
        Thread thread = new Thread(() -> write(config, port, aws(config, credentials,
                () -> StsClients.create(config.stsEndpoint(), config.awsRegion(), credentials))), "start-line");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void write(Config config, int port, Aws aws) {
        aws.warning().ifPresent(log::warn);
        log.info(line(config, port, aws.phrase()));
    }

    static String line(Config config, int port, String awsPhrase) {
        String mode = config.slackAppToken().isPresent() ? "Socket Mode (probes on port " + port + ")" : "HTTP on port " + port;
        return "aws-onboard " + Version.current() + " started: " + mode + "; " + awsPhrase
                + "; database " + ConfigLoader.redactUrl(config.databaseUrl());
    }

    static Aws aws(Config config, AwsCredentialsProvider credentials, Supplier<StsClient> sts) {
        if (config.iamEndpoint().isPresent() && config.stsEndpoint().isEmpty()) {
            // IAM points at an emulator: the real STS would name an account the bot does not act in.
            return Aws.ok("AWS account not looked up (IAM at " + config.iamEndpoint().get()
                    + "; set AWS_ENDPOINT_URL_STS to look it up there)");
        }
        try {
            credentials.resolveCredentials();
        } catch (SdkException e) {
            return Aws.unknown("no credentials", "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " or AWS_PROFILE, or give the host an instance/task role; until then every IAM call fails and"
                    + " /readyz answers 503 (aws)");
        }
        String where = config.stsEndpoint().map(Object::toString).orElse("STS");
        try (StsClient client = sts.get()) {
            GetCallerIdentityResponse id = client.getCallerIdentity();
            return Aws.ok("AWS account " + id.account() + " as " + id.arn());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            return Aws.unknown("refused by STS", "the AWS credentials were refused by " + where + " (" + code + "):"
                    + " check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_PROFILE or the role");
        } catch (SdkException e) {
            return Aws.unknown("STS not reached", "could not reach " + where + " to name the AWS account ("
                    + e.getClass().getSimpleName() + "): check AWS_ENDPOINT_URL_STS / AWS_REGION and the network");
        }
    }
}
