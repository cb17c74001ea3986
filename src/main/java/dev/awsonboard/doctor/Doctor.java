package dev.awsonboard.doctor;

import com.slack.api.Slack;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.config.Secret;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.slack.SlackApp;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code java -jar aws-onboard.jar doctor}: checks, with the bot's own environment, everything the bot
 * needs from Slack, AWS and its database, and prints one row per check with how to fix what failed.
 * Exit code 0 when no check failed (warnings allowed), 1 when one did, 2 when the configuration is wrong.
 */
public final class Doctor {
    private static final Duration AWS_TIMEOUT = Duration.ofSeconds(10);

    private Doctor() {
    }

    /** The production entry: the AWS SDK's default credential chain; INFO logs off, so only the table is printed. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
            return run(env, credentials, out, err);
        }
    }

    public static int run(Map<String, String> env, AwsCredentialsProvider credentials, PrintStream out, PrintStream err) {
        Config config;
        try {
            config = ConfigLoader.load(env);
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("config error: " + p));
            return 2;
        }
        Optional<URI> stsEndpoint;
        try {
            stsEndpoint = stsEndpoint(env);
        } catch (IllegalArgumentException e) {
            err.println("config error: " + e.getMessage());
            return 2;
        }
        List<CheckResult> results = new ArrayList<>();
        try (Slack slack = SlackApp.slack(config.slackApiUrl());
             IamClient iam = IamClients.create(config.iamEndpoint(), credentials, 1);
             StsClient sts = sts(stsEndpoint, region(env), credentials)) {
            SlackChecks slackChecks = new SlackChecks(slack.methods(config.slackBotToken().reveal()));
            AwsChecks awsChecks = new AwsChecks(sts, iam, config.iamPath(),
                    config.defaultGroups().isEmpty() ? config.offeredGroups() : config.defaultGroups());
            List<Check> checks = List.of(
                    slackChecks.token(),
                    slackChecks.scopes(Requirements.SLACK_BOT_SCOPES),
                    config.approvalChannel().map(slackChecks::approvalChannel)
                            .orElseGet(() -> slackChecks.approvers(config.approvers())),
                    awsChecks.identityCheck(),
                    awsChecks.permissionsCheck(Requirements.IAM_ACTIONS),
                    new DatabaseCheck(config.databaseUrl()));
            for (Check check : checks) {
                results.add(runSafely(check));
            }
        } catch (Exception e) {
            // Closing a client failed; every check has run by now, so report what we have.
            results.add(CheckResult.warn("shutdown", e.getClass().getSimpleName() + ": " + e.getMessage(), ""));
        }
        out.print(redact(DoctorReport.render(results), secrets(config, env)));
        out.flush();
        return DoctorReport.exitCode(results);
    }

    static CheckResult runSafely(Check check) {
        try {
            return check.run();
        } catch (RuntimeException e) {
            return CheckResult.fail(check.name(), "check crashed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), "");
        }
    }

    /**
     * STS's endpoint: {@code AWS_ENDPOINT_URL_STS}, else {@code AWS_ENDPOINT_URL} (the SDK's own names), else the
     * real STS. {@code AWS_ENDPOINT_URL_IAM} is deliberately not used: it points at IAM only.
     */
    static Optional<URI> stsEndpoint(Map<String, String> env) {
        for (String name : List.of("AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                try {
                    URI uri = URI.create(value.strip());
                    if (uri.getScheme() == null || uri.getHost() == null) {
                        throw new IllegalArgumentException("no scheme or host");
                    }
                    return Optional.of(uri);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + " must be a URL like http://localhost:4566, got: " + value, e);
                }
            }
        }
        return Optional.empty();
    }

    /** The region from the environment, else the global STS endpoint (the bot itself needs no region: IAM is global). */
    static Region region(Map<String, String> env) {
        return Stream.of("AWS_REGION", "AWS_DEFAULT_REGION")
                .map(env::get).filter(v -> v != null && !v.isBlank())
                .findFirst().map(v -> Region.of(v.strip())).orElse(Region.AWS_GLOBAL);
    }

    private static StsClient sts(Optional<URI> endpoint, Region region, AwsCredentialsProvider credentials) {
        var builder = StsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(AWS_TIMEOUT))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Every secret value the doctor could come across, so none is printed even if an error message echoes it. */
    private static List<String> secrets(Config config, Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        secrets.add(config.slackBotToken().reveal());
        secrets.add(config.slackSigningSecret().reveal());
        config.slackAppToken().map(Secret::reveal).ifPresent(secrets::add);
        Stream.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN").map(env::get).forEach(secrets::add);
        return secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Secret.MASK);
        }
        return out;
    }
}
