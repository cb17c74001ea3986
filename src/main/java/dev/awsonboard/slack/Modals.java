package dev.awsonboard.slack;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.view.View;

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

    /**
     * The form for a request with whatever the command already said filled in.
     *
     * @param channelId where the command was typed; the confirmation goes there
     */
    public static View request(Optional<String> iamUserName, Optional<String> targetUserId, List<String> groups,
                               String reason, List<String> offeredGroups, String channelId) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(input(i -> i.blockId(Ids.BLOCK_IAM_USER).label(plainText("IAM user name"))
                .hint(plainText("Letters, digits and + = , . @ _ - ; at most 64."))
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_IAM_USER).maxLength(64)
                        .initialValue(iamUserName.map(n -> SlackText.clip(n, 64)).orElse(null))))));
        blocks.add(input(i -> i.blockId(Ids.BLOCK_TARGET).label(plainText("Person to onboard"))
                .element(usersSelect(u -> u.actionId(Ids.ACTION_TARGET).initialUser(targetUserId.orElse(null))))));
        if (!offeredGroups.isEmpty()) {
            // An option shows at most 75 characters and IAM group names run to 128: the label is clipped, the value stays whole.
            List<OptionObject> options = offeredGroups.stream().limit(100)
                    .map(g -> option(plainText(SlackText.clip(g, 75)), g)).toList();
            List<OptionObject> initial = options.stream().filter(o -> groups.contains(o.getValue())).toList();
            blocks.add(input(i -> i.blockId(Ids.BLOCK_GROUPS).label(plainText("IAM groups")).optional(true)
                    .element(multiStaticSelect(m -> m.actionId(Ids.ACTION_GROUPS).options(options)
                            .initialOptions(initial.isEmpty() ? null : initial)))));
        }
        blocks.add(input(i -> i.blockId(Ids.BLOCK_REASON).label(plainText("Reason")).optional(true)
                .element(plainTextInput(p -> p.actionId(Ids.ACTION_REASON).multiline(true).maxLength(500)
                        .initialValue(reason == null || reason.isBlank() ? null : SlackText.clip(reason, 500))))));
        return view(v -> v.type("modal").callbackId(Ids.REQUEST_MODAL).privateMetadata(channelId)
                .title(viewTitle(t -> t.type("plain_text").text("AWS access request")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Ask approvers")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    public static View codes(String requestId, String iamUserName) {
        return view(v -> v.type("modal").callbackId(Ids.CODES_MODAL).privateMetadata(requestId)
                .title(viewTitle(t -> t.type("plain_text").text("Turn on MFA")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Enable MFA")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(List.of(
                        section(s -> s.text(markdownText("Enter two *consecutive* codes for `" + SlackText.escape(iamUserName)
                                + "` from your authenticator app: the one showing now, then wait for it to change and enter the next one."))),
                        input(i -> i.blockId(Ids.BLOCK_CODE_1).label(plainText("First code"))
                                .element(plainTextInput(p -> p.actionId(Ids.ACTION_CODE_1).maxLength(7)
                                        .placeholder(plainText("123456"))))),
                        input(i -> i.blockId(Ids.BLOCK_CODE_2).label(plainText("Next code"))
                                .element(plainTextInput(p -> p.actionId(Ids.ACTION_CODE_2).maxLength(7)
                                        .placeholder(plainText("654321"))))))));
    }

    public static View message(String callbackId, String title, String text) {
        return view(v -> v.type("modal").callbackId(callbackId)
                .title(viewTitle(t -> t.type("plain_text").text(SlackText.clip(title, 24))))
                .close(viewClose(c -> c.type("plain_text").text("Close")))
                .blocks(List.of(section(s -> s.text(markdownText(text))))));
    }

    public static View passwordLoading() {
        return message(Ids.PASSWORD_MODAL, "Your password", "Setting a fresh one-time password…");
    }

    /** The password in plain_text, so no mrkdwn character in it can change how it shows. */
    public static View password(String iamUserName, String password, String signInUrl) {
        return view(v -> v.type("modal").callbackId(Ids.PASSWORD_MODAL)
                .title(viewTitle(t -> t.type("plain_text").text("Your password")))
                .close(viewClose(c -> c.type("plain_text").text("Close")))
                .blocks(List.of(
                        section(s -> s.text(markdownText("One-time password for `" + SlackText.escape(iamUserName)
                                + "`. Sign in at " + signInUrl + "; AWS asks you to choose a new one right away. "
                                + "It is not kept anywhere: clicking *Show password* again sets a new one."))),
                        section(s -> s.blockId("password").text(plainText(t -> t.text(password).emoji(false)))))));
    }
}
