package dev.awsonboard.startup;

import dev.awsonboard.config.Variables;
import dev.awsonboard.config.Variables.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code java -jar aws-onboard.jar help} prints: the commands, then every environment variable, one line each. */
public final class Usage {
    private Usage() {
    }

    public static String text() {
        int width = Variables.ALL.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        int needWidth = Variables.ALL.stream().mapToInt(v -> v.required().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        out.append("""
                aws-onboard %s: a Slack bot that onboards people to AWS as IAM users with MFA.

                Usage: java -jar aws-onboard.jar [command]

                Commands:
                  run          start the bot (the default)
                  demo         try it without Slack or AWS: the bot against an in-process IAM, and a local
                               page that plays Slack on DEMO_PORT (default 8080); nothing leaves this machine
                  doctor       check Slack, AWS and the database with this environment and say what to fix
                               (exit 0: all passed, 1: a check failed, 2: the configuration is wrong)
                  healthcheck  probe a running bot's GET /healthz on PORT (exit 0: healthy, 1: not)
                  help         this text (also --help, -h)
                  --version    the version

                Environment (secrets only from here; ONBOARD_CONFIG names a YAML file with the rest):
                """.formatted(Version.current()));
        for (Variable v : Variables.ALL) {
            out.append("  ").append(pad(v.name(), width)).append("  ").append(pad(v.required(), needWidth))
                    .append("  ").append(v.meaning()).append('\n');
        }
        out.append("\nA wrong or missing setting stops the start with one line per problem and exit code 2.\n");
        return out.toString();
    }

    /**
     * What a start with a configuration problem prints on stderr, one {@code config error:} line per problem.
     * A first run (no Slack variable set at all) is told first that there are two ways to reach Slack,
     * Socket Mode and HTTP mode, instead of being asked for HTTP mode's signing secret alone.
     */
    public static List<String> configErrors(Map<String, String> env, List<String> problems) {
        boolean firstRun = List.of("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET").stream()
                .allMatch(name -> env.getOrDefault(name, "").isBlank());
        List<String> lines = new ArrayList<>();
        if (firstRun) {
            lines.addAll(List.of(
                    "aws-onboard is not configured yet. It reaches Slack one of two ways:",
                    "  Socket Mode (recommended, no public URL): SLACK_BOT_TOKEN=xoxb-... and SLACK_APP_TOKEN=xapp-...",
                    "  HTTP mode (Slack POSTs to a public https URL): SLACK_BOT_TOKEN=xoxb-... and SLACK_SIGNING_SECRET=...",
                    "It also needs ONBOARD_APPROVERS (Slack member IDs) and AWS credentials the AWS SDK's usual way.",
                    "README.md sets up the Slack app from manifest.yml; 'help' lists every variable.",
                    "To see it work first, without Slack or AWS: bin/aws-onboard demo (or java -jar aws-onboard.jar demo).",
                    ""));
        }
        for (String problem : problems) {
            // The signing secret is HTTP mode's alone: on a first run the lines above name both ways.
            if (!(firstRun && problem.startsWith("SLACK_SIGNING_SECRET is not set"))) {
                lines.add("config error: " + problem);
            }
        }
        return lines;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
