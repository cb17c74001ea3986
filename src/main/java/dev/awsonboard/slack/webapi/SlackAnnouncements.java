package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.lifecycle.model.MfaCoverage;
import dev.awsonboard.lifecycle.port.Announcements;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.AccountViews;

import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * {@link Announcements} over the Web API: into the approval channel in its language, or, without one,
 * to each approver by DM in theirs (as approval requests go).
 */
public final class SlackAnnouncements implements Announcements {
    private final MethodsClient slack;
    private final Optional<String> approvalChannel;
    private final Set<String> approvers;
    private final SlackNotifier notifier;
    private final SlackCalls calls;

    /** @param notifier its DMs and its readers' languages are used */
    public SlackAnnouncements(MethodsClient slack, Optional<String> approvalChannel, Set<String> approvers, SlackNotifier notifier,
                              LongConsumer pause, BiConsumer<String, String> onError) {
        this.slack = slack;
        this.approvalChannel = approvalChannel;
        this.approvers = Set.copyOf(approvers);
        this.notifier = notifier;
        this.calls = new SlackCalls(pause, onError);
    }

    @Override
    public void mfaCoverage(MfaCoverage coverage) {
        if (approvalChannel.isPresent()) {
            Texts t = notifier.languages().forChannel();
            calls.call("chat.postMessage", () -> slack.chatPostMessage(m -> m.channel(approvalChannel.get())
                    .text(AccountViews.summaryText(t, coverage)).blocks(AccountViews.summary(t, coverage))));
            return;
        }
        for (String approver : approvers.stream().sorted().toList()) {
            Texts t = notifier.languages().forUser(approver);
            notifier.direct(approver, AccountViews.summaryText(t, coverage), AccountViews.summary(t, coverage));
        }
    }
}
