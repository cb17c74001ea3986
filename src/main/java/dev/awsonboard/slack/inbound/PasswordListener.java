package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import dev.awsonboard.config.Secret;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.PasswordReveal;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.port.RequestStore;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Ids;
import dev.awsonboard.slack.render.Modals;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * "Show password": after the ack a modal opens (the trigger id lives 3 s), then a fresh
 * password is set in IAM and shown in that modal. It never enters chat history or the
 * database, and the request's words never pass through a logging path with it.
 */
public final class PasswordListener {
    private static final Logger log = LoggerFactory.getLogger(PasswordListener.class);
    private final PasswordReveal reveal;
    private final RequestStore store;
    private final SlackNotifier slack;
    private final Executor afterAck;

    PasswordListener(PasswordReveal reveal, RequestStore store, SlackNotifier slack, Executor afterAck) {
        this.reveal = reveal;
        this.store = store;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public Response show(BlockActionRequest req, ActionContext ctx) {
        return show(req, ctx, false);
    }

    /** The one reveal after MFA is on, from the completion message. */
    public Response showFirst(BlockActionRequest req, ActionContext ctx) {
        return show(req, ctx, true);
    }

    private Response show(BlockActionRequest req, ActionContext ctx, boolean afterCompletion) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String requestId = Interactions.actionValue(p);
        Optional<Notice> refusal = reveal.refusal(requestId, actor, afterCompletion);
        if (refusal.isPresent()) {
            afterAck.execute(() -> Interactions.tellOnly(slack, p, actor,
                    ":no_entry_sign: " + slack.languages().forUser(actor).notice(refusal.get())));
            return ctx.ack();
        }
        MethodsClient client = ctx.client();
        // The trigger id dies 3 s after the click: wait for the person's language only briefly.
        afterAck.execute(() -> open(client, p, slack.languages().forUserWithin(actor, CommandListener.LANGUAGE_WAIT),
                requestId, actor, afterCompletion));
        return ctx.ack();
    }

    private void open(MethodsClient client, BlockActionPayload p, Texts t, String requestId, String actor, boolean afterCompletion) {
        try {
            ViewsOpenResponse opened = client.viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.passwordLoading(t)));
            if (!opened.isOk()) {
                log.warn("views.open for the reveal modal failed: {}", opened.getError());
                Interactions.tellOnly(slack, p, actor, t.get("modal.password.failed"));
                return;
            }
            fill(client, opened.getView().getId(), t, requestId, actor, afterCompletion);
        } catch (Exception e) {
            log.warn("views.open for the reveal modal failed: {}", e.getClass().getSimpleName());
        }
    }

    private void fill(MethodsClient client, String viewId, Texts t, String requestId, String actor, boolean afterCompletion) {
        Outcome<Secret> outcome = reveal.reveal(requestId, actor, afterCompletion);
        Optional<Request> request = store.find(requestId);
        String user = request.map(Request::iamUserName).orElse("");
        String url = request.map(Request::signInUrl).orElse("");
        try {
            if (outcome instanceof Outcome.Done<Secret> done) {
                var updated = client.viewsUpdate(v -> v.viewId(viewId).view(Modals.password(t, user, done.value().reveal(), url)));
                if (updated.isOk()) {
                    reveal.shown(requestId);
                } else {
                    log.warn("views.update with the password failed: {}", updated.getError());
                }
            } else {
                client.viewsUpdate(v -> v.viewId(viewId).view(Modals.message(t, Ids.PASSWORD_MODAL, "modal.password.title",
                        t.notice(outcome.notice()))));
            }
        } catch (Exception e) {
            log.warn("views.update for the reveal modal failed: {}", e.getClass().getSimpleName());
        }
    }
}
