package dev.awsonboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awsonboard.config.Variables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/aws-onboard.yaml, read as CloudFormation reads it (short-form tags included): every reference
 * names something that exists, the task role holds exactly deploy/iam-policy.json, and the container is
 * given only variables the bot documents. (cfn-lint, where installed, checks the rest in .ci/run.)
 */
class CloudFormationTemplateTest {
    private static final Path TEMPLATE = Path.of("deploy", "aws-onboard.yaml");
    private static final Set<String> PSEUDO = Set.of("AWS::AccountId", "AWS::NoValue", "AWS::Partition", "AWS::Region",
            "AWS::StackId", "AWS::StackName", "AWS::URLSuffix", "AWS::NotificationARNs");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(?!!)([^}]+)}");

    private static Map<String, Object> template;
    private static Map<String, Object> parameters;
    private static Map<String, Object> resources;
    private static Map<String, Object> conditions;

    /** CloudFormation's short forms as the long ones: {@code !Ref X} is {@code {Ref: X}}, {@code !GetAtt A.B} {@code {Fn::GetAtt: [A, B]}}. */
    static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
                    "Transform", "And", "Equals", "If", "Not", "Or", "GetAtt")) {
                yamlConstructors.put(new Tag("!" + fn), new Function("Fn::" + fn));
            }
            yamlConstructors.put(new Tag("!Ref"), new Function("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Function("Condition"));
        }

        private final class Function extends AbstractConstruct {
            private final String name;

            Function(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode s) {
                    String text = constructScalar(s);
                    value = name.equals("Fn::GetAtt") ? List.of(text.substring(0, text.indexOf('.')), text.substring(text.indexOf('.') + 1)) : text;
                } else if (node instanceof SequenceNode s) {
                    value = constructSequence(s);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(name, value);
            }
        }
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void read() throws IOException {
        template = new Yaml(new CloudFormationConstructor()).load(Files.readString(TEMPLATE));
        parameters = (Map<String, Object>) template.get("Parameters");
        resources = (Map<String, Object>) template.get("Resources");
        conditions = (Map<String, Object>) template.get("Conditions");
    }

    @Test
    void everyRefGetAttSubAndConditionNamesSomethingTheTemplateDefines() {
        List<String> dangling = new ArrayList<>();
        walk(template, (key, value) -> {
            switch (key) {
                case "Ref" -> {
                    if (!parameters.containsKey(value) && !resources.containsKey(value) && !PSEUDO.contains(value)) {
                        dangling.add("Ref " + value);
                    }
                }
                case "Fn::GetAtt" -> {
                    String resource = (String) ((List<?>) value).get(0);
                    if (!resources.containsKey(resource)) {
                        dangling.add("GetAtt " + value);
                    }
                }
                case "Fn::Sub" -> {
                    String text = value instanceof List<?> l ? (String) l.get(0) : (String) value;
                    Set<String> local = value instanceof List<?> l && l.size() > 1 ? ((Map<String, ?>) l.get(1)).keySet() : Set.of();
                    Matcher m = SUB_VARIABLE.matcher(text);
                    while (m.find()) {
                        String name = m.group(1);
                        String target = name.contains(".") && !name.startsWith("AWS::") ? name.substring(0, name.indexOf('.')) : name;
                        boolean known = local.contains(name) || PSEUDO.contains(target) || resources.containsKey(target)
                                || (!name.contains(".") && parameters.containsKey(target));
                        if (!known) {
                            dangling.add("Sub ${" + name + "}");
                        }
                    }
                }
                case "Fn::If" -> {
                    if (!conditions.containsKey((String) ((List<?>) value).get(0))) {
                        dangling.add("If " + ((List<?>) value).get(0));
                    }
                }
                case "Condition" -> {
                    if (value instanceof String c && !conditions.containsKey(c)) {
                        dangling.add("Condition " + c);
                    }
                }
                case "DependsOn" -> {
                    for (Object d : value instanceof List<?> l ? l : List.of(value)) {
                        if (!resources.containsKey(d)) {
                            dangling.add("DependsOn " + d);
                        }
                    }
                }
                default -> {
                }
            }
        });

        assertThat(dangling).isEmpty();
    }

    @Test
    void everyParameterAndConditionIsUsed() {
        Set<String> used = new TreeSet<>();
        walk(template, (key, value) -> {
            if (key.equals("Ref") || key.equals("Condition")) {
                used.add(String.valueOf(value));
            } else if (key.equals("Fn::If")) {
                used.add((String) ((List<?>) value).get(0));
            } else if (key.equals("Fn::Sub")) {
                Matcher m = SUB_VARIABLE.matcher(value instanceof List<?> l ? (String) l.get(0) : (String) value);
                while (m.find()) {
                    used.add(m.group(1).split("\\.")[0]);
                }
            }
        });

        assertThat(used).containsAll(parameters.keySet()).containsAll(conditions.keySet());
    }

    @Test
    void theTaskRoleHoldsExactlyTheBotsLeastPrivilegePolicy() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode role = json.valueToTree(resources.get("TaskRole"));
        JsonNode policies = role.path("Properties").path("Policies");

        assertThat(policies).hasSize(1);
        assertThat(role.path("Properties").has("ManagedPolicyArns")).isFalse();
        assertThat(policies.get(0).path("PolicyDocument"))
                .isEqualTo(json.readTree(Files.readString(Path.of("deploy", "iam-policy.json"))));
        assertThat(role.path("Properties").path("AssumeRolePolicyDocument").toString()).contains("ecs-tasks.amazonaws.com");
    }

    @Test
    void theContainerGetsOnlyVariablesTheBotDocumentsAndTheTokensOnlyFromSecretsManager() {
        JsonNode container = new ObjectMapper().valueToTree(resources.get("TaskDefinition"))
                .path("Properties").path("ContainerDefinitions").get(0);
        Set<String> documented = new TreeSet<>(Variables.ALL.stream().map(Variables.Variable::name).toList());
        Set<String> given = new TreeSet<>();
        Set<String> secrets = new TreeSet<>();
        container.path("Environment").findValues("Name").forEach(n -> given.add(n.asText()));
        container.path("Secrets").findValues("Name").forEach(n -> secrets.add(n.asText()));

        assertThat(documented).containsAll(given).containsAll(secrets);
        assertThat(secrets).contains("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN");
        assertThat(given).doesNotContain("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
                .contains("ONBOARD_APPROVERS", "DATABASE_URL");
    }

    @Test
    void theHealthCheckIsTheImagesOwnProbe() throws IOException {
        JsonNode check = new ObjectMapper().valueToTree(resources.get("TaskDefinition"))
                .path("Properties").path("ContainerDefinitions").get(0).path("HealthCheck").path("Command");
        String probe = check.get(1).asText();

        assertThat(probe).isEqualTo("/app/bin/healthcheck");
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("COPY bin/healthcheck " + probe);
    }

    @Test
    void withSqliteThereIsNeverASecondTaskOnTheFile() {
        JsonNode service = new ObjectMapper().valueToTree(resources.get("Service")).path("Properties");

        assertThat(service.path("DesiredCount").path("Fn::If").get(1).asInt()).isEqualTo(1);
        JsonNode sqlite = service.path("DeploymentConfiguration").path("Fn::If").get(1);
        assertThat(sqlite.path("MaximumPercent").asInt()).isEqualTo(100);
        assertThat(sqlite.path("MinimumHealthyPercent").asInt()).isZero();
    }

    /** Calls {@code visit} with every key and value of every mapping in the tree. */
    @SuppressWarnings("unchecked")
    private static void walk(Object node, java.util.function.BiConsumer<String, Object> visit) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                visit.accept(String.valueOf(k), v);
                walk(v, visit);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visit));
        }
    }
}
