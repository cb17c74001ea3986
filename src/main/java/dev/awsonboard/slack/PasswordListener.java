package dev.awsonboard.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import dev.awsonboard.config.Secret;
import dev.awsonboard.onboarding.Request;
import dev.awsonboard.onboarding.Outcome;
import dev.awsonboard.onboarding.PasswordReveal;
import dev.awsonboard.onboarding.RequestStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * "Show password": a modal opens at once (the trigger id lives 3 s), then a fresh password
 * is set in IAM and shown in that modal. It never enters chat history or the database.
 */
public final class PasswordListener {
    private static final Logger log = LoggerFactory.getLogger(PasswordListener.class);
    private final PasswordReveal reveal;
    private final RequestStore store;
    private final SlackNotifier slack;
    private final Executor afterAck;

    public PasswordListener(PasswordReveal reveal, RequestStore store, SlackNotifier slack, Executor afterAck) {
        this.reveal = reveal;
        this.store = store;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public Response show(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String requestId = Interactions.actionValue(p);
        Optional<String> refusal = reveal.refusal(requestId, actor);
        if (refusal.isPresent()) {
            Interactions.tellOnly(slack, p, actor, ":no_entry_sign: " + refusal.get());
            return ctx.ack();
        }
        MethodsClient client = ctx.client();
        try {
            ViewsOpenResponse opened = client.viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.passwordLoading()));
            if (!opened.isOk()) {
                log.warn("views.open for the reveal modal failed: {}", opened.getError());
                Interactions.tellOnly(slack, p, actor, "I could not open a private window for your password. Click Show password again.");
                return ctx.ack();
            }
            String viewId = opened.getView().getId();
            afterAck.execute(() -> fill(client, viewId, requestId, actor));
        } catch (Exception e) {
            log.warn("views.open for the reveal modal failed: {}", e.getClass().getSimpleName());
        }
        return ctx.ack();
    }

    private void fill(MethodsClient client, String viewId, String requestId, String actor) {
        Outcome<Secret> outcome = reveal.reveal(requestId, actor);
        Optional<Request> request = store.find(requestId);
        String user = request.map(Request::iamUserName).orElse("");
        String url = request.map(Request::signInUrl).orElse("");
        try {
            if (outcome instanceof Outcome.Done<Secret> done) {
                client.viewsUpdate(v -> v.viewId(viewId).view(Modals.password(user, done.value().reveal(), url)));
            } else {
                client.viewsUpdate(v -> v.viewId(viewId).view(Modals.message(Ids.PASSWORD_MODAL, "Your password", outcome.message())));
            }
        } catch (Exception e) {
            log.warn("views.update for the reveal modal failed: {}", e.getClass().getSimpleName());
        }
    }
}
