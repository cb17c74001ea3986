package dev.awsonboard.slack.render;

import com.slack.api.model.block.LayoutBlock;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.model.CredentialReport;
import dev.awsonboard.lifecycle.model.MfaCoverage;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

/**
 * Pure builders of the account's IAM users as approvers see them: the answer to
 * {@code /aws-onboard users} and the section of their App Home. Rows come from IAM's credential
 * report, links from the bot's records; a suggested link and a linked console user without MFA
 * carry a button each. Lists are cut to Block Kit's limits, saying how many more there are.
 */
public final class AccountViews {
    /** Users listed in the command's answer; their lines share a few sections. */
    static final int ROWS_LISTED = 100;
    /** Lines per section: each line stays well under 3,000 characters / 20. */
    static final int ROWS_PER_SECTION = 20;
    /** Suggested links and MFA setups offered with a button in the command's answer, one block each. */
    static final int BUTTONS_LISTED = 10;
    /** The same in App Home, whose 100 blocks the rest of the Home shares. */
    static final int HOME_BUTTONS = 5;

    private AccountViews() {
    }

    /** The fallback text of the command's answer. */
    public static String usersText(Texts t, AccountUsers.Roster r) {
        return t.plain("users.fallback", "n", r.rows().size(), "path", r.path(), "without", r.coverage().withoutMfa());
    }

