package dev.awsonboard.slack;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.view.ViewState;
import dev.awsonboard.onboarding.MfaActivation;
import dev.awsonboard.onboarding.MfaCodes;
import dev.awsonboard.onboarding.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/** The two MFA codes: "Enter codes" button, its modal, or a DM reply with both codes. */
public final class CodesListener {
    private static final Logger log = LoggerFactory.getLogger(CodesListener.class);
    private final MfaActivation activation;
    private final SlackNotifier slack;
    private final Executor afterAck;

    public CodesListener(MfaActivation activation, SlackNotifier slack, Executor afterAck) {
        this.activation = activation;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    public Response openModal(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String requestId = Interactions.actionValue(p);
        String actor = p.getUser().getId();
        Optional<Request> mine = activation.awaitingCodesFrom(actor).filter(r -> r.id().equals(requestId));
        if (mine.isEmpty()) {
            Interactions.tellOnly(slack, p, actor, ":no_entry_sign: There is no MFA setup of yours waiting for codes here.");
            return ctx.ack();
        }
        try {
            var opened = ctx.client().viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.codes(requestId, mine.get().iamUserName())));
            if (!opened.isOk()) {
                log.warn("views.open for the codes form failed: {}", opened.getError());
                Interactions.tellOnly(slack, p, actor, "I could not open the form; reply here with both codes instead, like `123456 654321`.");
            }
        } catch (Exception e) {
            log.warn("views.open for the codes form failed: {}", e.getClass().getSimpleName());
            Interactions.tellOnly(slack, p, actor, "I could not open the form; reply here with both codes instead, like `123456 654321`.");
        }
        return ctx.ack();
    }

    public Response submitModal(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        var p = req.getPayload();
        String requestId = p.getView().getPrivateMetadata();
        String c1 = Interactions.input(p.getView(), Ids.BLOCK_CODE_1, Ids.ACTION_CODE_1).map(ViewState.Value::getValue).orElse("");
        String c2 = Interactions.input(p.getView(), Ids.BLOCK_CODE_2, Ids.ACTION_CODE_2).map(ViewState.Value::getValue).orElse("");
        Map<String, String> errors = new LinkedHashMap<>();
        MfaCodes.problem(c1).ifPresent(m -> errors.put(Ids.BLOCK_CODE_1, m));
        MfaCodes.problem(c2).ifPresent(m -> errors.put(Ids.BLOCK_CODE_2, m));
        if (!errors.isEmpty()) {
            return ctx.ackWithErrors(errors);
        }
        MfaActivation.Answer answer = activation.submit(requestId == null ? "" : requestId, p.getUser().getId(), MfaCodes.of(c1, c2));
        return switch (answer.result()) {
            case ENABLED -> ctx.ackWithUpdate(Modals.message(Ids.CODES_MODAL, "MFA is on", ":white_check_mark: " + answer.message()));
            case WRONG_CODES -> ctx.ackWithErrors(Map.of(Ids.BLOCK_CODE_1, SlackText.clip(answer.message(), 150)));
            case REFUSED -> ctx.ackWithErrors(Map.of(Ids.BLOCK_CODE_1, SlackText.clip(answer.message(), 150)));
        };
    }

    /** Codes typed as a DM reply. Handled after the ack; the answer goes back into the DM. */
    public Response directMessage(EventsApiPayload<MessageEvent> payload, EventContext ctx) {
        MessageEvent e = payload.getEvent();
        if (e == null || e.getBotId() != null || e.getSubtype() != null || e.getUser() == null
                || !"im".equals(e.getChannelType())) {
            return ctx.ack();
        }
        Optional<MfaCodes> codes = MfaCodes.find(e.getText());
        if (codes.isEmpty()) {
            return ctx.ack();
        }
        String user = e.getUser();
        String channel = e.getChannel();
        afterAck.execute(() -> answerInDm(user, channel, codes.get()));
        return ctx.ack();
    }

    private void answerInDm(String user, String channel, MfaCodes codes) {
        Optional<Request> waiting = activation.awaitingCodesFrom(user);
        String reply;
        if (waiting.isEmpty()) {
            reply = "You have no AWS MFA setup waiting for codes.";
        } else {
            MfaActivation.Answer answer = activation.submit(waiting.get().id(), user, codes);
            reply = switch (answer.result()) {
                case ENABLED -> null; // the completion message already went out
                case WRONG_CODES -> ":warning: " + answer.message();
                case REFUSED -> ":no_entry_sign: " + answer.message();
            };
        }
        if (reply != null) {
            try {
                slack.direct(user, reply);
            } catch (RuntimeException ex) {
                log.warn("could not answer codes in DM {}: {}", channel, ex.getMessage());
            }
        }
    }

}
