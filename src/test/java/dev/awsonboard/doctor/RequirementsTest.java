package dev.awsonboard.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.awsonboard.doctor.Requirements.IamAction;
import dev.awsonboard.doctor.Requirements.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor's lists agree with the files operators use: manifest.yml, deploy/iam-policy.json, the IAM adapter. */
class RequirementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path POLICY = Path.of("deploy/iam-policy.json");
    private static final Path ADAPTER = Path.of("src/main/java/dev/awsonboard/iam/SdkIamGateway.java");

    @Test
    void requiredScopesAreTheManifestsBotScopes() throws IOException {
        JsonNode bot = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("manifest.yml")))
                .path("oauth_config").path("scopes").path("bot");
        List<String> manifest = new ArrayList<>();
        bot.forEach(n -> manifest.add(n.asText()));

        assertThat(manifest).isNotEmpty();
        assertThat(Requirements.SLACK_BOT_SCOPES).containsExactlyInAnyOrderElementsOf(manifest).doesNotHaveDuplicates();
    }

    @Test
    void subscribedEventsAreTheManifestsAndEachOneHasItsScope() throws IOException {
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("manifest.yml")));
        List<String> events = new ArrayList<>();
        manifest.path("settings").path("event_subscriptions").path("bot_events").forEach(n -> events.add(n.asText()));

        assertThat(Requirements.SLACK_BOT_EVENTS.keySet()).containsExactlyInAnyOrderElementsOf(events);
        Requirements.SLACK_BOT_EVENTS.values().stream().filter(scope -> !scope.isEmpty())
                .forEach(scope -> assertThat(Requirements.SLACK_BOT_SCOPES).contains(scope));
        // app_home_opened only reaches an app whose Home tab is on; views.publish answers not_enabled otherwise.
        assertThat(manifest.path("features").path("app_home").path("home_tab_enabled").asBoolean()).isTrue();
    }

    @Test
    void policyFileAllowsExactlyTheActionsTheAdapterCallsPlusTheDocumentedDependentOnes() throws IOException {
        Set<String> policy = policyStatementsByAction(POLICY).keySet();
        Set<String> needed = new TreeSet<>(adapterActions());
        needed.addAll(Requirements.DEPENDENT_ACTIONS);

        // Both ways: a call without permission fails in production; a permission without a call is more than least privilege.
        assertThat(new TreeSet<>(policy)).isEqualTo(needed);
    }

    @Test
    void doctorChecksExactlyThePolicysActions() throws IOException {
        assertThat(Requirements.iamActionNames()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(policyStatementsByAction(POLICY).keySet());
    }

    @Test
    void doctorsOwnCallsAreDocumentedApartFromThePolicy() throws IOException {
        String readme = Files.readString(Path.of("deploy/README.md"));

        assertThat(policyStatementsByAction(POLICY)).doesNotContainKeys("iam:SimulatePrincipalPolicy", "sts:GetCallerIdentity");
        assertThat(readme).contains("iam:SimulatePrincipalPolicy").contains("sts:GetCallerIdentity");
    }

    @Test
    void policyFileScopesEachActionToItsResourceKind() throws IOException {
        Map<String, JsonNode> statements = policyStatementsByAction(POLICY);
        Map<Resource, String> expected = Map.of(
                Resource.USER, "arn:aws:iam::*:user/*",
                Resource.MFA, "arn:aws:iam::*:mfa/*",
                Resource.GROUP, "arn:aws:iam::*:group/*",
                Resource.ACCOUNT, "*");

        for (IamAction action : Requirements.IAM_ACTIONS) {
            assertThat(strings(statements.get(action.name()).path("Resource"))).as(action.name())
                    .containsExactly(expected.get(action.resource()));
        }
    }

    @Test
    void attachUserPolicyIsLimitedToIamUserChangePasswordAndDetachIsNot() throws IOException {
        Map<String, JsonNode> statements = policyStatementsByAction(POLICY);
        JsonNode attach = statements.get("iam:AttachUserPolicy");
        JsonNode detach = statements.get("iam:DetachUserPolicy");

        assertThat(strings(attach.path("Action"))).containsExactly("iam:AttachUserPolicy");
        assertThat(attach.path("Condition").path("ArnEquals").path("iam:PolicyARN").asText())
                .isEqualTo(Requirements.CHANGE_PASSWORD_POLICY).isEqualTo("arn:aws:iam::aws:policy/IAMUserChangePassword");
        assertThat(detach.has("Condition")).as("offboarding detaches whatever is attached").isFalse();
        assertThat(Requirements.IAM_ACTIONS).filteredOn(a -> a.name().equals("iam:AttachUserPolicy")).singleElement()
                .satisfies(a -> assertThat(a.context()).containsEntry("iam:PolicyARN", Requirements.CHANGE_PASSWORD_POLICY));
        // Every other statement grants without conditions.
        statements.forEach((action, statement) -> {
            if (!action.equals("iam:AttachUserPolicy")) {
                assertThat(statement.has("Condition")).as(action).isFalse();
            }
        });
    }

    @Test
    void boundaryPolicyOnlyGuardsCreateUserWithThePermissionsBoundaryKey() throws IOException {
        JsonNode statement = JSON.readTree(Files.readString(Path.of("deploy/iam-policy-boundary.json"))).path("Statement").get(0);

        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Action").asText()).isEqualTo("iam:CreateUser");
        assertThat(statement.path("Condition").path("StringNotEquals").has("iam:PermissionsBoundary")).isTrue();
    }

    @Test
    void eachCallIsLabelledWithTheActionItMakes() throws IOException {
        String source = Files.readString(ADAPTER);
        Set<String> labels = new TreeSet<>();
        Matcher m = Pattern.compile("(?:call|find)\\(\"(\\w+)\"").matcher(source);
        while (m.find()) {
            labels.add("iam:" + m.group(1));
        }

        // The labels name metrics and audit entries; a label without its SDK call would lie there.
        assertThat(labels).isEqualTo(adapterActions());
    }

    /** Each {@code iam.xxx(} SDK call of the adapter as its IAM action; the SDK's operation names map 1:1, paginators too. */
    private static Set<String> adapterActions() throws IOException {
        String source = Files.readString(ADAPTER);
        Set<String> called = new TreeSet<>();
        Matcher sdk = Pattern.compile("\\biam\\.(\\w+?)(?:Paginator)?\\(").matcher(source);
        while (sdk.find()) {
            called.add("iam:" + Character.toUpperCase(sdk.group(1).charAt(0)) + sdk.group(1).substring(1));
        }
        assertThat(called).contains("iam:CreateUser", "iam:ListMFADevices", "iam:DeleteSSHPublicKey", "iam:AttachUserPolicy");
        return called;
    }

    /** Each action of the policy and the statement that allows it (an action in two statements fails). */
    private static Map<String, JsonNode> policyStatementsByAction(Path file) throws IOException {
        JsonNode policy = JSON.readTree(Files.readString(file));
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            for (String action : strings(statement.path("Action"))) {
                assertThat(out).as("%s appears in one statement only", action).doesNotContainKey(action);
                out.put(action, statement);
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
