package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.view.ViewState;
import dev.awsonboard.lifecycle.Intake;
import dev.awsonboard.lifecycle.Intake.Field;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Ids;
import dev.awsonboard.slack.render.Messages;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The onboarding form: field errors inline (checked without a remote call), else the request is
 * stored and the form closes; how the checks went reaches the requester where they typed the
 * command (or by DM).
 */
public final class RequestModalListener {
    private static final Logger log = LoggerFactory.getLogger(RequestModalListener.class);
    private static final Map<Field, String> BLOCKS = Map.of(Field.IAM_USER_NAME, Ids.BLOCK_IAM_USER,
            Field.TARGET_USER, Ids.BLOCK_TARGET, Field.GROUPS, Ids.BLOCK_GROUPS, Field.REASON, Ids.BLOCK_REASON);

    private final Intake intake;
    private final SlackNotifier slack;

    RequestModalListener(Intake intake, SlackNotifier slack) {
        this.intake = intake;
        this.slack = slack;
    }

    public Response handle(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        ViewSubmissionPayload p = req.getPayload();
        String requester = p.getUser().getId();
        // Field errors go into the acknowledgement: no remote call to learn the language.
        Texts t = slack.languages().forUserAtOnce(requester);
        Intake.NewRequest cmd = new Intake.NewRequest(Kind.ONBOARD, requester,
                Interactions.input(p.getView(), Ids.BLOCK_IAM_USER, Ids.ACTION_IAM_USER).map(ViewState.Value::getValue).orElse(""),
                Interactions.input(p.getView(), Ids.BLOCK_TARGET, Ids.ACTION_TARGET).map(ViewState.Value::getSelectedUser).orElse(null),
                Interactions.input(p.getView(), Ids.BLOCK_GROUPS, Ids.ACTION_GROUPS).map(v -> v.getSelectedOptions() == null ? List.<String>of()
                        : v.getSelectedOptions().stream().map(ViewState.SelectedOption::getValue).toList()).orElse(List.of()),
                Interactions.input(p.getView(), Ids.BLOCK_REASON, Ids.ACTION_REASON).map(ViewState.Value::getValue).orElse(""));
        Map<Field, Notice> problems = intake.problems(cmd);
        if (!problems.isEmpty()) {
            Map<String, String> errors = new LinkedHashMap<>();
            problems.forEach((field, notice) -> errors.put(BLOCKS.get(field), SlackText.clip(t.notice(notice), 150)));
            return ctx.ackWithErrors(errors);
        }
        String channel = p.getView().getPrivateMetadata();
        Outcome<Request> outcome = intake.submit(cmd, Optional.of(request -> tell(channel, requester,
                Messages.forRequester(slack.languages().forUser(requester), request))));
        if (!outcome.isDone()) {
            return ctx.ackWithErrors(Map.of(Ids.BLOCK_IAM_USER, SlackText.clip(t.notice(outcome.notice()), 150)));
        }
        // The form closes; the requester hears once the checks are done (waiting for approval, or why not).
        return ctx.ack();
    }

    /**
     * Only the requester sees it: ephemeral where the command was typed, else a DM. Slack refuses the
     * ephemeral (not_in_channel, channel_not_found) in any channel the bot was not invited to, which
     * is most channels. Throws when both fail.
     */
    private void tell(String channel, String user, String text) {
        if (channel != null && !channel.isBlank()) {
            try {
                slack.ephemeral(channel, user, text);
                return;
            } catch (RuntimeException e) {
                log.info("ephemeral reply failed ({}); sending a DM", e.getMessage());
            }
        }
        slack.direct(user, text);
    }
}
