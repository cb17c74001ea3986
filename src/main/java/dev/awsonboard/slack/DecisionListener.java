package dev.awsonboard.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.onboarding.Decisions;
import dev.awsonboard.onboarding.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;

/** Approve and Deny buttons. Refusals go back only to whoever clicked. */
public final class DecisionListener {
    private static final Logger log = LoggerFactory.getLogger(DecisionListener.class);
    private final Decisions decisions;
    private final SlackNotifier slack;

    public DecisionListener(Decisions decisions, SlackNotifier slack) {
        this.decisions = decisions;
        this.slack = slack;
    }

    public Response approve(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::approve);
    }

    public Response deny(BlockActionRequest req, ActionContext ctx) {
        return decide(req, ctx, decisions::deny);
    }

    private Response decide(BlockActionRequest req, ActionContext ctx, BiFunction<String, String, Outcome<?>> decision) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String requestId = Interactions.actionValue(p);
        Outcome<?> outcome = decision.apply(requestId, actor);
        if (!outcome.isDone()) {
            Interactions.tellOnly(slack, p, actor, ":no_entry_sign: " + outcome.message());
        }
        log.info("decision on {} by {}: {}", requestId, actor, outcome.isDone() ? "done" : "refused");
        return ctx.ack();
    }
}
