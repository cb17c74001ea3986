package dev.awsonboard.slack.render;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.view.View;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.Overview;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.StatusQuery;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;
import static com.slack.api.model.block.element.BlockElements.staticSelect;

/**
 * The pure builder of a person's App Home tab: same overview and language in, same view out. Its
 * buttons are the ones messages carry (same action ids and values), so a click here is handled
 * exactly like a click there. Lists are cut to fit Block Kit's 100 blocks per view, saying how many
 * more there are.
 */
public final class Home {
    /** Open requests shown with their buttons; two blocks each. */
    static final int OPEN_SHOWN = 8;
    /** IAM users offered a reset; two blocks each. */
    static final int OFFERS_SHOWN = 3;
    /** Requests in an approver's queue shown with Approve and Deny; two blocks each. */
    static final int QUEUE_SHOWN = 15;
    /** Slack's limit of blocks in a view (docs.slack.dev/reference/views/home-tab-views). */
    static final int MAX_BLOCKS = 100;
    /** Language choices' values, which the select's listener reads back; "slack" forgets the choice and follows the Slack locale. */
    public static final String ENGLISH = "en";
    public static final String JAPANESE = "ja";
    public static final String SLACK_SETTING = "slack";
    private static final DateTimeFormatter FALLBACK_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Home() {
    }

    /**
     * @param chosen the language the person picked themselves, if any (shown as the select's choice)
     */
    public static View view(Texts t, Overview.Personal p, Optional<Locale> chosen) {
        return view(t, p, chosen, null);
    }

