package dev.awsonboard.startup;

import dev.awsonboard.config.ConfigException;
import dev.awsonboard.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a start without configuration says (issue 23): both ways to reach Slack, not HTTP mode's secret alone. */
class FirstRunTest {

    private static List<String> linesFor(Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));
        return Usage.configErrors(env, e.problems());
    }

    @Test
    void aFirstRunNamesSocketModeAndHttpModeAndTheDemoAndDoesNotAskForTheSigningSecretAlone() {
        List<String> lines = linesFor(Map.of());

        assertThat(String.join("\n", lines))
                .contains("Socket Mode (recommended, no public URL): SLACK_BOT_TOKEN=xoxb-... and SLACK_APP_TOKEN=xapp-...")
                .contains("HTTP mode (Slack POSTs to a public https URL): SLACK_BOT_TOKEN=xoxb-... and SLACK_SIGNING_SECRET=...")
                .contains("bin/aws-onboard demo")
                .contains("config error: SLACK_BOT_TOKEN is not set")
                .doesNotContain("config error: SLACK_SIGNING_SECRET");
    }

    @Test
    void onceASlackVariableIsSetTheProblemsAreListedAsTheyAre() {
        List<String> lines = linesFor(Map.of("SLACK_BOT_TOKEN", "xoxb-1-2-3"));

        assertThat(lines).allMatch(l -> l.startsWith("config error: "))
                .anyMatch(l -> l.startsWith("config error: SLACK_SIGNING_SECRET is not set"));
    }
}
