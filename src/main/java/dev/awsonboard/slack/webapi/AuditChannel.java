package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.lifecycle.model.AuditEntry;
import dev.awsonboard.lifecycle.port.ForwardingRequestStore;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.slack.language.SlackText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * A {@link RequestStore} that also posts each audit entry to an audit channel, so the trail
 * the manual CLI procedure gave lives where the team reads it. Entries are already
 * redacted; posting happens after the entry is stored and never blocks the flow.
 */
public final class AuditChannel extends ForwardingRequestStore {
    private static final Logger log = LoggerFactory.getLogger(AuditChannel.class);
    private final MethodsClient slack;
    private final String channel;
    private final Executor poster;

    public AuditChannel(RequestStore store, MethodsClient slack, String channel, Executor poster) {
        super(store);
        this.slack = slack;
        this.channel = channel;
        this.poster = poster;
    }

    static String line(AuditEntry e) {
        String actor = e.actor().equals("bot") ? "bot" : SlackText.mention(e.actor());
        return "`" + e.requestId() + "` " + actor + " *" + SlackText.escape(e.action()) + "* "
                + SlackText.escape(SlackText.clip(e.detail() == null ? "" : e.detail(), 500)) + " → " + SlackText.escape(e.outcome());
    }

    @Override
    protected void audited(AuditEntry entry) {
        poster.execute(() -> {
            try {
                var r = slack.chatPostMessage(m -> m.channel(channel).text(line(entry)));
                if (!r.isOk()) {
                    log.warn("audit channel post failed: {}", r.getError());
                }
            } catch (Exception e) {
                log.warn("audit channel post failed: {}", e.getClass().getSimpleName());
            }
        });
    }
}
