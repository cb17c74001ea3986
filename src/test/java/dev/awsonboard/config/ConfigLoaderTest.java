package dev.awsonboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Start-up configuration: defaults, one clear line per mistake, secrets masked, exit code 2. */
class ConfigLoaderTest {
    private static final String BOT_TOKEN = "xoxb-1111-2222-secretvalue";
    private static final String SIGNING = "8f742231b10e8888abcd99yyyzzz85a5";

    @TempDir
    Path dir;

    static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SIGNING);
        env.put("ONBOARD_APPROVERS", "U012ABCDEF, U034GHIJKL");
        return env;
    }

    static Map<String, String> with(String key, String value) {
        Map<String, String> env = valid();
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return env;
    }

    @Test
    void minimalEnvironmentLoadsWithDocumentedDefaults() {
        Config c = ConfigLoader.load(valid());
        assertThat(c.port()).isEqualTo(3000);
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:./data/aws-onboard.db");
        assertThat(c.slackApiUrl()).isEqualTo("https://slack.com/api/");
        assertThat(c.approvers()).containsExactlyInAnyOrder("U012ABCDEF", "U034GHIJKL");
        assertThat(c.approvalChannel()).isEmpty();
        assertThat(c.slackAppToken()).isEmpty();
        assertThat(c.iamPath()).isEqualTo("/");
        assertThat(c.setupExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(c.approvalExpiry()).isEqualTo(Duration.ofDays(7));
        assertThat(c.requesters()).isEmpty();
        assertThat(c.allowSelfApproval()).isFalse();
    }

    @Test
    void socketModeNeedsOnlyTheTwoTokens() {
        Map<String, String> env = with("SLACK_SIGNING_SECRET", null);
        env.put("SLACK_APP_TOKEN", "xapp-1-A0001-123-abc");
        Config c = ConfigLoader.load(env);
        assertThat(c.slackAppToken()).isPresent();
        assertThat(c.slackSigningSecret().reveal()).hasSize(64); // random: nobody can sign for the HTTP endpoint
        assertThat(ConfigLoader.load(env).slackSigningSecret()).isNotEqualTo(c.slackSigningSecret());
    }

    @Test
    void yamlFileSuppliesTheRest() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yml"), """
                approvalChannel: C0APPROVE
                groups: [developers, readonly]
                defaultGroups: [readonly]
                iamPath: /onboarded/
                permissionsBoundary: arn:aws:iam::123456789012:policy/B
                tags: {team: platform}
                approvalExpiry: 3d
                setupExpiry: 90m
                signInUrl: https://acme.signin.aws.amazon.com/console
                auditChannel: C0AUDIT
                requesters: [U0REQ1]
                allowSelfApproval: true
                """);
        Config c = ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString()));
        assertThat(c.approvalChannel()).contains("C0APPROVE");
        assertThat(c.offeredGroups()).containsExactly("developers", "readonly");
        assertThat(c.defaultGroups()).containsExactly("readonly");
        assertThat(c.iamPath()).isEqualTo("/onboarded/");
        assertThat(c.permissionsBoundary()).contains("arn:aws:iam::123456789012:policy/B");
        assertThat(c.extraTags()).containsEntry("team", "platform");
        assertThat(c.approvalExpiry()).isEqualTo(Duration.ofDays(3));
        assertThat(c.setupExpiry()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.auditChannel()).contains("C0AUDIT");
        assertThat(c.requesters()).containsExactly("U0REQ1");
        assertThat(c.allowSelfApproval()).isTrue();
    }

    @Test
    void lifecycleLanguageAndReminderSettingsHaveDocumentedDefaults() {
        LifecycleSettings l = ConfigLoader.load(valid()).lifecycle();
        assertThat(l.whoMayRequest()).isEmpty();
        assertThat(l.offboardAnyUser()).isFalse();
        assertThat(l.attachChangePasswordPolicy()).isTrue();
        assertThat(l.defaultLanguage()).isEqualTo("en");
        assertThat(l.offboardWhenDeactivated()).isTrue();
        assertThat(l.reminders().approvalEvery()).isEqualTo(Duration.ofHours(4));
        assertThat(l.reminders().approvalMax()).isEqualTo(3);
        assertThat(l.reminders().quietFrom()).contains(java.time.LocalTime.of(20, 0));
        assertThat(l.reminders().setupAfter()).containsExactly(Duration.ofHours(2), Duration.ofHours(20));
    }

    @Test
    void lifecycleLanguageAndReminderSettingsAreReadFromYaml() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yml"), """
                whoMayRequest: {resetMfa: anyone, offboard: approvers}
                offboardAnyUser: true
                attachChangePasswordPolicy: false
                defaultLanguage: ja
                offboardWhenDeactivated: false
                reminders:
                  approvalEvery: 2h
                  approvalMax: "5"
                  quietHours: "22:30-07:15"
                  setupAfter: [1h, 12h]
                """);
        LifecycleSettings l = ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString())).lifecycle();
        assertThat(l.whoMayRequest()).containsEntry("resetMfa", "anyone").containsEntry("offboard", "approvers").hasSize(2);
        assertThat(l.offboardAnyUser()).isTrue();
        assertThat(l.attachChangePasswordPolicy()).isFalse();
        assertThat(l.defaultLanguage()).isEqualTo("ja");
        assertThat(l.offboardWhenDeactivated()).isFalse();
        assertThat(l.reminders().approvalEvery()).isEqualTo(Duration.ofHours(2));
        assertThat(l.reminders().approvalMax()).isEqualTo(5);
        assertThat(l.reminders().quietFrom()).contains(java.time.LocalTime.of(22, 30));
        assertThat(l.reminders().quietUntil()).contains(java.time.LocalTime.of(7, 15));
        assertThat(l.reminders().setupAfter()).containsExactly(Duration.ofHours(1), Duration.ofHours(12));
    }

    @Test
    void wrongLifecycleSettingsAreOneClearLineEach() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yml"), """
                whoMayRequest: {resetMfa: everybody, delete: self}
                offboardAnyUser: yes
                defaultLanguage: fr
                reminders: {approvalEvery: soon, quietHours: "8pm-8am", setupAfter: 3, nag: true}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString())));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("whoMayRequest.resetMfa must be anyone, self or approvers"))
                .anySatisfy(p -> assertThat(p).startsWith("whoMayRequest: unknown command 'delete'"))
                .anySatisfy(p -> assertThat(p).startsWith("offboardAnyUser must be true or false"))
                .anySatisfy(p -> assertThat(p).startsWith("defaultLanguage must be en or ja"))
                .anySatisfy(p -> assertThat(p).startsWith("reminders.approvalEvery must be a positive duration"))
                .anySatisfy(p -> assertThat(p).startsWith("reminders.quietHours must be like"))
                .anySatisfy(p -> assertThat(p).startsWith("reminders.setupAfter"))
                .anySatisfy(p -> assertThat(p).startsWith("reminders: unknown key 'nag'"));
    }

    @Test
    void theDepartureCheckIsHourlyAndTheMfaSummaryOffUnlessSet() throws IOException {
        LifecycleSettings defaults = ConfigLoader.load(valid()).lifecycle();
        Path yaml = Files.writeString(dir.resolve("c.yml"), "departureCheckEvery: 30m\nmfaSummary: Monday\n");
        LifecycleSettings set = ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString())).lifecycle();
        Path off = Files.writeString(dir.resolve("off.yml"), "mfaSummary: false\n");

        assertThat(defaults.departureCheckEvery()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.mfaSummary()).isEmpty();
        assertThat(set.departureCheckEvery()).isEqualTo(Duration.ofMinutes(30));
        assertThat(set.mfaSummary()).contains(java.time.DayOfWeek.MONDAY);
        assertThat(ConfigLoader.load(with("ONBOARD_CONFIG", off.toString())).lifecycle().mfaSummary()).isEmpty();
    }

    @Test
    void aDepartureCheckTooOftenOrASummaryDayThatIsNoWeekdayIsOneClearLineEach() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yml"), "departureCheckEvery: 1m\nmfaSummary: weekly\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString())));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("departureCheckEvery must be at least 10m"))
                .anySatisfy(p -> assertThat(p).startsWith("mfaSummary must be a weekday like monday (or false for none)"));
    }

    @Test
    void theSampleFileLoadsAsShippedWithNothingOnlyTheOperatorCouldKnow() {
        Config c = ConfigLoader.load(with("ONBOARD_CONFIG", "onboard.sample.yml"));

        // A copy-paste deployment must not post to a made-up channel or set a made-up boundary.
        assertThat(c.approvalChannel()).isEmpty();
        assertThat(c.auditChannel()).isEmpty();
        assertThat(c.permissionsBoundary()).isEmpty();
        assertThat(c.signInUrl()).isEmpty();
        assertThat(c.offeredGroups()).isEmpty();
        assertThat(c.defaultGroups()).isEmpty();
        assertThat(c.extraTags()).isEmpty();
        assertThat(c.approvers()).containsExactlyInAnyOrder("U012ABCDEF", "U034GHIJKL"); // from the environment
    }

    @Test
    void theSamplesCommentedSettingsAreValidOnceFilledIn() throws IOException {
        String filledIn = Files.readAllLines(Path.of("onboard.sample.yml")).stream()
                .map(line -> line.matches("# [a-zA-Z]+: .*") && ConfigLoader.YAML_KEYS.contains(line.substring(2, line.indexOf(':')))
                        ? line.substring(2).replace("<your account id>", "123456789012").replace("<your boundary policy>", "Boundary")
                                .replace("<your alias>", "acme")
                        : line)
                .reduce("", (a, b) -> a + b + "\n");
        Map<String, String> env = with("ONBOARD_CONFIG", Files.writeString(dir.resolve("filled.yml"), filledIn).toString());
        env.remove("ONBOARD_APPROVERS");

        Config c = ConfigLoader.load(env);

        assertThat(c.approvers()).isNotEmpty();
        assertThat(c.approvalChannel()).isPresent();
        assertThat(c.auditChannel()).isPresent();
        assertThat(c.permissionsBoundary()).hasValue("arn:aws:iam::123456789012:policy/Boundary");
        assertThat(c.signInUrl()).hasValue("https://acme.signin.aws.amazon.com/console");
    }

    @Test
    void theReadmeConfigurationExampleLoadsAsWritten() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Configuration");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));

        Config c = ConfigLoader.load(with("ONBOARD_CONFIG", Files.writeString(dir.resolve("readme.yml"), yaml).toString()));

        assertThat(yaml).contains("approvalExpiry");
        assertThat(c.approvalChannel()).isEmpty();
        assertThat(c.permissionsBoundary()).isEmpty();
        assertThat(c.signInUrl()).isEmpty();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(with("SLACK_BOT_TOKEN", null), "SLACK_BOT_TOKEN is not set"),
                Arguments.of(with("SLACK_BOT_TOKEN", "xapp-wrong-kind"), "SLACK_BOT_TOKEN must start with xoxb-"),
                Arguments.of(with("SLACK_SIGNING_SECRET", ""), "SLACK_SIGNING_SECRET is not set"),
                Arguments.of(with("SLACK_APP_TOKEN", "xoxb-not-an-app-token"), "SLACK_APP_TOKEN must be an app-level token"),
                Arguments.of(with("ONBOARD_APPROVERS", null), "ONBOARD_APPROVERS is not set"),
                Arguments.of(with("ONBOARD_APPROVERS", "U012ABCDEF,@bob"), "'@bob' is not a Slack user ID"),
                Arguments.of(with("ONBOARD_APPROVAL_CHANNEL", "#approvals"), "ONBOARD_APPROVAL_CHANNEL must be a channel ID"),
                Arguments.of(with("PORT", "eighty"), "PORT must be a number"),
                Arguments.of(with("DATABASE_URL", "postgres://db/onboard"), "DATABASE_URL must be a JDBC URL"),
                Arguments.of(with("AWS_ENDPOINT_URL_IAM", "not a url"), "AWS_ENDPOINT_URL_IAM must be a URL"),
                Arguments.of(with("AWS_ENDPOINT_URL", "not a url"), "AWS_ENDPOINT_URL must be a URL"),
                Arguments.of(with("ONBOARD_APPROVERS", "alice"), "ONBOARD_APPROVERS: 'alice' is not a Slack user ID"),
                Arguments.of(with("ONBOARD_AUDIT_CHANNEL", "#audit"), "ONBOARD_AUDIT_CHANNEL must be a channel ID"),
                Arguments.of(with("ONBOARD_SIGNIN_URL", "http://acme.signin.aws.amazon.com/console"), "ONBOARD_SIGNIN_URL must be an https:// URL"),
                Arguments.of(with("ONBOARD_CONFIG", "/nonexistent/onboard.yml"), "cannot be read"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void eachMistakeGivesOneClearLine(Map<String, String> env, String expected) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).contains(expected).doesNotContain("\n");
    }

    @Test
    void yamlMistakesAreEachNamed() throws IOException {
        Path yaml = Files.writeString(dir.resolve("bad.yml"), """
                iamPath: onboarded
                setupExpiry: soon
                grups: [developers]
                permissionsBoundary: Boundary
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString())));
        assertThat(e.problems()).hasSize(4);
        assertThat(String.join("\n", e.problems())).contains("unknown key 'grups'", "iamPath must start and end with /",
                "setupExpiry must be a positive duration", "permissionsBoundary must be a policy ARN");
    }

    static Stream<Arguments> yamlMistakes() {
        return Stream.of(
                Arguments.of("allowSelfApproval: yes", "allowSelfApproval must be true or false, got 'yes'"),
                Arguments.of("allowSelfApproval: 'true'", "allowSelfApproval must be true or false, got 'true'"),
                Arguments.of("allowSelfApproval: [true]", "allowSelfApproval must be true or false, got a list"),
                Arguments.of("iamPath: [x]", "iamPath must be a string, got a list"),
                Arguments.of("iamPath: {a: b}", "iamPath must be a string, got a mapping"),
                Arguments.of("signInUrl: true", "signInUrl must be a string, got a boolean"),
                Arguments.of("approvalExpiry: [7d]", "approvalExpiry must be a string, got a list"),
                Arguments.of("approvalChannel: [C012ABCDEF]", "approvalChannel must be a string, got a list"),
                Arguments.of("approvalChannel: '#approvals'", "approvalChannel must be a channel ID like C012ABCDEF"),
                Arguments.of("auditChannel: audit", "auditChannel must be a channel ID like C012ABCDEF"),
                Arguments.of("signInUrl: http://acme.signin.aws.amazon.com/console", "signInUrl must be an https:// URL"),
                Arguments.of("tags: {team: [a, b]}", "tags: 'team' must have a string value, got a list"),
                Arguments.of("tags: {team: {name: platform}}", "tags: 'team' must have a string value, got a mapping"),
                Arguments.of("tags: [team]", "tags must be a mapping of tag key to value"),
                Arguments.of("groups: {developers: true}", "groups must be a list of strings, like [a, b]; got a mapping"),
                Arguments.of("groups: [developers, [readonly]]", "groups must be a list of strings, like [a, b]; one item is a list"),
                Arguments.of("requesters: true", "requesters must be a list of strings"),
                Arguments.of("approvers: [alice]", "approvers: 'alice' is not a Slack user ID"),
                Arguments.of("iamPath: /a/\niamPath: /b/", "key 'iamPath' appears more than once"),
                Arguments.of("- just\n- a list", "must hold a YAML mapping (key: value lines), not a list"));
    }

    @ParameterizedTest
    @MethodSource("yamlMistakes")
    void eachYamlKeyOfTheWrongTypeGivesOneLineNamingTheKeyAndTheType(String yaml, String expected) throws IOException {
        Map<String, String> env = with("ONBOARD_CONFIG", Files.writeString(dir.resolve("c.yml"), yaml).toString());
        if (yaml.startsWith("approvers")) {
            env.remove("ONBOARD_APPROVERS");
        }

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));

        assertThat(e).as(yaml).isNotNull();
        assertThat(e.problems()).as(yaml).hasSize(1);
        assertThat(e.problems().get(0)).contains(expected).doesNotContain("\n");
    }

    @Test
    void aBadApprovalChannelInTheEnvironmentNamesTheVariableNotTheYamlKey() throws IOException {
        Map<String, String> env = with("ONBOARD_CONFIG", Files.writeString(dir.resolve("c.yml"), "approvalChannel: C0GOOD\n").toString());
        env.put("ONBOARD_APPROVAL_CHANNEL", "#approvals");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(env));

        assertThat(e.problems()).singleElement().asString().startsWith("ONBOARD_APPROVAL_CHANNEL must be a channel ID");
    }

    @Test
    void yesOnAndLeadingZerosStayAsWrittenWhereAStringIsExpected() throws IOException {
        Path yaml = Files.writeString(dir.resolve("c.yml"), """
                tags: {cost-center: 007, on-call: yes, billable: true, note: , hex: 0x10}
                allowSelfApproval: false
                """);

        Config c = ConfigLoader.load(with("ONBOARD_CONFIG", yaml.toString()));

        assertThat(c.extraTags()).containsExactlyInAnyOrderEntriesOf(Map.of("cost-center", "007", "on-call", "yes",
                "billable", "true", "note", "", "hex", "0x10"));
        assertThat(c.allowSelfApproval()).isFalse();
    }

    @Test
    void anEmptyFileAndEmptyKeysMeanTheDefaults() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.yml"), "# nothing yet\n");
        Path blanks = Files.writeString(dir.resolve("blanks.yml"), "approvalChannel:\niamPath:\ntags:\ngroups:\n");

        for (Path file : List.of(empty, blanks)) {
            Config c = ConfigLoader.load(with("ONBOARD_CONFIG", file.toString()));
            assertThat(c.iamPath()).isEqualTo("/");
            assertThat(c.approvalChannel()).isEmpty();
            assertThat(c.offeredGroups()).isEmpty();
        }
    }

    @Test
    void approversComeFromTheYamlWhenTheVariableIsUnset() throws IOException {
        Map<String, String> env = with("ONBOARD_CONFIG", Files.writeString(dir.resolve("c.yml"), "approvers: U0YAML1, U0YAML2\n").toString());
        env.remove("ONBOARD_APPROVERS");

        assertThat(ConfigLoader.load(env).approvers()).containsExactlyInAnyOrder("U0YAML1", "U0YAML2");
    }

    @Test
    void stsEndpointComesFromItsOwnVariableOrTheGlobalOneNeverFromTheIamOne() {
        assertThat(ConfigLoader.load(with("AWS_ENDPOINT_URL_IAM", "http://iam.local:1")).stsEndpoint()).isEmpty();
        assertThat(ConfigLoader.load(with("AWS_ENDPOINT_URL", "http://all.local:2")).stsEndpoint())
                .hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://all.local:2"));
        Map<String, String> both = with("AWS_ENDPOINT_URL", "http://all.local:2");
        both.put("AWS_ENDPOINT_URL_STS", "http://sts.local:3");
        assertThat(ConfigLoader.load(both).stsEndpoint()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://sts.local:3"));
        assertThat(ConfigLoader.load(both).iamEndpoint()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://all.local:2"));
    }

    @Test
    void printingTheConfigShowsMasksNotSecrets() {
        Map<String, String> env = with("SLACK_APP_TOKEN", "xapp-1-A0001-supersecret");
        env.put("DATABASE_URL", "jdbc:postgresql://db/onboard?user=onboard&password=hunter22");
        Config c = ConfigLoader.load(env);
        assertThat(c.toString()).doesNotContain(BOT_TOKEN, SIGNING, "supersecret").contains("*****");
        assertThat(ConfigLoader.redactUrl(c.databaseUrl())).doesNotContain("hunter22");
    }

    @Test
    void startingWithABadConfigurationPrintsOneLinePerMistakeAndExitsWith2() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.awsonboard.Main");
        pb.environment().clear();
        pb.environment().putAll(with("PORT", "eighty"));
        pb.environment().put("SLACK_BOT_TOKEN", "not-a-bot-token");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(lines).hasSize(2).allMatch(l -> l.startsWith("config error: "));
        assertThat(err).contains("PORT must be a number", "SLACK_BOT_TOKEN must start with xoxb-")
                .doesNotContain("Exception", "not-a-bot-token", SIGNING);
    }
}
