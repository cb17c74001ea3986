package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/** Small helpers shared by the button listeners. */
final class Interactions {
    private static final Logger log = LoggerFactory.getLogger(Interactions.class);

    private Interactions() {
    }

    static String actionValue(BlockActionPayload p) {
        return p.getActions() == null || p.getActions().isEmpty() || p.getActions().get(0).getValue() == null
                ? "" : p.getActions().get(0).getValue();
    }

    /**
     * An ephemeral note to the person who clicked, where they clicked; a DM when that fails.
     * Remote calls: run it after the acknowledgement.
     */
    static void tellOnly(SlackNotifier slack, BlockActionPayload p, String user, String text) {
        try {
            if (p.getChannel() != null && p.getChannel().getId() != null) {
                slack.ephemeral(p.getChannel().getId(), user, text);
                return;
            }
        } catch (RuntimeException e) {
            log.info("ephemeral reply failed ({}); sending a DM", e.getMessage());
        }
        try {
            slack.direct(user, text);
        } catch (RuntimeException e) {
            log.warn("could not tell {} about a refusal: {}", user, e.getMessage());
        }
    }

    /** The input a modal submitted for one block and action, if any. */
    static Optional<ViewState.Value> input(View view, String block, String action) {
        if (view.getState() == null || view.getState().getValues() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(view.getState().getValues().get(block)).map(b -> b.get(action));
    }
}
