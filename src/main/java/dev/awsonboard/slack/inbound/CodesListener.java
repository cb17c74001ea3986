package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.awsonboard.lifecycle.MfaActivation;
import dev.awsonboard.lifecycle.model.MfaCodes;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.Ids;
import dev.awsonboard.slack.render.Modals;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two MFA codes: "Enter codes" button, its modal, or a DM reply with both codes. The modal
 * needs its answer in the response (inline errors), so it waits for IAM a bounded time; past
 * that it shows "checking…" and finishes the modal with views.update.
 */
public final class CodesListener {
    private static final Logger log = LoggerFactory.getLogger(CodesListener.class);
    private final MfaActivation activation;
    private final SlackNotifier slack;
    private final Executor afterAck;
    private final Duration inlineWait;

    /** @param inlineWait how long a submission may wait for IAM before Slack gets a "checking…" view */
    CodesListener(MfaActivation activation, SlackNotifier slack, Executor afterAck, Duration inlineWait) {
        this.activation = activation;
        this.slack = slack;
        this.afterAck = afterAck;
        this.inlineWait = inlineWait;
    }

    public Response openModal(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String requestId = Interactions.actionValue(p);
        String actor = p.getUser().getId();
        Optional<Notice> refusal = activation.refusal(requestId, actor);
        if (refusal.isPresent()) {
            afterAck.execute(() -> Interactions.tellOnly(slack, p, actor,
                    ":no_entry_sign: " + slack.languages().forUser(actor).notice(refusal.get())));
            return ctx.ack();
        }
        String iamUser = activation.awaitingCodesFrom(actor).filter(r -> r.id().equals(requestId)).map(Request::iamUserName).orElse("");
        MethodsClient client = ctx.client();
        afterAck.execute(() -> {
            // The trigger id dies 3 s after the click: wait for the person's language only briefly.
            Texts t = slack.languages().forUserWithin(actor, CommandListener.LANGUAGE_WAIT);
            try {
                var opened = client.viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.codes(t, requestId, iamUser)));
                if (!opened.isOk()) {
                    log.warn("views.open for the codes form failed: {}", opened.getError());
                    Interactions.tellOnly(slack, p, actor, t.get("modal.codes.failed"));
                }
            } catch (Exception e) {
                log.warn("views.open for the codes form failed: {}", e.getClass().getSimpleName());
                Interactions.tellOnly(slack, p, actor, t.get("modal.codes.failed"));
            }
        });
        return ctx.ack();
    }

    public Response submitModal(ViewSubmissionRequest req, ViewSubmissionContext ctx) {
        ViewSubmissionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        // The answer goes into the acknowledgement: no remote call to learn the language.
        Texts t = slack.languages().forUserAtOnce(actor);
        String requestId = p.getView().getPrivateMetadata();
        String c1 = Interactions.input(p.getView(), Ids.BLOCK_CODE_1, Ids.ACTION_CODE_1).map(ViewState.Value::getValue).orElse("");
        String c2 = Interactions.input(p.getView(), Ids.BLOCK_CODE_2, Ids.ACTION_CODE_2).map(ViewState.Value::getValue).orElse("");
        Map<String, String> errors = new LinkedHashMap<>();
        MfaCodes.problem(c1).ifPresent(n -> errors.put(Ids.BLOCK_CODE_1, t.notice(n)));
        MfaCodes.problem(c2).ifPresent(n -> errors.put(Ids.BLOCK_CODE_2, t.notice(n)));
        if (!errors.isEmpty()) {
            return ctx.ackWithErrors(errors);
        }
        String id = requestId == null ? "" : requestId;
        CompletableFuture<MfaActivation.Answer> answer = CompletableFuture.supplyAsync(
                () -> activation.submit(id, actor, MfaCodes.of(c1, c2)), afterAck::execute);
        try {
            return inline(ctx, t, answer.get(inlineWait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            // IAM is slow: Slack must hear back now, so the modal says it is checking and is
            // finished by views.update once IAM answers.
            String viewId = p.getView().getId();
            MethodsClient client = ctx.client();
            answer.thenAccept(a -> finishLater(client, viewId, t, id, a));
            return ctx.ackWithUpdate(Modals.message(t, Ids.CODES_MODAL, "modal.codes.title", t.get("modal.codes.checking")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ctx.ackWithErrors(Map.of(Ids.BLOCK_CODE_1, t.notice(Notice.of(dev.awsonboard.lifecycle.model.Reason.MFA_UNAVAILABLE, "code", "interrupted"))));
        } catch (ExecutionException e) {
            log.warn("codes submission failed: {}", e.getCause().getClass().getSimpleName());
            return ctx.ackWithErrors(Map.of(Ids.BLOCK_CODE_1, t.notice(Notice.of(dev.awsonboard.lifecycle.model.Reason.MFA_UNAVAILABLE, "code", "error"))));
        }
    }

    private Response inline(ViewSubmissionContext ctx, Texts t, MfaActivation.Answer answer) {
        return switch (answer.result()) {
            case ENABLED -> ctx.ackWithUpdate(Modals.message(t, Ids.CODES_MODAL, "modal.codes.done",
                    ":white_check_mark: " + t.notice(answer.notice())));
            case WRONG_CODES, REFUSED -> ctx.ackWithErrors(Map.of(Ids.BLOCK_CODE_1, SlackText.clip(t.notice(answer.notice()), 150)));
        };
    }

    /** After a "checking…" answer: the result, or the form again with what went wrong. */
    private void finishLater(MethodsClient client, String viewId, Texts t, String requestId, MfaActivation.Answer answer) {
        View view = switch (answer.result()) {
            case ENABLED -> Modals.message(t, Ids.CODES_MODAL, "modal.codes.done", ":white_check_mark: " + t.notice(answer.notice()));
            case WRONG_CODES -> Modals.codes(t, requestId, answer.request() == null ? "" : answer.request().iamUserName(),
                    ":warning: " + t.notice(answer.notice()));
            case REFUSED -> Modals.message(t, Ids.CODES_MODAL, "modal.codes.problem", ":no_entry_sign: " + t.notice(answer.notice()));
        };
        try {
            var updated = client.viewsUpdate(v -> v.viewId(viewId).view(view));
            if (!updated.isOk()) {
                log.warn("views.update after checking codes failed: {}", updated.getError());
            }
        } catch (Exception e) {
            log.warn("views.update after checking codes failed: {}", e.getClass().getSimpleName());
        }
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
        Texts t = slack.languages().forUser(user);
        Optional<Request> waiting = activation.awaitingCodesFrom(user);
        String reply;
        if (waiting.isEmpty()) {
            reply = t.notice(Notice.of(dev.awsonboard.lifecycle.model.Reason.NO_SETUP_WAITING));
        } else {
            MfaActivation.Answer answer = activation.submit(waiting.get().id(), user, codes);
            reply = switch (answer.result()) {
                case ENABLED -> null; // the completion message already went out
                case WRONG_CODES -> ":warning: " + t.notice(answer.notice());
                case REFUSED -> ":no_entry_sign: " + t.notice(answer.notice());
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
