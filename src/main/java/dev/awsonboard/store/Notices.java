package dev.awsonboard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a request ended, stored as {@code {"reason":"...","args":{...}}} in the failure_reason
 * column. Rows from before reasons were codes hold a sentence; they read back as
 * {@link Reason#UNEXPECTED} with that sentence, so old requests still show something.
 */
final class Notices {
    private Notices() {
    }

    static String encode(ObjectMapper json, Notice notice) {
        if (notice == null) {
            return null;
        }
        ObjectNode node = json.createObjectNode();
        node.put("reason", notice.reason().name());
        ObjectNode args = node.putObject("args");
        notice.args().forEach(args::put);
        return node.toString();
    }

    static Notice decode(ObjectMapper json, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.startsWith("{")) {
            try {
                JsonNode node = json.readTree(text);
                Map<String, String> args = new LinkedHashMap<>();
                node.path("args").fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
                return new Notice(Reason.valueOf(node.path("reason").asText()), args);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                // fall through: not one of ours
            }
        }
        return Notice.of(Reason.UNEXPECTED, "what", text);
    }
}
