package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.lifecycle.Decisions;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * Approve, Deny and Cancel buttons. The decision is a compare-and-set in the store, made before
 * the ack; refusals go back only to whoever clicked, after it.
 */
public final class DecisionListener {
    private static final Logger log = LoggerFactory.getLogger(DecisionListener.class);
    private final Decisions decisions;
    private final SlackNotifier slack;
    private final Executor afterAck;

    DecisionListener(Decisions decisions, SlackNotifier slack, Executor afterAck) {
        this.decisions = decisions;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public Response approve(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::approve, false);
    }

    public Response deny(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::deny, false);
    }

    public Response cancel(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::cancel, true);
    }

    /** End now, on a grant's message or in App Home. */
    public Response endGrant(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::revoke, true);
    }

    private Response decide(BlockActionRequest req, ActionContext ctx, BiFunction<String, String, Outcome<?>> decision,
                            boolean confirm) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String requestId = Interactions.actionValue(p);
        Outcome<?> outcome = decision.apply(requestId, actor);
        // A decision taken is logged once, by Decisions; here only the refusals, which it does not log.
        if (!outcome.isDone()) {
            log.info("decision on {} by {} refused: {}", requestId, actor, outcome.notice().reason());
        }
        // An approval that leaves the request waiting for another approver is confirmed to the one who clicked.
        boolean partly = outcome.isDone() && outcome.notice().reason() == Reason.APPROVAL_RECORDED;
        if (!outcome.isDone() || confirm || partly) {
            afterAck.execute(() -> {
                Texts t = slack.languages().forUser(actor);
                String text = (outcome.isDone() ? ":white_check_mark: " : ":no_entry_sign: ") + t.notice(outcome.notice());
                Interactions.tellOnly(slack, p, actor, text);
            });
        }
        return ctx.ack();
    }
}
