package dev.awsonboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code approvalRules} in the YAML file: read as written, and each mistake one line naming the rule and the key. */
class ApprovalRulesConfigTest {
    @TempDir
    Path dir;

    private Config load(String yaml) throws IOException {
        return ConfigLoader.load(ConfigLoaderTest.with("ONBOARD_CONFIG", Files.writeString(dir.resolve("c.yml"), yaml).toString()));
    }

    private List<String> problems(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("c.yml"), yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(ConfigLoaderTest.with("ONBOARD_CONFIG", file.toString())));
        assertThat(e).as("the configuration should have been refused").isNotNull();
        e.problems().forEach(p -> assertThat(p).doesNotContain("\n"));
        return e.problems();
    }

    @Test
    void withoutRulesEveryRequestFollowsTheApproversAsBefore() {
        assertThat(ConfigLoader.load(ConfigLoaderTest.valid()).approvalRules()).isEmpty();
    }

    @Test
    void rulesAreReadAsWritten() throws IOException {
        Config c = load("""
                approvalRules:
                  - name: admins
                    kinds: [onboard, grant]
                    groups: [admins]
                    approvers: [U0SECOPS1, S0ADMINS]
                    approvals: 2
                    announce: C0ADMINS
                    silentApprovers: [U0CTO0001]
                    maxDuration: 4h
                  - name: offboarding
                    kinds: offboard
                    approvers: U0HR00001
                    announce: dm
                """);

        assertThat(c.approvalRules()).hasSize(2);
        ApprovalRuleSettings admins = c.approvalRules().get(0);
        assertThat(admins.name()).isEqualTo("admins");
        assertThat(admins.kinds()).containsExactlyInAnyOrder("onboard", "grant");
        assertThat(admins.groups()).containsExactly("admins");
        assertThat(admins.approvers()).containsExactly("U0SECOPS1", "S0ADMINS");
        assertThat(admins.approvals()).isEqualTo(2);
        assertThat(admins.announce()).contains("C0ADMINS");
        assertThat(admins.silentApprovers()).containsExactly("U0CTO0001");
        assertThat(admins.maxDuration()).contains(Duration.ofHours(4));

        ApprovalRuleSettings offboarding = c.approvalRules().get(1);
        assertThat(offboarding.kinds()).containsExactly("offboard");
        assertThat(offboarding.approvers()).containsExactly("U0HR00001");
        assertThat(offboarding.approvals()).isEqualTo(1); // the default
        assertThat(offboarding.announce()).contains(ApprovalRuleSettings.DM);
        assertThat(offboarding.maxDuration()).isEmpty();
    }

    @Test
    void aRuleWithoutKindsCoversEveryKind() throws IOException {
        Config c = load("approvalRules: [{name: admins, groups: [admins], approvers: [U0SECOPS1]}]\n");
        assertThat(c.approvalRules().get(0).kinds()).isEmpty();
        assertThat(c.approvalRules().get(0).announce()).isEmpty();
    }

    @Test
    void grantsHaveTheirOwnWhoMayRequestAndReminder() throws IOException {
        Config c = load("""
                whoMayRequest: {grant: approvers}
                reminders: {grantEndingBefore: 30m}
                """);
        assertThat(c.lifecycle().whoMayRequest()).containsEntry("grant", "approvers");
        assertThat(c.lifecycle().reminders().grantEndingBefore()).contains(Duration.ofMinutes(30));
        assertThat(ConfigLoader.load(ConfigLoaderTest.valid()).lifecycle().reminders().grantEndingBefore())
                .contains(Duration.ofMinutes(15));
        assertThat(load("reminders: {grantEndingBefore: false}\n").lifecycle().reminders().grantEndingBefore()).isEmpty();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("approvalRules: admins\n", "approvalRules must be a list of rules"),
                Arguments.of("approvalRules: [U0SECOPS1]\n", "approvalRules[1] must be a mapping"),
                Arguments.of("approvalRules: [{approvers: [U0SECOPS1]}]\n", "approvalRules[1] needs a name"),
                Arguments.of("approvalRules: [{name: 'two words', approvers: [U0SECOPS1]}]\n", "approvalRules[1] needs a name"),
                Arguments.of("approvalRules: [{name: admins}]\n", "approvalRules.admins.approvers is missing"),
                Arguments.of("approvalRules: [{name: admins, approvers: []}]\n", "approvalRules.admins.approvers is missing"),
                Arguments.of("approvalRules: [{name: admins, aprovers: [U0SECOPS1]}]\n", "approvalRules.admins: unknown key 'aprovers'"),
                Arguments.of("approvalRules: [{name: admins, approvers: ['@alice']}]\n",
                        "approvalRules.admins.approvers: '@alice' is not a Slack user ID"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], kinds: [reset]}]\n",
                        "approvalRules.admins.kinds: unknown kind 'reset'"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], kinds: [offboard], groups: [admins]}]\n",
                        "approvalRules.admins.groups only applies to onboard and grant"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], groups: ['bad group']}]\n",
                        "approvalRules.admins.groups: 'bad group' is not a valid IAM group name"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1, U0SECOPS2], approvals: 0}]\n",
                        "approvalRules.admins.approvals must be a whole number from 1 to 10"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1, U0SECOPS2], approvals: two}]\n",
                        "approvalRules.admins.approvals must be a whole number from 1 to 10"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], approvals: 2}]\n",
                        "approvalRules.admins.approvals is 2 but only 1 approver(s) are named"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], announce: '#admins'}]\n",
                        "approvalRules.admins.announce must be a channel ID"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], kinds: [offboard], maxDuration: 2h}]\n",
                        "approvalRules.admins.maxDuration only applies to grants"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1], maxDuration: soon}]\n",
                        "approvalRules.admins.maxDuration must be a positive duration"),
                Arguments.of("approvalRules: [{name: admins, approvers: [U0SECOPS1]}, {name: admins, approvers: [U0SECOPS2]}]\n",
                        "approvalRules: the name 'admins' is used twice"),
                Arguments.of("whoMayRequest: {grant: everybody}\n", "whoMayRequest.grant must be anyone, self or approvers"),
                Arguments.of("reminders: {grantEndingBefore: soon}\n", "reminders.grantEndingBefore must be a positive duration"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void eachMistakeInTheRulesIsOneLineNamingTheRuleAndTheKey(String yaml, String expected) throws IOException {
        assertThat(problems(yaml)).singleElement().asString().contains(expected);
    }

    @Test
    void aUserGroupMayStandForAnyNumberOfApprovers() throws IOException {
        // Two approvals from one named user group: only Slack knows its members, so the start does not refuse it.
        Config c = load("approvalRules: [{name: admins, approvers: [S0ADMINS], approvals: 2}]\n");
        assertThat(c.approvalRules().get(0).approvers()).containsExactly("S0ADMINS");
    }

    @Test
    void everyBrokenRuleIsReportedInOneGo() throws IOException {
        List<String> problems = problems("""
                approvalRules:
                  - name: admins
                    approvers: [alice]
                    approvals: 11
                  - name: hr
                    kinds: [offboarding]
                    approvers: [U0HR00001]
                    announce: '#hr'
                """);
        assertThat(problems).hasSize(4)
                .anySatisfy(p -> assertThat(p).startsWith("approvalRules.admins.approvers: 'alice'"))
                .anySatisfy(p -> assertThat(p).startsWith("approvalRules.admins.approvals must be"))
                .anySatisfy(p -> assertThat(p).startsWith("approvalRules.hr.kinds: unknown kind 'offboarding'"))
                .anySatisfy(p -> assertThat(p).startsWith("approvalRules.hr.announce must be a channel ID"));
    }

    @Test
    void theKindsARuleMayNameAreTheRequestKinds() {
        assertThat(ApprovalRulesLoader.KINDS).containsExactlyInAnyOrder("onboard", "resetMfa", "resetPassword", "offboard", "grant");
        assertThat(Set.copyOf(ApprovalRulesLoader.KINDS)).containsAll(ApprovalRulesLoader.KINDS_WITH_GROUPS);
    }

    @Test
    void theSamplesCommentedExampleRuleLoadsOnceUncommented() throws IOException {
        List<String> sample = Files.readAllLines(Path.of("onboard.sample.yml"));
        int from = sample.indexOf("# approvalRules:");
        assertThat(from).as("the example in onboard.sample.yml").isPositive();
        String example = sample.subList(from, sample.size()).stream().takeWhile(l -> l.startsWith("# "))
                .map(l -> l.substring(2)).reduce("", (a, b) -> a + b + "\n");

        Config c = load(example);

        assertThat(c.approvalRules()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("admins");
            assertThat(r.approvals()).isEqualTo(2);
            assertThat(r.approvers()).containsExactly("U0YOURID01", "S0YOURGROUP");
            assertThat(r.maxDuration()).contains(Duration.ofHours(4));
        });
    }
}
