package dev.awsonboard.doctor;

import com.slack.api.Slack;
import dev.awsonboard.config.Config;
import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;
import dev.awsonboard.config.Secret;
import dev.awsonboard.iam.IamClients;
import dev.awsonboard.slack.webapi.SlackClients;
import dev.awsonboard.startup.StsClients;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code java -jar aws-onboard.jar doctor}: checks, with the bot's own environment, everything the bot
 * needs from Slack, AWS and its database, and prints one row per check with how to fix what failed.
 * Exit code 0 when no check failed (warnings allowed), 1 when one did, 2 when the configuration is wrong.
 */
public final class Doctor {
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
        List<CheckResult> results = new ArrayList<>();
        try (Slack slack = SlackClients.slack(config.slackApiUrl());
             IamClient iam = IamClients.create(config.iamEndpoint(), credentials, 1);
             StsClient sts = StsClients.create(config.stsEndpoint(), config.awsRegion(), credentials)) {
            SlackChecks slackChecks = new SlackChecks(slack.methods(config.slackBotToken().reveal()));
            AwsChecks awsChecks = new AwsChecks(sts, iam, config.iamPath(),
                    config.defaultGroups().isEmpty() ? config.offeredGroups() : config.defaultGroups());
            List<Check> checks = new ArrayList<>(List.of(
                    slackChecks.token(),
                    slackChecks.scopes(Requirements.SLACK_BOT_SCOPES),
                    slackChecks.mode(config.slackAppToken().map(t -> slack.methods(t.reveal())), config.port()),
                    config.approvalChannel()
                            .map(c -> slackChecks.channel("approval channel", c, "ONBOARD_APPROVAL_CHANNEL / approvalChannel", "approval requests"))
                            .orElseGet(() -> slackChecks.approvers(config.approvers()))));
            // The approval rules as understood, whether their approvers can be reached, and the channels they are asked in.
            checks.addAll(new RulesChecks(slack.methods(config.slackBotToken().reveal()), config, slackChecks::tokenWorks).checks());
            config.approvalRules().stream().filter(r -> r.announce().filter(a -> !a.equals(dev.awsonboard.config.ApprovalRuleSettings.DM)).isPresent())
                    .forEach(r -> checks.add(slackChecks.channel("rule " + r.name() + " channel", r.announce().get(),
                            "approvalRules." + r.name() + ".announce", "approval requests")));
            config.auditChannel().ifPresent(c ->
                    checks.add(slackChecks.channel("audit channel", c, "ONBOARD_AUDIT_CHANNEL / auditChannel", "the audit trail")));
            checks.addAll(List.of(
                    awsChecks.identityCheck(),
                    awsChecks.permissionsCheck(Requirements.IAM_ACTIONS),
                    awsChecks.passwordPolicyCheck(),
                    new DatabaseCheck(config.databaseUrl())));
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

    /** Every secret value the doctor could come across, so none is printed even if an error message echoes it. */
    private static List<String> secrets(Config config, Map<String, String> env) {
        List<String> secrets = new ArrayList<>();
        secrets.add(config.slackBotToken().reveal());
        secrets.add(config.slackSigningSecret().reveal());
        config.slackAppToken().map(Secret::reveal).ifPresent(secrets::add);
        Stream.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN").map(env::get).forEach(secrets::add);
        return secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /**
     * Masks each secret where it stands as a value of its own: bounded by anything but the characters
     * tokens and keys are made of, so a short dummy secret ({@code AWS_SECRET_ACCESS_KEY=test}) does not
     * turn {@code auth.test} into {@code auth.*****}. A period after a value still ends it.
     */
    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            out = Pattern.compile("(?<![A-Za-z0-9_./+-])" + Pattern.quote(secret) + "(?![A-Za-z0-9_/+=-]|\\.[A-Za-z0-9_/+=-])")
                    .matcher(out).replaceAll(Matcher.quoteReplacement(Secret.MASK));
        }
        return out;
    }
}