    /** The answer to {@code /aws-onboard users}: at most 50 blocks, whatever the account. */
    public static List<LayoutBlock> users(Texts t, AccountUsers.Roster r) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.blockId("users").text(markdownText(SlackText.clip(t.get("users.header", "path", r.path(),
                "n", r.rows().size()), 3000)))));
        blocks.add(section(s -> s.blockId("coverage").text(markdownText(coverage(t, r.coverage())))));
        // Console users without MFA first: they are what the list is most often read for.
        List<AccountUsers.Row> ordered = r.rows().stream()
                .sorted(Comparator.comparing((AccountUsers.Row row) -> !row.user().consoleWithoutMfa())).toList();
        List<AccountUsers.Row> listed = ordered.stream().limit(ROWS_LISTED).toList();
        for (int from = 0; from < listed.size(); from += ROWS_PER_SECTION) {
            List<String> lines = listed.subList(from, Math.min(listed.size(), from + ROWS_PER_SECTION)).stream()
                    .map(row -> "• " + row(t, row, r.readAt())).toList();
            blocks.add(section(s -> s.text(markdownText(SlackText.clip(String.join("\n", lines), 3000)))));
        }
        more(t, blocks, r.rows().size() - listed.size());
        blocks.addAll(actions(t, r, BUTTONS_LISTED));
        blocks.add(context(c -> c.elements(List.of(markdownText(t.get("users.report", "when",
                new Texts.Raw(Home.when(r.generated()))))))));
        return blocks;
    }

    /** The approver's App Home section: MFA coverage, then a few MFA setups and suggested links to act on. */
    static List<LayoutBlock> home(Texts t, Optional<AccountUsers.Roster> roster) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(SlackText.clip(t.plain("home.users"), 150)))));
        if (roster.isEmpty()) {
            blocks.add(context(c -> c.blockId("users").elements(List.of(markdownText(t.get("home.users.notRead"))))));
            return blocks;
        }
        AccountUsers.Roster r = roster.get();
        blocks.add(section(s -> s.blockId("coverage").text(markdownText(t.get("home.users.count", "n", r.rows().size(),
                "path", r.path()) + "\n" + coverage(t, r.coverage())))));
        blocks.addAll(actions(t, r, HOME_BUTTONS));
        blocks.add(context(c -> c.elements(List.of(markdownText(t.get("home.users.report", "when",
                new Texts.Raw(Home.when(r.generated()))))))));
        return blocks;
    }

    /** The fallback text of the weekly MFA coverage. */
    public static String summaryText(Texts t, MfaCoverage c) {
        return t.plain("summary.fallback", "n", c.withoutMfa());
    }

    /** The weekly MFA coverage for the approvers: the counts and where to act on them. */
    public static List<LayoutBlock> summary(Texts t, MfaCoverage c) {
        return List.of(
                header(h -> h.text(plainText(SlackText.clip(t.plain("summary.header"), 150)))),
                section(s -> s.blockId("coverage").text(markdownText(t.get("home.users.count", "n", c.users(),
                        "path", c.path()) + "\n" + coverage(t, new AccountUsers.Coverage(c.withoutMfa(), c.linked(), c.unlinked()))))),
                context(x -> x.elements(List.of(markdownText(t.get("summary.footer", "when",
                        new Texts.Raw(Home.when(c.reportGenerated()))))))));
    }

    private static String coverage(Texts t, AccountUsers.Coverage c) {
        return c.withoutMfa() == 0 ? t.get("users.coverage.none")
                : t.get("users.coverage", "n", c.withoutMfa(), "linked", c.linked(), "unlinked", c.unlinked());
    }

    /** Linked console users without MFA (Ask to set up MFA), then suggested links (Ask to link), {@code max} of each. */
    private static List<LayoutBlock> actions(Texts t, AccountUsers.Roster r, int max) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<AccountUsers.Row> noMfa = r.linkedWithoutMfa();
        if (!noMfa.isEmpty()) {
            blocks.add(section(s -> s.blockId("enrol").text(markdownText(t.get("users.enrol.intro")))));
            for (AccountUsers.Row row : noMfa.stream().limit(max).toList()) {
                String user = row.user().name();
                String person = row.link().orElseThrow().slackUserId();
                blocks.add(section(s -> s.blockId("enrol_" + user).text(markdownText(SlackText.clip(t.get("users.enrol.item",
                        "user", user, "person", person, "facts", new Texts.Raw(facts(t, row.user(), r.readAt()))), 3000)))
                        .accessory(button(b -> b.actionId(Ids.USERS_ENROL_MFA).value(user).text(plainText(t.plain("users.enrol")))
                                .confirm(confirmationDialog(c -> c.title(plainText(t.plain("users.enrol.confirm.title")))
                                        .text(markdownText(t.get("users.enrol.confirm.text", "user", user, "person", person)))
                                        .confirm(plainText(t.plain("users.enrol"))).deny(plainText(t.plain("approval.confirm.no")))))))));
            }
            more(t, blocks, noMfa.size() - max);
        }
        List<AccountUsers.Row> suggested = r.suggested();
        if (!suggested.isEmpty()) {
            blocks.add(section(s -> s.blockId("suggestions").text(markdownText(t.get("users.suggestions")))));
            for (AccountUsers.Row row : suggested.stream().limit(max).toList()) {
                AccountUsers.Suggestion sg = row.suggestion().orElseThrow();
                blocks.add(section(s -> s.blockId("suggest_" + sg.iamUserName()).text(markdownText(SlackText.clip(
                        t.get("users.suggestion", "user", sg.iamUserName(), "person", sg.slackUserId(), "email", sg.email(),
                                "source", new Texts.Raw(t.get("users.suggestion.source." + sg.source().name()))), 3000)))
                        .accessory(button(b -> b.actionId(Ids.USERS_LINK).value(sg.iamUserName() + "|" + sg.slackUserId())
                                .text(plainText(t.plain("users.link")))
                                .confirm(confirmationDialog(c -> c.title(plainText(t.plain("users.link.confirm.title")))
                                        .text(markdownText(t.get("users.link.confirm.text", "user", sg.iamUserName(),
                                                "person", sg.slackUserId())))
                                        .confirm(plainText(t.plain("users.link"))).deny(plainText(t.plain("approval.confirm.no")))))))));
            }
            more(t, blocks, suggested.size() - max);
        }
        return blocks;
    }

    /** One user's line: name, whose it is, and its credentials. */
    private static String row(Texts t, AccountUsers.Row row, Instant now) {
        String owner = row.link().map(l -> t.get("users.owner", "person", l.slackUserId())).orElse(t.get("users.owner.none"));
        return t.get("users.row", "user", row.user().name(), "owner", new Texts.Raw(owner),
                "facts", new Texts.Raw(facts(t, row.user(), now)));
    }

    /** MFA, console password and last sign-in, access keys and their ages. */
    static String facts(Texts t, CredentialReport.User u, Instant now) {
        List<String> facts = new ArrayList<>();
        facts.add(u.mfaActive() ? t.get("users.mfa.on") : t.get(u.passwordEnabled() ? "users.mfa.offConsole" : "users.mfa.off"));
        if (u.passwordEnabled()) {
            facts.add(t.get("status.console.on"));
            facts.add(u.passwordLastUsed().map(w -> t.get("users.signedIn", "when", new Texts.Raw(Home.when(w))))
                    .orElse(t.get("status.neverSignedIn")));
        } else {
            facts.add(t.get("status.console.off"));
        }
        if (!u.accessKeys().isEmpty()) {
            long oldest = u.accessKeys().stream().map(CredentialReport.AccessKey::lastRotated).filter(java.util.Objects::nonNull)
                    .mapToLong(at -> Math.max(0, Duration.between(at, now).toDays())).max().orElse(0);
            Optional<Instant> used = u.accessKeys().stream().map(CredentialReport.AccessKey::lastUsed).flatMap(Optional::stream)
                    .max(Comparator.naturalOrder());
            facts.add(used.map(w -> t.get("users.keys", "n", u.accessKeys().size(), "days", oldest,
                            "when", new Texts.Raw(Home.when(w))))
                    .orElse(t.get("users.keys.neverUsed", "n", u.accessKeys().size(), "days", oldest)));
        }
        return String.join(t.get("list.separator"), facts);
    }

    private static void more(Texts t, List<LayoutBlock> blocks, int hidden) {
        if (hidden > 0) {
            blocks.add(context(c -> c.elements(List.of(markdownText(t.get("home.more", "n", hidden))))));
        }
    }
}
