package dev.awsonboard.doctor;

import dev.awsonboard.fakes.FakeIam;
import dev.awsonboard.fakes.FakeSlack;
import dev.awsonboard.lifecycle.model.PasswordPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor against the Slack and IAM/STS fakes over HTTP, on a temp SQLite file. */
class DoctorTest {
    static final String SIGNING_SECRET = "doctor-signing-secret-3f9a1c";
    static final String AWS_SECRET = "doctorSecretAccessKey0000000000000000000";
    static final String APPROVAL_CHANNEL = "CAPPROVALS";
    static final String AUDIT_CHANNEL = "CAUDIT0001";
    static final String APP_TOKEN = "xapp-1-A0001-doctor-app-token";

    @TempDir
    Path dir;
    FakeSlack slack;
    FakeIam iam;
    Map<String, String> env;

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        iam = FakeIam.start(Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC), 7);
        iam.acceptCredentials("AKIDDOCTORTEST", AWS_SECRET); // the fake checks SigV4 against the secrets it knows
        slack.inviteBot(APPROVAL_CHANNEL).addUser("UAPPROVER1", "approver").addUser("UAPPROVER2", "approver2");
        // Users may change their own password: the password policy row is OK.
        iam.setPasswordPolicy(new PasswordPolicy(12, true, true, true, true, true));
        env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", slack.botToken());
        env.put("SLACK_SIGNING_SECRET", SIGNING_SECRET);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("DATABASE_URL", "jdbc:sqlite:" + dir.resolve("onboard.db"));
        env.put("ONBOARD_APPROVERS", "UAPPROVER1,UAPPROVER2");
        env.put("ONBOARD_APPROVAL_CHANNEL", APPROVAL_CHANNEL);
        env.put("AWS_ENDPOINT_URL_IAM", iam.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_STS", iam.endpoint().toString());
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    }

    @AfterEach
    void stop() {
        slack.close();
        iam.close();
    }

    record Run(int exit, String out, String err) {
        /** Table rows by check name: status and detail, with the fix line (if any) appended. */
        Map<String, String> rows() {
            Map<String, String> rows = new LinkedHashMap<>();
            String last = null;
            for (String line : out.lines().skip(1).toList()) {
                if (line.isBlank()) {
                    break;
                }
                if (line.startsWith(" ")) {
                    rows.put(last, rows.get(last) + " | " + line.strip());
                } else {
                    String[] parts = line.split("\\s{2,}", 2);
                    last = parts[0];
                    rows.put(last, parts[1]);
                }
            }
            return rows;
        }

        String row(String name) {
            assertThat(rows()).containsKey(name);
            return rows().get(name);
        }
    }

    Run doctor() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Doctor.run(env, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDDOCTORTEST", AWS_SECRET)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everythingInPlacePassesEveryCheck() {
        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.rows()).containsOnlyKeys("slack token", "slack scopes", "slack mode", "approval channel", "aws identity",
                "iam permissions", "password policy", "database");
        assertThat(run.rows().values()).allSatisfy(row -> assertThat(row).startsWith("OK "));
        assertThat(run.row("slack token")).contains(FakeSlack.BOT_USER_ID).contains(FakeSlack.TEAM_ID);
        assertThat(run.row("aws identity")).contains(FakeIam.DEFAULT_CALLER_ARN);
        assertThat(run.out()).contains("All 8 checks passed.");
        assertThat(iam.simulatedPrincipals()).isNotEmpty().containsOnly(FakeIam.DEFAULT_CALLER_ARN);
        assertThat(iam.callCount("GetCallerIdentity")).isEqualTo(1);
        assertThat(slack.callCount("auth.test")).isEqualTo(1);
    }

    @Test
    void missingScopeFailsNamingItAndTheFix() {
        slack.grantScopes(Requirements.SLACK_BOT_SCOPES.stream().filter(s -> !s.equals("files:write")).toArray(String[]::new));

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("slack scopes")).startsWith("FAIL").contains("files:write")
                .contains("OAuth & Permissions").contains("reinstall");
        assertThat(run.row("slack token")).startsWith("OK");
        assertThat(run.out()).contains("1 of 8 checks failed.");
    }

    @Test
    void deniedIamActionFailsNamingIt() {
        iam.denyAction("iam:EnableMFADevice");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("iam permissions")).startsWith("FAIL").contains("iam:EnableMFADevice")
                .doesNotContain("iam:CreateUser").contains("deploy/iam-policy.json");
    }

    @Test
    void botOutsideTheApprovalChannelFailsWithInviteHint() {
        slack.close();
        slack = FakeSlack.start().addChannel(APPROVAL_CHANNEL); // the channel exists, the bot was never invited
        env.put("SLACK_API_URL", slack.apiUrl());

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("approval channel")).startsWith("FAIL").contains(APPROVAL_CHANNEL).contains("/invite @aws-onboard");
    }

    @Test
    void withoutApprovalChannelEachApproverIsLookedUp() {
        env.remove("ONBOARD_APPROVAL_CHANNEL");
        slack.failNext("users.info", 1, "user_not_found");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("approvers")).startsWith("FAIL").contains("UAPPROVER1: user_not_found")
                .doesNotContain("UAPPROVER2:").contains("ONBOARD_APPROVERS");
        assertThat(slack.calls("users.info")).extracting(c -> c.param("user")).containsExactly("UAPPROVER1", "UAPPROVER2");
        assertThat(slack.callCount("conversations.info")).isZero();
    }

    @Test
    void assumedRoleSessionIsSimulatedAsItsRole() {
        iam.setCallerArn("arn:aws:sts::123456789012:assumed-role/aws-onboard/i-0abc");

        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(iam.simulatedPrincipals()).isNotEmpty().containsOnly("arn:aws:iam::123456789012:role/aws-onboard");
    }

    @Test
    void badAwsCredentialsFailIdentityAndSkipPermissions() {
        iam.failNext("GetCallerIdentity", 1, "InvalidClientTokenId", 403);

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("aws identity")).startsWith("FAIL").contains("InvalidClientTokenId").contains("AWS_PROFILE");
        assertThat(run.row("iam permissions")).startsWith("FAIL").contains("not checked");
        assertThat(iam.callCount("SimulatePrincipalPolicy")).isZero();
    }

    @Test
    void noAwsCredentialsAtAllIsOneShortLineNotTheSdksListOfProviders() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Doctor.run(env, () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain"
                    + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), ...]) : [...]");
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), "");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("aws identity")).startsWith("FAIL").contains("no AWS credentials found")
                .doesNotContain("AwsCredentialsProviderChain").contains("AWS_PROFILE");
        assertThat(run.row("iam permissions")).contains("not checked");
        assertThat(run.row("password policy")).startsWith("WARN").contains("not checked");
        assertThat(iam.calls()).isEmpty();
    }

    @Test
    void simulatorNotAllowedIsAWarningNotAFailure() {
        iam.failNext("SimulatePrincipalPolicy", 1, "AccessDenied", 403);

        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.row("iam permissions")).startsWith("WARN").contains("iam:SimulatePrincipalPolicy");
        assertThat(run.out()).contains("All 8 checks passed, 1 warning.");
    }

    @Test
    void unusableDatabaseFails() {
        env.put("DATABASE_URL", "jdbc:nosuchdb://db.example/onboard?password=hunter2hunter2");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("database")).startsWith("FAIL").contains("DATABASE_URL").doesNotContain("hunter2hunter2");
    }

    @Test
    void badConfigurationExitsWithTwoAndNamesEachProblem() {
        env.remove("SLACK_BOT_TOKEN");
        env.put("ONBOARD_APPROVERS", "not-a-user");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("config error: SLACK_BOT_TOKEN is not set").contains("'not-a-user'");
        assertThat(run.out()).isEmpty();
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void outputNeverContainsTheTokenOrTheSecrets() {
        Run passing = doctor();
        slack.failNext("auth.test", 1, "invalid_auth");
        iam.failNext("GetCallerIdentity", 1, "SignatureDoesNotMatch", 403);
        Run failing = doctor();

        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.row("slack token")).startsWith("FAIL").contains("invalid_auth").contains("SLACK_BOT_TOKEN");
        for (Run run : List.of(passing, failing)) {
            assertThat(run.out() + run.err()).doesNotContain(slack.botToken()).doesNotContain(SIGNING_SECRET)
                    .doesNotContain(AWS_SECRET);
        }
    }

    @Test
    void httpModeIsReportedWithTheSigningSecretItNeeds() {
        Run run = doctor();

        assertThat(run.row("slack mode")).startsWith("OK").contains("HTTP mode").contains("SLACK_SIGNING_SECRET")
                .contains("/slack/events");
        assertThat(slack.callCount("apps.connections.open")).isZero();
    }

    @Test
    void socketModeNeedsNoSigningSecretAndChecksTheAppToken() {
        env.remove("SLACK_SIGNING_SECRET");
        env.put("SLACK_APP_TOKEN", APP_TOKEN);
        slack.socketMode(APP_TOKEN, () -> "ws://127.0.0.1:9/link/?ticket=unused");

        Run run = doctor();

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.row("slack mode")).startsWith("OK").contains("Socket Mode").doesNotContain("SIGNING");
        assertThat(slack.calls("apps.connections.open")).extracting(FakeSlack.Call::token).containsExactly(APP_TOKEN);
        assertThat(run.out()).doesNotContain(APP_TOKEN);
    }

    @Test
    void anAppTokenSlackRefusesFailsTheModeNamingTheVariable() {
        env.remove("SLACK_SIGNING_SECRET");
        env.put("SLACK_APP_TOKEN", "xapp-1-A0001-revoked-0000");
        slack.socketMode(APP_TOKEN, () -> "ws://127.0.0.1:9/link/?ticket=unused");

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("slack mode")).startsWith("FAIL").contains("SLACK_APP_TOKEN was refused by Slack")
                .contains("invalid_auth").contains("connections:write");
        assertThat(run.row("slack token")).startsWith("OK");
        assertThat(run.out()).doesNotContain("revoked-0000");
    }

    @Test
    void theAuditChannelIsCheckedLikeTheApprovalChannel() {
        env.put("ONBOARD_AUDIT_CHANNEL", AUDIT_CHANNEL);
        slack.addChannel(AUDIT_CHANNEL); // public, the bot not invited

        Run outside = doctor();
        slack.addMember(AUDIT_CHANNEL, FakeSlack.BOT_USER_ID);
        Run inside = doctor();

        assertThat(outside.exit()).isEqualTo(1);
        assertThat(outside.row("audit channel")).startsWith("FAIL").contains(AUDIT_CHANNEL).contains("audit trail")
                .contains("/invite @aws-onboard");
        assertThat(outside.row("approval channel")).startsWith("OK");
        assertThat(inside.exit()).as(inside.out()).isZero();
        assertThat(inside.row("audit channel")).startsWith("OK").contains(AUDIT_CHANNEL);
        assertThat(slack.calls("conversations.info")).extracting(c -> c.param("channel")).contains(AUDIT_CHANNEL);
    }

    @Test
    void noAuditChannelNoAuditRow() {
        assertThat(doctor().rows()).doesNotContainKey("audit channel");
    }

    @Test
    void anAccountWithoutPasswordPolicyWarnsThatUsersNeedIamUserChangePassword() {
        iam.setPasswordPolicy(null);

        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.row("password policy")).startsWith("WARN").contains("IAMUserChangePassword")
                .contains("the bot attaches");
        assertThat(iam.callCount("GetAccountPasswordPolicy")).isEqualTo(1);
    }

    @Test
    void aPolicyThatLetsUsersChangeTheirPasswordPasses() {
        Run run = doctor();

        assertThat(run.row("password policy")).startsWith("OK").contains("AllowUsersToChangePassword")
                .contains("minimum length 12");
    }

    @Test
    void principalArnsForTheSimulator() {
        assertThat(AwsChecks.principalForSimulation("arn:aws:iam::123456789012:user/ops/onboard-bot"))
                .hasValue("arn:aws:iam::123456789012:user/ops/onboard-bot");
        assertThat(AwsChecks.principalForSimulation("arn:aws:sts::123456789012:assumed-role/onboard/session"))
                .hasValue("arn:aws:iam::123456789012:role/onboard");
        assertThat(AwsChecks.principalForSimulation("arn:aws-cn:sts::123456789012:assumed-role/onboard/s"))
                .hasValue("arn:aws-cn:iam::123456789012:role/onboard");
        assertThat(AwsChecks.principalForSimulation("arn:aws:sts::123456789012:federated-user/bob")).isEmpty();
        assertThat(AwsChecks.principalForSimulation("arn:aws:iam::123456789012:root")).isEmpty();
    }

    private void rules(String yaml) {
        try {
            env.put("ONBOARD_CONFIG", java.nio.file.Files.writeString(dir.resolve("rules.yml"), yaml).toString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theApprovalRulesAreShownAsUnderstoodWithTheirApproversReached() {
        slack.addUser("USECOPS001", "secops").addUser("USECOPS002", "secops2").addUserGroup("S0SECOPS", "USECOPS001", "USECOPS002")
                .inviteBot("CADMINS");
        rules("""
                approvalRules:
                  - name: admins
                    kinds: [grant, onboard]
                    groups: [admins]
                    approvers: [UAPPROVER1, S0SECOPS]
                    approvals: 2
                    announce: CADMINS
                    maxDuration: 4h
                """);

        Run run = doctor();

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.row("rule admins")).startsWith("OK").contains("grant, onboard giving admins: 2 approvals of UAPPROVER1, S0SECOPS")
                .contains("asked in CADMINS").contains("grants up to 4h").contains("(3 people)");
        assertThat(run.row("rule default")).startsWith("OK").contains("1 approval of UAPPROVER1, UAPPROVER2, asked in " + APPROVAL_CHANNEL);
        assertThat(run.row("rule admins channel")).startsWith("OK").contains("the bot is a member");
        assertThat(slack.calls("usergroups.users.list")).extracting(c -> c.param("usergroup")).containsExactly("S0SECOPS");
    }

    @Test
    void withoutRulesTheTableIsAsBefore() {
        assertThat(doctor().rows()).doesNotContainKeys("rule default");
    }

    @Test
    void aUserGroupThatDoesNotExistIsEmptyOrCannotBeReadFailsItsRule() {
        slack.addUserGroup("S0EMPTY").addUser("UGONE00001", "gone").deactivateUser("UGONE00001");
        rules("""
                approvalRules:
                  - {name: ghosts, approvers: [S0NOSUCH]}
                  - {name: empty, approvers: [S0EMPTY, UAPPROVER1]}
                  - {name: pair, approvers: [UAPPROVER1, UGONE00001], approvals: 2}
                """);

        Run run = doctor();

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.row("rule ghosts")).startsWith("FAIL").contains("S0NOSUCH: no_such_subteam").contains("Copy group ID");
        assertThat(run.row("rule empty")).startsWith("FAIL").contains("S0EMPTY: the user group has no members");
        assertThat(run.row("rule pair")).startsWith("FAIL").contains("UGONE00001: deactivated");

        slack.revokeScopes("usergroups:read");
        Run withoutScope = doctor();
        assertThat(withoutScope.row("rule ghosts")).startsWith("FAIL").contains("missing_scope").contains("usergroups:read")
                .contains("reinstall");
    }

    @Test
    void aRuleWithFewerReachableApproversThanApprovalsFails() {
        slack.addBot("UBOT000009", "somebot").addUserGroup("S0MIXED", "UAPPROVER2", "UBOT000009");
        rules("approvalRules: [{name: admins, approvers: [S0MIXED], approvals: 2}]\n");

        Run run = doctor();

        assertThat(run.row("rule admins")).startsWith("FAIL").contains("only 1 approver(s) can be reached")
                .contains("lower its approvals");
    }
}
