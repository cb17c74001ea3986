package dev.awsonboard.fakes;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Block Kit's documented size limits, checked the way Slack reports them: one
 * {@code response_metadata.messages} line per violation, {@code [ERROR] <what> [json-pointer:<path>]}.
 *
 * <p>Wording and paths follow refusals Slack is recorded giving, e.g.
 * {@code [ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]},
 * {@code [ERROR] no more than 50 items allowed [json-pointer:/blocks]} (messages) and
 * {@code [ERROR] must be less than 25 characters [json-pointer:/view/title/text]} (views). Slack's wording
 * for a duplicate id is not documented; {@code [ERROR] duplicate block_id} is ours.
 *
 * <p>Limits: docs.slack.dev/reference/block-kit/blocks (50 blocks per message, 100 per modal or Home tab;
 * block_id 255, unique per message or view), .../blocks/section-block (text 3000, fields 10 x 2000),
 * .../blocks/header-block (150), .../blocks/context-block (10 elements), .../blocks/actions-block (25 elements),
 * .../blocks/input-block (label and hint 2000), .../block-elements/button-element (text 75, value 2000,
 * url 3000, action_id 255 and unique in its block), .../composition-objects/option-object (text 75,
 * value 150), .../block-elements/select-menu-element (100 options or option groups),
 * .../block-elements/checkboxes-element and radio-button-element (10 options), overflow-menu-element (5),
 * docs.slack.dev/reference/views (title, submit, close 24; private_metadata 3000; callback_id and
 * external_id 255), .../composition-objects/confirmation-dialog-object (title 100, text 300, confirm and
 * deny 30).
 *
 * <p>Public so the builders' own tests check what they make against the same limits the fake enforces.
 */
public final class BlockKitLimits {
    static final int MESSAGE_BLOCKS = 50;
    static final int VIEW_BLOCKS = 100;

    private final List<String> errors = new ArrayList<>();
    private final Set<String> blockIds = new HashSet<>();

    private BlockKitLimits() {
    }

    /** Violations in a message's {@code blocks} (chat.postMessage, chat.update, chat.postEphemeral). */
    public static List<String> message(JsonNode blocks) {
        BlockKitLimits check = new BlockKitLimits();
        check.blocks(blocks, "/blocks", MESSAGE_BLOCKS);
        return check.errors;
    }

    /** Violations in a {@code view} (views.open, views.push, views.update, views.publish). */
    public static List<String> view(JsonNode view) {
        BlockKitLimits check = new BlockKitLimits();
        check.text(view.path("title"), "/view/title", 24);
        check.text(view.path("submit"), "/view/submit", 24);
        check.text(view.path("close"), "/view/close", 24);
        check.max(view.path("private_metadata"), "/view/private_metadata", 3000);
        check.max(view.path("callback_id"), "/view/callback_id", 255);
        check.max(view.path("external_id"), "/view/external_id", 255);
        check.blocks(view.path("blocks"), "/view/blocks", VIEW_BLOCKS);
        return check.errors;
    }

    private void blocks(JsonNode blocks, String path, int limit) {
        if (!blocks.isArray()) return;
        items(blocks, path, limit);
        for (int i = 0; i < blocks.size(); i++) {
            block(blocks.get(i), path + "/" + i);
        }
    }

    private void block(JsonNode block, String path) {
        JsonNode blockId = block.path("block_id");
        max(blockId, path + "/block_id", 255);
        if (blockId.isTextual() && !blockIds.add(blockId.asText())) {
            errors.add("[ERROR] duplicate block_id [json-pointer:" + path + "/block_id]");
        }
        switch (block.path("type").asText()) {
            case "section" -> {
                text(block.path("text"), path + "/text", 3000);
                JsonNode fields = block.path("fields");
                items(fields, path + "/fields", 10);
                for (int i = 0; i < fields.size(); i++) text(fields.get(i), path + "/fields/" + i, 2000);
                if (block.has("accessory")) element(block.get("accessory"), path + "/accessory");
            }
            case "header" -> text(block.path("text"), path + "/text", 150);
            case "context" -> items(block.path("elements"), path + "/elements", 10);
            case "actions" -> {
                JsonNode elements = block.path("elements");
                items(elements, path + "/elements", 25);
                Set<String> actionIds = new HashSet<>();
                for (int i = 0; i < elements.size(); i++) {
                    String elementPath = path + "/elements/" + i;
                    element(elements.get(i), elementPath);
                    JsonNode actionId = elements.get(i).path("action_id");
                    if (actionId.isTextual() && !actionIds.add(actionId.asText())) {
                        errors.add("[ERROR] duplicate action_id [json-pointer:" + elementPath + "/action_id]");
                    }
                }
            }
            case "input" -> {
                text(block.path("label"), path + "/label", 2000);
                text(block.path("hint"), path + "/hint", 2000);
                if (block.has("element")) element(block.get("element"), path + "/element");
            }
            default -> {
                // divider, image, rich_text, ...: nothing this fake limits
            }
        }
    }

    private void element(JsonNode element, String path) {
        max(element.path("action_id"), path + "/action_id", 255);
        text(element.path("placeholder"), path + "/placeholder", 150);
        JsonNode confirm = element.path("confirm");
        if (confirm.isObject()) {
            text(confirm.path("title"), path + "/confirm/title", 100);
            text(confirm.path("text"), path + "/confirm/text", 300);
            text(confirm.path("confirm"), path + "/confirm/confirm", 30);
            text(confirm.path("deny"), path + "/confirm/deny", 30);
        }
        switch (element.path("type").asText()) {
            case "button" -> {
                text(element.path("text"), path + "/text", 75);
                max(element.path("value"), path + "/value", 2000);
                max(element.path("url"), path + "/url", 3000);
            }
            case "static_select", "multi_static_select" -> {
                options(element.path("options"), path + "/options", 100);
                items(element.path("option_groups"), path + "/option_groups", 100);
            }
            case "checkboxes", "radio_buttons" -> options(element.path("options"), path + "/options", 10);
            case "overflow" -> options(element.path("options"), path + "/options", 5);
            default -> {
                // other elements: only action_id and placeholder are limited here
            }
        }
    }

    private void options(JsonNode options, String path, int limit) {
        items(options, path, limit);
        for (int i = 0; i < options.size(); i++) {
            text(options.get(i).path("text"), path + "/" + i + "/text", 75);
            max(options.get(i).path("value"), path + "/" + i + "/value", 150);
        }
    }

    /** A text object: its {@code text} field is what the limit applies to. */
    private void text(JsonNode textObject, String path, int limit) {
        max(textObject.path("text"), path + "/text", limit);
    }

    private void max(JsonNode value, String path, int limit) {
        // Characters, not UTF-16 units: an emoji counts once.
        if (value.isTextual() && value.asText().codePointCount(0, value.asText().length()) > limit) {
            errors.add("[ERROR] must be less than " + (limit + 1) + " characters [json-pointer:" + path + "]");
        }
    }

    private void items(JsonNode array, String path, int limit) {
        if (array.isArray() && array.size() > limit) {
            errors.add("[ERROR] no more than " + limit + " items allowed [json-pointer:" + path + "]");
        }
    }
}
