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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor's lists agree with the files operators use: manifest.yml, deploy/iam-policy.json, the IAM adapter. */
class RequirementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void policyFileAllowsExactlyTheActionsTheDoctorChecks() throws IOException {
        Map<String, List<String>> resourcesByAction = policyResourcesByAction(Path.of("deploy/iam-policy.json"));

        assertThat(resourcesByAction.keySet()).containsExactlyInAnyOrderElementsOf(Requirements.iamActionNames());
        assertThat(Requirements.iamActionNames()).doesNotHaveDuplicates();
    }

    @Test
    void policyFileScopesEachActionToItsResourceKind() throws IOException {
        Map<String, List<String>> resourcesByAction = policyResourcesByAction(Path.of("deploy/iam-policy.json"));
        Map<Resource, String> expected = Map.of(
                Resource.USER, "arn:aws:iam::*:user/*",
                Resource.MFA, "arn:aws:iam::*:mfa/*",
                Resource.GROUP, "arn:aws:iam::*:group/*",
                Resource.ACCOUNT, "*");

        for (IamAction action : Requirements.IAM_ACTIONS) {
            assertThat(resourcesByAction.get(action.name())).as(action.name()).containsExactly(expected.get(action.resource()));
        }
    }

    @Test
    void boundaryPolicyOnlyGuardsCreateUserWithThePermissionsBoundaryKey() throws IOException {
        JsonNode statement = JSON.readTree(Files.readString(Path.of("deploy/iam-policy-boundary.json"))).path("Statement").get(0);

        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Action").asText()).isEqualTo("iam:CreateUser");
        assertThat(statement.path("Condition").path("StringNotEquals").has("iam:PermissionsBoundary")).isTrue();
    }

    @Test
    void everyCallTheIamAdapterMakesIsOnTheList() throws IOException {
        String source = Files.readString(Path.of("src/main/java/dev/awsonboard/iam/SdkIamGateway.java"));
        Set<String> called = new LinkedHashSet<>();
        // The action each call is labelled with ...
        Matcher labels = Pattern.compile("call\\(\"(\\w+)\"").matcher(source);
        while (labels.find()) {
            called.add("iam:" + labels.group(1));
        }
        // ... and the SDK method it really invokes (paginators make the same call).
        Matcher sdk = Pattern.compile("\\biam\\.(\\w+?)(?:Paginator)?\\(").matcher(source);
        while (sdk.find()) {
            called.add("iam:" + Character.toUpperCase(sdk.group(1).charAt(0)) + sdk.group(1).substring(1));
        }

        assertThat(called).contains("iam:CreateUser", "iam:EnableMFADevice", "iam:ListUserTags");
        assertThat(Requirements.iamActionNames()).containsAll(called);
    }

    private static Map<String, List<String>> policyResourcesByAction(Path file) throws IOException {
        JsonNode policy = JSON.readTree(Files.readString(file));
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        Map<String, List<String>> out = new HashMap<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            for (String action : strings(statement.path("Action"))) {
                assertThat(out).as("%s appears in one statement only", action).doesNotContainKey(action);
                out.put(action, strings(statement.path("Resource")));
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
