package dev.awsonboard.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Just enough of IAM's policy language for the fake to answer "may this user call this action on
 * this resource": Effect, Action/NotAction with wildcards (case-insensitive), Resource/NotResource
 * with wildcards and {@code ${aws:username}}. An explicit Deny wins over any Allow
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 *
 * <p>Simplified: a statement with a {@code Condition} is skipped entirely (the fake has no request
 * context to evaluate it against), so a conditional Deny does not deny and a conditional Allow
 * does not allow.
 */
final class PolicyDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Decision { ALLOW, DENY, NOT_APPLICABLE }

    private record Statement(boolean allow, List<String> actions, boolean notAction, List<String> resources,
                             boolean notResource, boolean conditional) {
    }

    private final List<Statement> statements;

    private PolicyDocument(List<Statement> statements) {
        this.statements = statements;
    }

    /** @throws IllegalArgumentException when IAM would answer MalformedPolicyDocument; the message is IAM's */
    static PolicyDocument parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Syntax errors in policy.");
        }
        if (root == null || !root.isObject() || !root.has("Statement")) {
            throw new IllegalArgumentException("Syntax errors in policy.");
        }
        JsonNode node = root.get("Statement");
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : node.isArray() ? node : List.of(node)) {
            statements.add(statement(s));
        }
        return new PolicyDocument(List.copyOf(statements));
    }

    private static Statement statement(JsonNode s) {
        if (!s.isObject()) {
            throw new IllegalArgumentException("Syntax errors in policy.");
        }
        String effect = s.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new IllegalArgumentException("Missing required field Effect or it is not Allow or Deny.");
        }
        if (s.has("Principal") || s.has("NotPrincipal")) {
            throw new IllegalArgumentException("Policy document should not specify a principal.");
        }
        boolean notAction = s.has("NotAction");
        boolean notResource = s.has("NotResource");
        if (notAction == s.has("Action") || notResource == s.has("Resource")) {
            throw new IllegalArgumentException("Syntax errors in policy.");
        }
        return new Statement(effect.equals("Allow"), strings(s.get(notAction ? "NotAction" : "Action")), notAction,
                strings(s.get(notResource ? "NotResource" : "Resource")), notResource, s.has("Condition"));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : node.isArray() ? node : List.of(node)) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("Syntax errors in policy.");
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    /** @param action like {@code iam:ChangePassword}; @param resourceArn what it acts on; @param userName the caller */
    Decision decide(String action, String resourceArn, String userName) {
        Decision decision = Decision.NOT_APPLICABLE;
        for (Statement s : statements) {
            if (s.conditional() || !applies(s, action, resourceArn, userName)) {
                continue;
            }
            if (!s.allow()) {
                return Decision.DENY;
            }
            decision = Decision.ALLOW;
        }
        return decision;
    }

    private static boolean applies(Statement s, String action, String resourceArn, String userName) {
        boolean actionMatches = s.actions().stream().anyMatch(a -> glob(a, true).matcher(action).matches());
        boolean resourceMatches = s.resources().stream()
                .map(r -> r.replace("${aws:username}", userName))
                .anyMatch(r -> glob(r, false).matcher(resourceArn).matches());
        return actionMatches != s.notAction() && resourceMatches != s.notResource();
    }

    private static Pattern glob(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return ignoreCase ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                : Pattern.compile(regex.toString());
    }

    /** Characters IAM counts against the inline-policy size quota: whitespace is not counted. */
    static int chargedSize(String json) {
        return json.replaceAll("\\s", "").length();
    }

}
