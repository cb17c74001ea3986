package dev.awsonboard.slack.inbound;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.Intake;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.webapi.SlackNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The buttons of the account's IAM users (the {@code users} answer and an approver's App Home). Acks
 * make no remote call: an MFA setup is stored like a command and checked after the ack, a suggested
 * link is checked again in IAM and Slack after it, and the approver hears the outcome where they
 * clicked (or by DM).
 */
public final class AccountUsersListener {
    private static final Logger log = LoggerFactory.getLogger(AccountUsersListener.class);
    private final AccountUsers users;
    private final Intake intake;
    private final Languages languages;
    private final SlackNotifier slack;
    private final Executor afterAck;

    public AccountUsersListener(AccountUsers users, Intake intake, Languages languages, SlackNotifier slack, Executor afterAck) {
        this.intake = intake;
        this.users = users;
        this.languages = languages;
        this.slack = slack;
        this.afterAck = afterAck;
    }

    /**
     * Ask to set up MFA: the value names the IAM user. Stored before the ack like a slash command; the
     * kind's checks find the person by the user's link and this approver's click decides it.
     */
    public Response enrolMfa(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String reason = languages.forChannel().plain("users.enrol.reason");
        Outcome<Request> outcome = intake.submit(new Intake.NewRequest(Kind.ENROL_MFA, actor, Interactions.actionValue(p), null,
                List.of(), reason), Optional.empty());
        if (!outcome.isDone()) {
            log.info("MFA setup of IAM user {} asked by {} refused: {}", Interactions.actionValue(p), actor, outcome.notice().reason());
        }
        Texts t = languages.forUser(actor);
        afterAck.execute(() -> Interactions.tellOnly(slack, p, actor, (outcome.isDone() ? ":hourglass_flowing_sand: " : ":warning: ")
                + t.notice(outcome.notice())));
        return ctx.ack();
    }

    /** Ask to link: the value is {@code iam-user|person}, as the suggestion named them. */
    public Response link(BlockActionRequest req, ActionContext ctx) {
        BlockActionPayload p = req.getPayload();
        String actor = p.getUser().getId();
        String[] value = Interactions.actionValue(p).split("\\|", -1);
        if (value.length != 2 || value[0].isBlank() || value[1].isBlank()) {
            log.info("a link suggestion click by {} named nothing usable", actor);
            return ctx.ack();
        }
        // The approvers read the link request's reason in the channel's language, as if a requester typed it.
        String reason = languages.forChannel().plain("users.link.reason");
        afterAck.execute(() -> {
            Outcome<Request> outcome = users.confirm(actor, value[0], value[1], reason);
            if (!outcome.isDone()) {
                log.info("suggested link of IAM user {} to {} by {} not filed: {}", value[0], value[1], actor,
                        outcome.notice().reason());
            }
            Texts t = languages.forUser(actor);
            Interactions.tellOnly(slack, p, actor, (outcome.isDone() ? ":hourglass_flowing_sand: " : ":warning: ")
                    + t.notice(outcome.notice()));
        });
        return ctx.ack();
    }
}
