package dev.awsonboard.slack;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.awsonboard.onboarding.Outcome;
import dev.awsonboard.onboarding.RequestAccess;
import dev.awsonboard.onboarding.RequestAccess.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The request form: field errors inline, or the request goes to the approvers. */
public final class RequestModalListener {
    private static final Logger log = LoggerFactory.getLogger(RequestModalListener.class);
    private static final Map<Field, String> BLOCKS = Map.of(Field.IAM_USER_NAME, Ids.BLOCK_IAM_USER,
            Field.TARGET_USER, Ids.BLOCK_TARGET, Field.GROUPS, Ids.BLOCK_GROUPS, Field.REASON, Ids.BLOCK_REASON);

    private final RequestAccess requests;
    private final SlackNotifier slack;

    public RequestModalListener(RequestAccess requests, SlackNotifier slack) {
        this.requests = requests;
        this.slack = slack;
    }

    public Response handle(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        ViewSubmissionPayload p = req.getPayload();
        String requester = p.getUser().getId();
        RequestAccess.NewRequest cmd = new RequestAccess.NewRequest(requester,
                Interactions.input(p.getView(), Ids.BLOCK_IAM_USER, Ids.ACTION_IAM_USER).map(ViewState.Value::getValue).orElse(""),
                Interactions.input(p.getView(), Ids.BLOCK_TARGET, Ids.ACTION_TARGET).map(ViewState.Value::getSelectedUser).orElse(null),
                Interactions.input(p.getView(), Ids.BLOCK_GROUPS, Ids.ACTION_GROUPS).map(v -> v.getSelectedOptions() == null ? List.<String>of()
                        : v.getSelectedOptions().stream().map(ViewState.SelectedOption::getValue).toList()).orElse(List.of()),
                Interactions.input(p.getView(), Ids.BLOCK_REASON, Ids.ACTION_REASON).map(ViewState.Value::getValue).orElse(""));
        Map<Field, String> problems = requests.problems(cmd);
        if (!problems.isEmpty()) {
            Map<String, String> errors = new LinkedHashMap<>();
            problems.forEach((field, message) -> errors.put(BLOCKS.get(field), message));
            return ctx.ackWithErrors(errors);
        }
        Outcome<?> outcome = requests.submit(cmd);
        if (!outcome.isDone()) {
            return ctx.ackWithErrors(Map.of(Ids.BLOCK_IAM_USER, SlackText.clip(outcome.message(), 150)));
        }
        tell(p.getView().getPrivateMetadata(), requester, ":hourglass_flowing_sand: " + outcome.message());
        return ctx.ack();
    }

    /**
     * Ephemeral where the command was typed, else a DM: Slack refuses the ephemeral (not_in_channel,
     * channel_not_found) in any channel the bot was not invited to, which is most channels.
     */
    private void tell(String channel, String user, String text) {
        if (channel != null && !channel.isBlank()) {
            try {
                slack.ephemeral(channel, user, text);
                return;
            } catch (RuntimeException e) {
                log.info("ephemeral confirmation failed ({}); sending a DM", e.getMessage());
            }
        }
        try {
            slack.direct(user, text);
        } catch (RuntimeException e) {
            log.warn("could not confirm the request to its requester: {}", e.getMessage());
        }
    }

}
