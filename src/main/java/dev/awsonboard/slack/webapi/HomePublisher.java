package dev.awsonboard.slack.webapi;

import com.slack.api.methods.MethodsClient;
import com.slack.api.model.view.View;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.port.NotifierException;
import dev.awsonboard.lifecycle.Overview;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.render.Home;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Draws people's App Home ({@code views.publish}): at once when they open it or change something
 * on it, and shortly after a request of theirs changes, one publish per person per burst of changes.
 * The approvers' Home shows every request waiting for them and the counts, so any change redraws it.
 * Runs on its own scheduler thread; a 429 waits out Retry-After there ({@link SlackCalls}).
 *
 * <p>IAM is asked about a person's users only when they open their Home or act on it, and again
 * after a request about them changed once they have opened it here; other redraws reuse what IAM
 * said last, or name their users from the bot's records. So a burst of requests never becomes a
 * burst of IAM reads, which share the account's API limits with provisioning.
 */
public final class HomePublisher {
    private static final Logger log = LoggerFactory.getLogger(HomePublisher.class);
    /** How long a burst of changes is gathered before one publish per person. */
    public static final Duration DEBOUNCE = Duration.ofMillis(1500);

    private final MethodsClient slack;
    private final SlackCalls calls;
    private final Overview overview;
    private final Languages languages;
    private final java.util.function.Supplier<Set<String>> approvers;
    private final String botUserId;
    private final Debounce<String> debounce;
    /** What IAM said of each person's users when they last opened their Home here. */
    private final Map<String, Overview.Identity> identities = new ConcurrentHashMap<>();
    /** People whose next publish asks IAM: they opened their Home, or a request about them changed. */
    private final Set<String> askIam = ConcurrentHashMap.newKeySet();
    private final AccountUsers accounts;
    private final Executor background;

    /**
     * @param botUserId the bot's own user id, which has no Home to draw; may be null
     * @param scheduler where publishes run, after their delay
     */
    public HomePublisher(MethodsClient slack, Overview overview, Languages languages, Set<String> approvers, String botUserId,
                         Debounce.Scheduler scheduler, Duration debounce, LongConsumer pause, BiConsumer<String, String> onError) {
        this(slack, overview, languages, () -> approvers, botUserId, scheduler, debounce, pause, onError, null, Runnable::run);
    }

    /**
     * @param approvers  everyone whose Home shows approvals, as known now (approval rules' user groups change)
     * @param accounts   the account's IAM users, drawn in the approvers' Home; null draws none
     * @param background where the approvers' Home has IAM's credential report read again, off the Home thread
     */
    public HomePublisher(MethodsClient slack, Overview overview, Languages languages, java.util.function.Supplier<Set<String>> approvers,
                         String botUserId, Debounce.Scheduler scheduler, Duration debounce, LongConsumer pause,
                         BiConsumer<String, String> onError, AccountUsers accounts, Executor background) {
        this.accounts = accounts;
        this.background = background;
        this.slack = slack;
        this.calls = new SlackCalls(pause, onError);
        this.overview = overview;
        this.languages = languages;
        this.approvers = approvers;
        this.botUserId = botUserId;
        this.debounce = new Debounce<>(scheduler, debounce, this::publishQuietly);
    }

    /** A request was stored: its requester, its person and the approvers get a fresh Home soon. */
    public void changed(Request r) {
        if (r.targetUserId() != null && identities.containsKey(r.targetUserId())) {
            askIam.add(r.targetUserId()); // their IAM user may have changed with it
        }
        Set<String> people = new LinkedHashSet<>();
        if (r.requesterUserId() != null) {
            people.add(r.requesterUserId());
        }
        if (r.targetUserId() != null) {
            people.add(r.targetUserId());
        }
        people.addAll(approvers.get());
        people.stream().filter(p -> !p.equals(botUserId)).forEach(debounce::touch);
    }

    /** The person opened their Home or changed something on it: draw it now. */
    public void now(String userId) {
        if (!userId.equals(botUserId)) {
            askIam.add(userId);
            debounce.now(userId);
        }
    }

    /** Builds and publishes one person's Home; the caller's thread does the IAM and Slack calls. */
    public void publish(String userId) {
        Overview.Identity identity;
        boolean approver = accounts != null && approvers.get().contains(userId);
        if (askIam.remove(userId)) {
            identity = overview.identity(userId);
            identities.put(userId, identity);
            if (approver) {
                refreshAccountUsers(userId);
            }
        } else {
            Overview.Identity known = identities.get(userId);
            identity = known != null ? known : overview.recorded(userId);
        }
        Overview.Personal p = overview.of(userId, identity);
        View view = approver ? Home.view(languages.forUser(userId), p, languages.chosen(userId), accounts.known())
                : Home.view(languages.forUser(userId), p, languages.chosen(userId));
        calls.call("views.publish", () -> slack.viewsPublish(v -> v.userId(userId).view(view)));
    }

    /**
     * An approver opened their Home: IAM's credential report is read again if it is four hours old, on a
     * background thread (it may take a while); the Home is drawn again once it is in.
     */
    private void refreshAccountUsers(String approver) {
        try {
            background.execute(() -> {
                try {
                    if (accounts.refreshIfStale()) {
                        debounce.touch(approver);
                    }
                } catch (RuntimeException e) {
                    log.warn("the account's IAM users were not read for the App Home: {}", e.getClass().getSimpleName());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the next open reads it.
        }
    }

    private void publishQuietly(String userId) {
        try {
            publish(userId);
        } catch (NotifierException e) {
            // not_enabled (no Home tab in the app's settings), a deactivated person: nothing to draw on.
            log.info("App Home of {} not published: {}", userId, e.code());
        } catch (RuntimeException e) {
            log.warn("App Home of {} not published: {}", userId, e.getClass().getSimpleName());
        }
    }
}
