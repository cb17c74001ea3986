package dev.awsonboard.startup;

import dev.awsonboard.config.Variables;
import dev.awsonboard.config.Variables.Variable;

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

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
