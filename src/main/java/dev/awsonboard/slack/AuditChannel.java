package dev.awsonboard.slack;

import com.slack.api.methods.MethodsClient;
import dev.awsonboard.onboarding.AuditEntry;
import dev.awsonboard.onboarding.Request;
import dev.awsonboard.onboarding.RequestStore;
import dev.awsonboard.onboarding.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A {@link RequestStore} that also posts each audit entry to an audit channel, so the trail
 * the manual CLI procedure gave lives where the team reads it. Entries are already
 * redacted; posting happens after the entry is stored and never blocks the flow.
 */
public final class AuditChannel implements RequestStore {
    private static final Logger log = LoggerFactory.getLogger(AuditChannel.class);
    private final RequestStore store;
    private final MethodsClient slack;
    private final String channel;
    private final Executor poster;

    public AuditChannel(RequestStore store, MethodsClient slack, String channel, Executor poster) {
        this.store = store;
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
    public void audit(AuditEntry entry) {
        store.audit(entry);
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

    @Override
    public void insert(Request request) {
        store.insert(request);
    }

    @Override
    public Optional<Request> find(String id) {
        return store.find(id);
    }

    @Override
    public Optional<Request> replace(Request expected, Request next) {
        return store.replace(expected, next);
    }

    @Override
    public List<Request> findByStatus(Set<Status> statuses) {
        return store.findByStatus(statuses);
    }

    @Override
    public java.util.Map<Status, Long> countByStatus() {
        return store.countByStatus();
    }

    @Override
    public List<Request> findUpdatedSince(Instant since) {
        return store.findUpdatedSince(since);
    }

    @Override
    public List<Request> findByIamUserName(String name) {
        return store.findByIamUserName(name);
    }

    @Override
    public List<Request> findOpenByIamUserName(String name) {
        return store.findOpenByIamUserName(name);
    }

    @Override
    public List<Request> findByTarget(String slackUserId) {
        return store.findByTarget(slackUserId);
    }

    @Override
    public List<Request> findOpenConcerning(String slackUserId) {
        return store.findOpenConcerning(slackUserId);
    }

    @Override
    public boolean claim(String requestId, String owner, Instant now, Instant until) {
        return store.claim(requestId, owner, now, until);
    }

    @Override
    public void release(String requestId, String owner) {
        store.release(requestId, owner);
    }

    @Override
    public List<AuditEntry> auditTrail(String requestId) {
        return store.auditTrail(requestId);
    }
}
