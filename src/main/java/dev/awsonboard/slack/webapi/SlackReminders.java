package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.lifecycle.model.MessageRef;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.port.ReminderSender;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * {@link ReminderSender} over the Slack Web API. An approval reminder is a reply in the thread of
 * the approval message, not a new message, naming the approvers so Slack notifies them: in the
 * approval channel once, or in each named approver's DM when approvals go by DM.
 */
public final class SlackReminders implements ReminderSender {
    private final MethodsClient slack;
    private final SlackCalls calls;
    private final Languages languages;

    public SlackReminders(MethodsClient slack, Languages languages, LongConsumer pause, BiConsumer<String, String> onError) {
        this.slack = slack;
        this.calls = new SlackCalls(pause, onError);
        this.languages = languages;
    }

    @Override
    public void remindApprovers(Request r, List<String> approvers, Duration waiting) {
        Texts t = languages.forChannel();
        String mentions = approvers.stream().map(SlackText::mention).collect(Collectors.joining(" "));
        String text = t.get("reminder.approval", "approvers", new Texts.Raw(mentions), "waiting", rounded(waiting));
        List<MessageRef> targets = r.approvalMessages();
        if (targets.stream().anyMatch(ref -> ref.channel().startsWith("D"))) {
            // Approvals went by DM: each named approver's own message, found through their DM's id.
            List<String> dms = approvers.stream().map(this::openDm).toList();
            targets = targets.stream().filter(ref -> dms.contains(ref.channel())).toList();
        }
        NotifierException failed = null;
        for (MessageRef ref : targets) {
            try {
                calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(ref.channel()).threadTs(ref.ts())
                        .text(text)));
            } catch (NotifierException e) {
                failed = e; // the other approvers still get theirs
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void remindPerson(Request r, Duration left) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = Optional.ofNullable(r.setupMessage()).map(MessageRef::channel)
                .or(() -> Optional.ofNullable(r.dmChannel())).orElseGet(() -> openDm(r.targetUserId()));
        String text = t.get("reminder.setup." + r.kind().name(), "user", r.iamUserName(), "left", rounded(left),
                "requester", r.requesterUserId());
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(text)));
    }

    @Override
    public void remindGrantEnding(Request r, Duration left) {
        Texts t = languages.forUser(r.targetUserId());
        String dm = openDm(r.targetUserId());
        java.util.Map<String, Object> args = new java.util.LinkedHashMap<>(Map.of("id", r.id(), "user", r.iamUserName(),
                "group", r.groups().isEmpty() ? "" : r.groups().get(0), "left", rounded(left),
                "until", r.grant().endsAt().toString()));
        String text = t.get("reminder.grant", args);
        calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(dm).text(text)));
    }

    /** Whole hours from an hour on, whole minutes below: "3 hours", not "3 hours 59 minutes" in minutes. */
    static Duration rounded(Duration d) {
        return d.compareTo(Duration.ofHours(1)) >= 0 ? d.truncatedTo(ChronoUnit.HOURS)
                : Duration.ofMinutes(Math.max(1, d.toMinutes()));
    }

    private String openDm(String userId) {
        return calls.call("conversations.open", () -> slack.conversationsOpen(c -> c.users(List.of(userId)))).getChannel().getId();
    }
}
