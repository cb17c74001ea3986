package dev.awsonboard.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a YAML document into a tree that keeps what the operator wrote. Jackson's own tree follows
 * YAML 1.1, where {@code yes}, {@code no}, {@code on} and {@code off} are booleans and {@code 007} is
 * the number 7; here only {@code true} and {@code false} are booleans and every other scalar is the
 * string as written, so {@code allowSelfApproval: yes} is caught as not a boolean and {@code team: 007}
 * stays "007".
 */
final class YamlTree {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The tree, and the keys that appeared twice in one mapping (YAML forbids it; the last would win silently). */
    record Parsed(JsonNode root, List<String> duplicateKeys) {
    }

    private final List<String> duplicates = new ArrayList<>();

    private YamlTree() {
    }

    static Parsed read(String yaml) throws IOException {
        YamlTree tree = new YamlTree();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken first = p.nextToken();
            JsonNode root = first == null ? NODES.nullNode() : tree.node(p);
            return new Parsed(root, List.copyOf(tree.duplicates));
        }
    }

    private JsonNode node(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (object.has(key)) {
                        duplicates.add(key);
                    }
                    object.set(key, node(p));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(node(p));
                }
                return array;
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                // The parser's text is the scalar as written: "yes" and "on" arrive as VALUE_TRUE too.
                String raw = p.getText();
                return raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("false")
                        ? NODES.booleanNode(token == JsonToken.VALUE_TRUE) : NODES.textNode(raw);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> {
                // Strings, numbers, timestamps, binary: the text as written.
                return NODES.textNode(p.getText());
            }
        }
    }

    /** How an operator would name a node's type in an error line. */
    static String kind(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isBoolean()) {
            return "a boolean (" + node.asText() + ")";
        }
        if (node.isNull()) {
            return "nothing";
        }
        return "'" + node.asText() + "'";
    }
}