    /**
     * An approver's Home with the account's IAM users after the approvals ({@link AccountViews#home}):
     * {@code users} as known now (empty before the first read); null leaves the section out.
     */
    public static View view(Texts t, Overview.Personal p, Optional<Locale> chosen, Optional<AccountUsers.Roster> users) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(SlackText.clip(t.plain("home.title"), 150)))));
        blocks.add(section(s -> s.blockId("identity").text(markdownText(SlackText.clip(identity(t, p.identity()), 3000)))));
        blocks.add(divider());
        blocks.addAll(open(t, p.open(), p.openCount()));
        if (!p.offers().isEmpty()) {
            blocks.add(divider());
            blocks.addAll(offers(t, p.offers()));
        }
        blocks.add(divider());
        blocks.add(language(t, chosen));
        p.approvals().ifPresent(a -> {
            blocks.add(divider());
            blocks.addAll(approvals(t, a));
            if (users != null) {
                blocks.add(divider());
                blocks.addAll(AccountViews.home(t, users));
            }
        });
        return com.slack.api.model.view.Views.view(v -> v.type("home").callbackId("aws_onboard_home").blocks(blocks));
    }

    private static String identity(Texts t, Overview.Identity identity) {
        List<String> lines = new ArrayList<>();
        lines.add(t.get("home.identity"));
        if (identity.problem().isPresent()) {
            lines.add(t.get("home.identity.failed", "code", identity.problem().get().arg("code")));
        } else if (identity.users().isEmpty() && identity.notLookedUp().isEmpty()) {
            lines.add(t.get("home.identity.none"));
        }
        for (StatusQuery.UserFacts u : identity.users()) {
            lines.add("• " + (u.exists()
                    ? t.get("home.identity.user", "user", u.iamUserName(), "account", Request.accountIdOf(u.arn()),
                    "facts", new Texts.Raw(Messages.facts(t, u)))
                    : t.get("home.identity.gone", "user", u.iamUserName())));
        }
        for (String name : identity.notLookedUp()) {
            lines.add("• " + t.get("home.identity.notLookedUp", "user", name));
        }
        return String.join("\n", lines);
    }

    private static List<LayoutBlock> open(Texts t, List<Overview.Open> open, long count) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.blockId("open").text(markdownText(t.get("home.open")))));
        if (open.isEmpty()) {
            blocks.add(context(c -> c.elements(List.of(markdownText(t.get("home.open.none"))))));
        }
        List<Overview.Open> shown = open.stream().limit(OPEN_SHOWN).toList();
        for (Overview.Open o : shown) {
            Request r = o.request();
            String item = r.status() == dev.awsonboard.lifecycle.model.Status.GRANTED ? grantItem(t, r) : t.get("home.open.item",
                    "title", t.plain("kind.title." + r.kind().name()), "id", r.id(), "user", r.iamUserName(),
                    "person", r.targetUserId(), "status", r.status(), "requester", r.requesterUserId(),
                    "when", new Texts.Raw(when(r.createdAt())));
            blocks.add(section(s -> s.blockId("open_" + r.id()).text(markdownText(SlackText.clip(item, 3000)))));
            List<BlockElement> buttons = o.steps().stream().map(step -> stepButton(t, step, r)).toList();
            if (!buttons.isEmpty()) {
                blocks.add(actions(x -> x.blockId("open_" + r.id() + "_steps").elements(buttons)));
            }
        }
        more(t, blocks, (int) Math.min(Integer.MAX_VALUE, count - shown.size()));
        return blocks;
    }

    private static BlockElement stepButton(Texts t, Overview.Step step, Request r) {
        return switch (step) {
            case ENTER_CODES -> button(b -> b.actionId(Ids.ENTER_CODES).value(r.id()).style("primary")
                    .text(plainText(t.plain("setup.enterCodes"))));
            case SHOW_PASSWORD -> button(b -> b.actionId(Ids.SHOW_PASSWORD).value(r.id())
                    .text(plainText(t.plain("setup.showPassword"))));
            case CANCEL -> button(b -> b.actionId(Ids.CANCEL).value(r.id()).text(plainText(t.plain("requester.cancel"))));
            case END_GRANT -> Messages.endGrantButton(t, r);
        };
    }

    /** A running grant: whose IAM user is in which group until when ("admins until 18:00"). */
    private static String grantItem(Texts t, Request r) {
        Map<String, Object> a = Messages.args(t, r);
        a.put("title", t.plain("kind.title." + r.kind().name()));
        return t.get("home.grant.item", a);
    }

    private static List<LayoutBlock> offers(Texts t, List<Overview.Offer> offers) {
        List<LayoutBlock> blocks = new ArrayList<>();
        int n = 0;
        for (Overview.Offer o : offers.stream().limit(OFFERS_SHOWN).toList()) {
            int index = ++n;
            blocks.add(section(s -> s.blockId("offer_" + index).text(markdownText(
                    (index == 1 ? t.get("home.offers") + "\n" : "") + t.get("home.offer.text", "user", o.iamUserName())))));
            List<BlockElement> buttons = o.kinds().stream().map(k -> (BlockElement) button(b -> b
                    .actionId(k == Kind.RESET_MFA ? Ids.HOME_RESET_MFA : Ids.HOME_RESET_PASSWORD)
                    .value(o.iamUserName()).text(plainText(t.plain("home.offer." + k.name()))))).toList();
            blocks.add(actions(x -> x.blockId("offer_" + index + "_kinds").elements(buttons)));
        }
        more(t, blocks, offers.size() - OFFERS_SHOWN);
        return blocks;
    }

    private static LayoutBlock language(Texts t, Optional<Locale> chosen) {
        // Each language is named in itself, as language menus do; only "Slack's setting" is translated.
        OptionObject english = option(plainText("English"), ENGLISH);
        OptionObject japanese = option(plainText("日本語"), JAPANESE);
        OptionObject slack = option(plainText(t.plain("home.language.slack")), SLACK_SETTING);
        OptionObject current = chosen.map(l -> JAPANESE.equals(l.getLanguage()) ? japanese
                : ENGLISH.equals(l.getLanguage()) ? english : slack).orElse(slack);
        return section(s -> s.blockId("language").text(markdownText(t.get("home.language")))
                .accessory(staticSelect(x -> x.actionId(Ids.HOME_LANGUAGE).options(List.of(english, japanese, slack))
                        .initialOption(current))));
    }

    private static List<LayoutBlock> approvals(Texts t, Overview.Approvals a) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(SlackText.clip(t.plain("home.approvals"), 150)))));
        Overview.Counts c = a.counts();
        blocks.add(context(x -> x.blockId("counts").elements(List.of(markdownText(t.get("home.approvals.counts",
                "waiting", c.waitingForApproval(), "mfa", c.awaitingMfa(), "done", c.doneRecently(),
                "failed", c.failedRecently()))))));
        blocks.add(section(s -> s.blockId("queue").text(markdownText(t.get("home.queue")))));
        if (a.waiting().isEmpty()) {
            blocks.add(context(x -> x.elements(List.of(markdownText(t.get("home.queue.none"))))));
        }
        List<Overview.Waiting> shown = a.waiting().stream().limit(QUEUE_SHOWN).toList();
        for (Overview.Waiting w : shown) {
            Request r = w.request();
            blocks.add(section(s -> s.blockId("queue_" + r.id()).text(markdownText(SlackText.clip(queueItem(t, w), 3000)))));
            blocks.add(actions(x -> x.blockId("queue_" + r.id() + "_decision").elements(decisionButtons(t, w))));
        }
        // The count, not the list: Overview lists only the oldest few of a long queue.
        more(t, blocks, (int) Math.min(Integer.MAX_VALUE, c.waitingForApproval() - shown.size()));
        List<String> lines = new ArrayList<>();
        lines.add(t.get("home.decisions"));
        if (a.recentDecisions().isEmpty()) {
            lines.add(t.get("home.decisions.none"));
        }
        for (Request r : a.recentDecisions()) {
            lines.add("• " + t.get("home.decisions.item", "kind", r.kind(), "user", r.iamUserName(),
                    "line", new Texts.Raw(Messages.statusLine(t, r))));
        }
        blocks.add(section(s -> s.blockId("decisions").text(markdownText(SlackText.clip(String.join("\n", lines), 3000)))));
        blocks.add(section(s -> s.blockId("grants").text(markdownText(SlackText.clip(grants(t, a), 3000)))));
        return blocks;
    }

    /** The grants running now, soonest end first, one line each. */
    private static String grants(Texts t, Overview.Approvals a) {
        List<String> lines = new ArrayList<>();
        lines.add(t.get("home.grants"));
        if (a.grants().isEmpty()) {
            lines.add(t.get("home.grants.none"));
        }
        for (Request r : a.grants()) {
            lines.add("• " + t.get("home.grants.item", Messages.args(t, r)));
        }
        if (a.grantCount() > a.grants().size()) {
            lines.add(t.get("home.more", "n", a.grantCount() - a.grants().size()));
        }
        return String.join("\n", lines);
    }

    private static String queueItem(Texts t, Overview.Waiting w) {
        Request r = w.request();
        List<String> lines = new ArrayList<>();
        lines.add(t.get("home.queue.item", "title", t.plain("kind.title." + r.kind().name()), "user", r.iamUserName(),
                "person", new Texts.Raw(r.targetUserId() == null ? t.get("approval.forUnknown") : SlackText.mention(r.targetUserId())),
                "requester", r.requesterUserId(), "when", new Texts.Raw(when(r.createdAt()))));
        if (r.kind() == Kind.ONBOARD && !r.groups().isEmpty()) {
            lines.add(t.get("home.queue.groups", "groups", String.join(", ", r.groups())));
        }
        if (!r.reason().isBlank()) {
            lines.add(t.get("home.queue.reason", "reason", SlackText.clip(r.reason(), 500)));
        }
        lines.addAll(Messages.needs(t, r));
        if (!w.mayApprove()) {
            lines.add(t.get(w.why() == null || w.why() == Overview.NotYours.OWN ? "home.queue.notYours"
                    : "home.queue.notYours." + w.why().name()));
        }
        return String.join("\n", lines);
    }

    /**
     * Approve (with the same confirmation as the approval message) and Deny: the channel's own buttons. Approve
     * only where this approver may approve; the click would be refused anyway.
     */
    private static List<BlockElement> decisionButtons(Texts t, Overview.Waiting w) {
        Request r = w.request();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("user", r.iamUserName());
        a.put("person", new Texts.Raw(r.targetUserId() == null ? t.get("approval.forUnknown") : SlackText.mention(r.targetUserId())));
        List<BlockElement> buttons = new ArrayList<>();
        if (w.mayApprove()) {
            buttons.add(button(b -> b.actionId(Ids.APPROVE).value(r.id()).style("primary").text(plainText(t.plain("approval.approve")))
                    .confirm(confirmationDialog(c -> c.title(plainText(t.plain("approval.confirm.title." + r.kind().name())))
                            .text(markdownText(t.get("approval.confirm.text." + r.kind().name(), a)))
                            .confirm(plainText(t.plain("approval.approve"))).deny(plainText(t.plain("approval.confirm.no")))))));
        }
        buttons.add(button(b -> b.actionId(Ids.DENY).value(r.id()).style("danger").text(plainText(t.plain("approval.deny")))));
        return buttons;
    }

    /** A time each reader sees in their own time zone (Slack's date formatting), with a UTC fallback. */
    static String when(Instant at) {
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time}|" + FALLBACK_TIME.format(at) + ">";
    }

    private static void more(Texts t, List<LayoutBlock> blocks, int hidden) {
        if (hidden > 0) {
            blocks.add(context(c -> c.elements(List.of(markdownText(t.get("home.more", "n", hidden))))));
        }
    }
}
