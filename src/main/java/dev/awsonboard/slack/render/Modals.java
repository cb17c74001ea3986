package dev.awsonboard.slack.render;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.multiStaticSelect;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.usersSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

/** Pure builders of the bot's modals. Titles and buttons stay within Slack's 24 characters. */
public final class Modals {
    private Modals() {
    }

    private static String title(String text) {
        return SlackText.clip(text, 24);
    }

    /**
     * The onboarding form with whatever the command already said filled in.
     *
     * @param channelId where the command was typed; the confirmation goes there
     */
    public static View request(Texts t, Optional<String> iamUserName, Optional<String> targetUserId, List<String> groups,
                               String reason, List<String> offeredGroups, String channelId) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(input(i -> i.blockId(Ids.BLOCK_IAM_USER).label(plainText(t.plain("modal.request.iamUser")))
                .hint(plainText(t.plain("modal.request.iamUserHint")))
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_IAM_USER).maxLength(64)
                        .initialValue(iamUserName.map(n -> SlackText.clip(n, 64)).orElse(null))))));
        blocks.add(input(i -> i.blockId(Ids.BLOCK_TARGET).label(plainText(t.plain("modal.request.person")))
                .element(usersSelect(u -> u.actionId(Ids.ACTION_TARGET).initialUser(targetUserId.orElse(null))))));
        if (!offeredGroups.isEmpty()) {
            // An option shows at most 75 characters and IAM group names run to 128: the label is clipped, the value stays whole.
            List<OptionObject> options = offeredGroups.stream().limit(100)
                    .map(g -> option(plainText(SlackText.clip(g, 75)), g)).toList();
            List<OptionObject> initial = options.stream().filter(o -> groups.contains(o.getValue())).toList();
            blocks.add(input(i -> i.blockId(Ids.BLOCK_GROUPS).label(plainText(t.plain("modal.request.groups"))).optional(true)
                    .element(multiStaticSelect(m -> m.actionId(Ids.ACTION_GROUPS).options(options)
                            .initialOptions(initial.isEmpty() ? null : initial)))));
        }
        blocks.add(input(i -> i.blockId(Ids.BLOCK_REASON).label(plainText(t.plain("modal.request.reason"))).optional(true)
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_REASON).multiline(true).maxLength(500)
                        .initialValue(reason == null || reason.isBlank() ? null : SlackText.clip(reason, 500))))));
        return view(v -> v.type("modal").callbackId(Ids.REQUEST_MODAL).privateMetadata(channelId)
                .title(viewTitle(x -> x.type("plain_text").text(title(t.plain("modal.request.title")))))
                .submit(viewSubmit(s -> s.type("plain_text").text(title(t.plain("modal.request.submit")))))
                .close(viewClose(c -> c.type("plain_text").text(title(t.plain("modal.cancel")))))
                .blocks(blocks));
    }

    public static View codes(Texts t, String requestId, String iamUserName) {
        return codes(t, requestId, iamUserName, null);
    }

    /** @param problem shown above the fields when the codes came back refused after a "checking…" view */
    public static View codes(Texts t, String requestId, String iamUserName, String problem) {
        List<LayoutBlock> blocks = new ArrayList<>();
        if (problem != null) {
            blocks.add(section(s -> s.blockId("problem").text(markdownText(SlackText.clip(problem, 3000)))));
        }
        blocks.add(section(s -> s.text(markdownText(t.get("modal.codes.text", "user", iamUserName)))));
        blocks.add(input(i -> i.blockId(Ids.BLOCK_CODE_1).label(plainText(t.plain("modal.codes.first")))
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_CODE_1).maxLength(7).placeholder(plainText("123456"))))));
        blocks.add(input(i -> i.blockId(Ids.BLOCK_CODE_2).label(plainText(t.plain("modal.codes.next")))
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_CODE_2).maxLength(7).placeholder(plainText("654321"))))));
        return view(v -> v.type("modal").callbackId(Ids.CODES_MODAL).privateMetadata(requestId)
                .title(viewTitle(x -> x.type("plain_text").text(title(t.plain("modal.codes.title")))))
                .submit(viewSubmit(s -> s.type("plain_text").text(title(t.plain("modal.codes.submit")))))
                .close(viewClose(c -> c.type("plain_text").text(title(t.plain("modal.cancel")))))
                .blocks(blocks));
    }

    public static View message(Texts t, String callbackId, String titleKey, String text) {
        return view(v -> v.type("modal").callbackId(callbackId)
                .title(viewTitle(x -> x.type("plain_text").text(title(t.plain(titleKey)))))
                .close(viewClose(c -> c.type("plain_text").text(title(t.plain("modal.close")))))
                .blocks(List.of(section(s -> s.text(markdownText(SlackText.clip(text, 3000)))))));
    }

    public static View passwordLoading(Texts t) {
        return message(t, Ids.PASSWORD_MODAL, "modal.password.title", t.get("modal.password.loading"));
    }

    /** The password in plain_text, so no mrkdwn character in it can change how it shows. */
    public static View password(Texts t, String iamUserName, String password, String signInUrl) {
        return view(v -> v.type("modal").callbackId(Ids.PASSWORD_MODAL)
                .title(viewTitle(x -> x.type("plain_text").text(title(t.plain("modal.password.title")))))
                .close(viewClose(c -> c.type("plain_text").text(title(t.plain("modal.close")))))
                .blocks(List.of(
                        section(s -> s.text(markdownText(t.get("modal.password.text", "user", iamUserName, "url", signInUrl)))),
                        section(s -> s.blockId("password").text(plainText(x -> x.text(password).emoji(false)))))));
    }
}
