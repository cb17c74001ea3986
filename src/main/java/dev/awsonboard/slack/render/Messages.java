package dev.awsonboard.slack.render;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.BlockElement;
import dev.awsonboard.lifecycle.model.ApprovalNeed;
import dev.awsonboard.lifecycle.model.ApprovalRule;
import dev.awsonboard.lifecycle.model.Holding;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.model.Status;
import dev.awsonboard.lifecycle.StatusQuery;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

/**
 * Pure builders of the bot's messages: same request and language in, same blocks out. The
 * words come from {@link Texts}; nothing here builds a sentence.
 */
public final class Messages {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Messages() {
    }

    /** The arguments every request text may use. */
    static Map<String, Object> args(Texts t, Request r) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", r.id());
        a.put("kind", r.kind().name());
        a.put("status", r.status().name());
        a.put("user", r.iamUserName());
        a.put("requester", r.requesterUserId());
        a.put("approver", approver(t, r));
        a.put("person", r.targetUserId());
        a.put("url", r.signInUrl() == null ? "" : r.signInUrl());
        a.put("why", new Texts.Raw(why(t, r)));
        // A grant's group, how long it was asked for and when it ends (once it started).
        a.put("group", r.groups().isEmpty() ? "" : r.groups().get(0));
        a.put("length", r.grant() == null ? "" : r.grant().length().toString());
        a.put("until", r.grant() == null || r.grant().endsAt() == null ? "" : r.grant().endsAt().toString());
        return a;
    }

    /** Why a request ended, with the leftovers note; empty if it has no reason recorded. */
    public static String why(Texts t, Request r) {
        // Some reasons are whole sentences, some clauses; the texts around {why} end the sentence.
        String why = withoutFinalStop(r.ending() == null ? t.get("line.ended") : t.notice(r.ending()));
        return r.leftovers() ? t.get("line.leftovers", "why", new Texts.Raw(why)) : why;
    }

    private static String withoutFinalStop(String text) {
        return text.endsWith(".") || text.endsWith("。") ? text.substring(0, text.length() - 1) : text;
    }

    /** {@code key.KIND} if the language has it, else {@code key}. */
    private static String byKind(Texts t, String key, Request r, Map<String, Object> args) {
        return t.first(List.of(key + "." + r.kind().name(), key), args);
    }

    /**
     * Who decided: the one who denied; else every approver so far, in order ("@a, @b" under a two-person rule).
     */
    private static Object approver(Texts t, Request r) {
        if (r.status() == Status.DENIED || r.approvals().isEmpty()) {
            return r.approverUserId();
        }
        return r.approvals().size() == 1 ? r.approvals().get(0).approver() : new Texts.Raw(mentions(t, r.approvers()));
    }

    /** Slack users and user groups as mentions, in the reader's list style. */
    static String mentions(Texts t, List<String> ids) {
        return String.join(t.get("list.separator"), ids.stream()
                .map(id -> ApprovalRule.isUserGroup(id) ? "<!subteam^" + id + ">" : SlackText.mention(id)).toList());
    }

    /**
     * How far each approval rule of the request got ("admins: 1 of 2 approvals: @a") and whom it asks; empty for a
     * request under the default rule alone, which looks as it always did.
     */
    static List<String> needs(Texts t, Request r) {
        List<ApprovalNeed> needs = r.needs();
        if (needs.isEmpty() || needs.size() == 1 && needs.get(0).rule().equals(ApprovalRule.DEFAULT) && needs.get(0).approvals() == 1) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (ApprovalNeed n : needs) {
            int done = Math.min(n.approvedBy().size(), n.approvals());
            lines.add(done == 0 ? t.get("approval.need.none", "rule", n.rule(), "needed", n.approvals())
                    : t.get("approval.need", "rule", n.rule(), "done", done, "needed", n.approvals(),
                    "by", new Texts.Raw(mentions(t, n.approvedBy()))));
            if (r.status() == Status.REQUESTED && !n.met() && !n.approvers().isEmpty()) {
                lines.add(t.get("approval.need.asked", "approvers", new Texts.Raw(mentions(t, n.approvers()))));
            }
        }
        return lines;
    }

    private static String person(Texts t, Request r) {
        return r.targetUserId() == null ? t.get("approval.forUnknown") : SlackText.mention(r.targetUserId());
    }

    public static String help(Texts t) {
        return t.get("help.text");
    }

    public static String approvalText(Texts t, Request r) {
        return t.plain("approval.fallback", "title", t.plain("kind.title." + r.kind().name()),
                "person", r.targetUserId() == null ? "-" : SlackText.mention(r.targetUserId()),
                "user", r.iamUserName(), "status", SlackText.stripMrkdwnEmoji(statusLine(t, r)));
    }

    public static List<LayoutBlock> approval(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        a.put("person", new Texts.Raw(person(t, r)));
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(t.plain("kind.title." + r.kind().name())))));
        List<com.slack.api.model.block.composition.TextObject> fields = new ArrayList<>(List.of(
                markdownText(t.get("approval.requestedBy", a)),
                markdownText(t.get("approval.for", a)),
                markdownText(t.get("approval.iamUser", a))));
        if (r.kind() == Kind.ONBOARD) {
            // A field holds at most 2,000 characters; group names run to 128 each.
            fields.add(markdownText(t.get("approval.groups", "groups", r.groups().isEmpty()
                    ? new Texts.Raw(t.get("approval.groupsNone")) : SlackText.clip(String.join(", ", r.groups()), 1900))));
        }
        blocks.add(section(s -> s.fields(fields)));
        blocks.add(section(s -> s.blockId("what").text(markdownText(SlackText.clip(will(t, r), 2900)))));
        if (!r.reason().isBlank()) {
            blocks.add(section(s -> s.text(markdownText(t.get("approval.reason", "reason", SlackText.clip(r.reason(), 2800))))));
        }
        if (!r.removed().isEmpty() && r.kind() == Kind.OFFBOARD) {
            blocks.add(section(s -> s.blockId("removed").text(markdownText(SlackText.clip(
                    t.get("approval.removed", "holdings", r.removed()), 2900)))));
        }
        blocks.add(section(s -> s.blockId("status").text(markdownText(SlackText.clip(statusLine(t, r), 2900)))));
        List<String> needs = needs(t, r);
        if (!needs.isEmpty()) {
            blocks.add(section(s -> s.blockId("approvals").text(markdownText(SlackText.clip(String.join("\n", needs), 2900)))));
        }
        if (r.status() == Status.REQUESTED) {
            List<BlockElement> buttons = List.of(
                    button(b -> b.actionId(Ids.APPROVE).value(r.id()).style("primary").text(plainText(t.plain("approval.approve")))
                            .confirm(confirmationDialog(c -> c.title(plainText(t.plain("approval.confirm.title." + r.kind().name())))
                                    .text(markdownText(t.get("approval.confirm.text." + r.kind().name(), a)))
                                    .confirm(plainText(t.plain("approval.approve"))).deny(plainText(t.plain("approval.confirm.no")))))),
                    button(b -> b.actionId(Ids.DENY).value(r.id()).style("danger").text(plainText(t.plain("approval.deny")))));
            blocks.add(actions(x -> x.blockId("decision").elements(buttons)));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText(t.get("approval.context", "id", r.id()))))));
        return blocks;
    }

    /** What approving will do, from what IAM said the user holds when the request was checked. */
    static String will(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        a.put("person", new Texts.Raw(person(t, r)));
        if (r.kind() == Kind.RESET_MFA) {
            List<Holding> virtual = r.plan().stream().filter(h -> h.type() == Holding.Type.VIRTUAL_MFA_DEVICE).toList();
            List<Holding> kept = r.plan().stream().filter(h -> h.type() == Holding.Type.OTHER_MFA_DEVICE).toList();
            a.put("holdings", virtual);
            String text = t.get("approval.will.RESET_MFA", a);
            return kept.isEmpty() ? text : text + "\n" + t.get("approval.will.RESET_MFA.keeps", "holdings", kept);
        }
        if (r.kind() == Kind.GRANT) {
            List<String> held = r.plan().stream().filter(h -> h.type() == Holding.Type.GROUP).map(Holding::id).toList();
            a.put("groups", new Texts.Raw(held.isEmpty() ? t.get("approval.groupsNone")
                    : SlackText.clip(String.join(t.get("list.separator"), held.stream().map(g -> "`" + SlackText.escape(g) + "`").toList()), 1500)));
        }
        a.put("holdings", r.plan());
        String will = t.get("approval.will." + r.kind().name(), a);
        if (r.kind() == Kind.LINK && r.linkedTo() != null) {
            a.put("previous", r.linkedTo());
            will += "\n" + t.get("approval.will.LINK.relink", a);
        }
        return will;
    }

    /** One line that says where the request stands and who moved it there. */
    public static String statusLine(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        if (r.status() == Status.REQUESTED && !r.approvals().isEmpty()) {
            return t.get("line.REQUESTED.approving", a);
        }
        String base = "line." + r.status().name();
        return byKind(t, base, r, a);
    }

    /** What the requester hears about their request. */
    public static String forRequester(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        a.put("who", new Texts.Raw(t.get("requester.who", "person", new Texts.Raw(person(t, r)), "user", r.iamUserName())));
        if (r.status().isTerminal() && r.status() != Status.DONE && r.status() != Status.DENIED) {
            boolean nothingLeft = r.status() == Status.FAILED && !r.leftovers() && r.kind() == Kind.ONBOARD;
            return t.get(nothingLeft ? "requester.ENDED.nothingLeft" : "requester.ENDED", a);
        }
        return byKind(t, "requester." + r.status().name(), r, a);
    }

    /** The requester's message, with a Cancel button while nobody has decided. */
    public static List<LayoutBlock> forRequesterBlocks(Texts t, Request r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(SlackText.clip(forRequester(t, r), 2900)))));
        // An offboarding's requester learns what went, as the approvers do (also when it stopped half way).
        if (!r.removed().isEmpty() && r.kind() == Kind.OFFBOARD) {
            blocks.add(section(s -> s.blockId("removed").text(markdownText(SlackText.clip(
                    t.get("approval.removed", "holdings", r.removed()), 2900)))));
        }
        if (r.status() == Status.SUBMITTED || r.status() == Status.REQUESTED) {
            blocks.add(actions(x -> x.blockId("requester").elements(List.of(
                    button(b -> b.actionId(Ids.CANCEL).value(r.id()).text(plainText(t.plain("requester.cancel"))))))));
        }
        if (r.status() == Status.GRANTED) {
            blocks.add(actions(x -> x.blockId("grant").elements(List.of(endGrantButton(t, r)))));
        }
        return blocks;
    }

    /** End now, on a running grant, with a confirmation: the person leaves the group at once. */
    static BlockElement endGrantButton(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        return button(b -> b.actionId(Ids.END_GRANT).value(r.id()).style("danger").text(plainText(t.plain("requester.endGrant")))
                .confirm(confirmationDialog(c -> c.title(plainText(t.plain("person.endGrant.confirm.title")))
                        .text(markdownText(t.get("person.endGrant.confirm.text", a)))
                        .confirm(plainText(t.plain("requester.endGrant"))).deny(plainText(t.plain("approval.confirm.no"))))));
    }

    /** What the person a grant is for reads when it starts and when it ends. */
    public static String forPerson(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        String key = "person." + r.status().name();
        return t.has(key) ? t.get(key, a) : forRequester(t, r);
    }

    /** The person's message, with End now while the grant runs. */
    public static List<LayoutBlock> forPersonBlocks(Texts t, Request r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(SlackText.clip(forPerson(t, r), 2900)))));
        if (r.status() == Status.GRANTED) {
            blocks.add(actions(x -> x.blockId("grant").elements(List.of(endGrantButton(t, r)))));
        }
        return blocks;
    }

    public static String setupText(Texts t, Request r) {
        return t.plain("setup.fallback." + r.kind().name(), "user", r.iamUserName());
    }

    /**
     * The DM that goes with the QR image: where to sign in, as whom, what to do next, and the
     * buttons (Show password only for a new user).
     *
     * @param noGroups the user joins no group, so a note says it can do little yet
     */
    public static List<LayoutBlock> setup(Texts t, Request r, String signInUrl, boolean noGroups) {
        Map<String, Object> a = args(t, r);
        a.put("url", signInUrl);
        List<LayoutBlock> blocks = new ArrayList<>(setupBody(t, r, a));
        if (noGroups && r.kind() == Kind.ONBOARD) {
            blocks.add(context(c -> c.elements(List.of(markdownText(t.get("setup.noPermissions", a))))));
        }
        List<BlockElement> buttons = new ArrayList<>();
        buttons.add(button(b -> b.actionId(Ids.ENTER_CODES).value(r.id()).style("primary").text(plainText(t.plain("setup.enterCodes")))));
        if (r.kind() == Kind.ONBOARD) {
            buttons.add(button(b -> b.actionId(Ids.SHOW_PASSWORD).value(r.id()).text(plainText(t.plain("setup.showPassword")))));
        }
        blocks.add(actions(x -> x.blockId("setup").elements(buttons)));
        return blocks;
    }

    private static List<LayoutBlock> setupBody(Texts t, Request r, Map<String, Object> a) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(t.plain("setup.header." + r.kind().name())))));
        String details = t.get("setup.details", a) + (r.kind() == Kind.ONBOARD ? "\n" + t.get("setup.password") : "");
        blocks.add(section(s -> s.text(markdownText(details))));
        blocks.add(section(s -> s.text(markdownText(t.get("setup.steps." + r.kind().name(), a)))));
        return blocks;
    }

    /** The setup or invite message once its request is over: the same facts, no buttons. */
    public static List<LayoutBlock> closedSetup(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        List<LayoutBlock> blocks = new ArrayList<>();
        if (r.kind().deliversMfa()) {
            blocks.add(header(h -> h.text(plainText(t.plain("setup.header." + r.kind().name())))));
            blocks.add(section(s -> s.text(markdownText(t.get("setup.details", a)))));
        } else {
            blocks.add(section(s -> s.text(markdownText(t.get("password.invite", a)))));
        }
        blocks.add(context(c -> c.elements(List.of(markdownText(t.get("setup.closed"))))));
        return blocks;
    }

    /** The person is done; a new user who never took their password gets one chance to. */
    public static List<LayoutBlock> setupDone(Texts t, Request r, boolean offerFirstPassword) {
        Map<String, Object> a = args(t, r);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(t.get("setup.done." + r.kind().name(), a)))));
        if (offerFirstPassword) {
            blocks.add(section(s -> s.text(markdownText(t.get("setup.done.firstPassword")))));
            blocks.add(actions(x -> x.blockId("first_password").elements(List.of(
                    button(b -> b.actionId(Ids.FIRST_PASSWORD).value(r.id()).style("primary")
                            .text(plainText(t.plain("setup.showPassword"))))))));
        }
        return blocks;
    }

    public static String setupDoneText(Texts t, Request r) {
        return SlackText.stripMrkdwnEmoji(t.get("setup.done." + r.kind().name(), args(t, r)));
    }

    /** The person's setup ended without success: why, and what to do. */
    public static String setupEnded(Texts t, Request r) {
        Map<String, Object> a = args(t, r);
        String key = "setup.ended." + r.status().name();
        return t.first(List.of(key + "." + r.kind().name(), key, "setup.ended.CANCELLED"), a);
    }

    public static String passwordInviteText(Texts t, Request r) {
        return t.plain("password.invite.fallback", "user", r.iamUserName());
    }

    public static List<LayoutBlock> passwordInvite(Texts t, Request r) {
        return List.of(
                section(s -> s.text(markdownText(t.get("password.invite", args(t, r))))),
                actions(x -> x.blockId("password").elements(List.of(
                        button(b -> b.actionId(Ids.SHOW_PASSWORD).value(r.id()).style("primary")
                                .text(plainText(t.plain("setup.showPassword"))))))));
    }

    /** What IAM says of one user: groups, MFA, console password, last sign-in (status and App Home). */
    static String facts(Texts t, StatusQuery.UserFacts u) {
        List<String> facts = new ArrayList<>();
        facts.add(u.groups().isEmpty() ? t.get("status.groupsNone") : t.get("status.groups", "groups", String.join(", ", u.groups())));
        facts.add(u.mfaDevices().isEmpty() ? t.get("status.mfa.off") : t.get("status.mfa.on", "types", new Texts.Raw(
                String.join(t.get("list.separator"), u.mfaDevices().stream()
                        .map(d -> t.get("status.mfa.type." + d.type().name())).toList()))));
        facts.add(u.consolePassword() ? t.get("status.console.on") : t.get("status.console.off"));
        facts.add(u.passwordLastUsed().map(w -> t.get("status.signedIn", "when", WHEN.format(w))).orElse(t.get("status.neverSignedIn")));
        return String.join(t.get("list.separator"), facts);
    }

    /** The answer to {@code /aws-onboard status}. */
    public static String status(Texts t, StatusQuery.Report report, String askedIamUser) {
        List<String> lines = new ArrayList<>();
        lines.add("*" + (askedIamUser != null ? t.get("status.headerUser", "user", askedIamUser)
                : t.get("status.header", "person", new Texts.Raw(SlackText.mention(report.person())))) + "*");
        if (report.users().isEmpty() && report.open().isEmpty()) {
            lines.add(t.get("status.none", "person", new Texts.Raw(report.person() == null ? "-" : SlackText.mention(report.person()))));
        }
        for (StatusQuery.UserFacts u : report.users()) {
            if (!u.exists()) {
                lines.add("• " + t.get("status.gone", "user", u.iamUserName()));
                continue;
            }
            lines.add("• " + t.get("status.user", "user", u.iamUserName(), "facts", new Texts.Raw(facts(t, u))));
        }
        for (Request r : report.open()) {
            lines.add("• " + (r.status() == Status.GRANTED ? t.get("status.grant", args(t, r))
                    : t.get("status.open", "kind", r.kind(), "id", r.id(), "status", r.status())));
        }
        return SlackText.clip(String.join("\n", lines), 3000);
    }
}
