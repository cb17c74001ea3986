package dev.awsonboard.slack.inbound;

import com.google.gson.Gson;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;
import dev.awsonboard.lifecycle.AccountUsers;
import dev.awsonboard.lifecycle.Decisions;
import dev.awsonboard.lifecycle.Intake;
import dev.awsonboard.lifecycle.model.Kind;
import dev.awsonboard.lifecycle.model.Notice;
import dev.awsonboard.lifecycle.model.Reason;
import dev.awsonboard.lifecycle.model.Outcome;
import dev.awsonboard.lifecycle.model.Request;
import dev.awsonboard.lifecycle.StatusQuery;
import dev.awsonboard.slack.language.Languages;
import dev.awsonboard.slack.language.SlackText;
import dev.awsonboard.slack.language.Texts;
import dev.awsonboard.slack.render.AccountViews;
import dev.awsonboard.slack.render.Messages;
import dev.awsonboard.slack.render.Modals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * {@code /aws-onboard}: help, a request in one line, the form for what is missing, status, the
 * account's IAM users (approvers) or cancel. The acknowledgement does no remote call: it says what was understood and stored;
 * anything that needs Slack or IAM happens after it and reaches the requester through the
 * command's response URL.
 */
public final class CommandListener {
    private static final Gson RESPONSE_JSON = GsonFactory.createSnakeCase();

    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);
    private final Intake intake;
    private final Decisions decisions;
    private final StatusQuery status;
    private final Languages languages;
    private final Executor afterAck;
    private final AccountUsers accountUsers;
    /** How long opening a form may wait to learn the person's language (a trigger id lives 3 s). */
    static final Duration LANGUAGE_WAIT = Duration.ofSeconds(1);

    CommandListener(Intake intake, Decisions decisions, StatusQuery status, Languages languages, Executor afterAck,
                    AccountUsers accountUsers) {
        this.intake = intake;
        this.decisions = decisions;
        this.status = status;
        this.languages = languages;
        this.afterAck = afterAck;
        this.accountUsers = accountUsers;
    }

    public Response handle(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        String user = p.getUserId();
        // The acknowledgement may not wait for Slack: what is known of the person's language now.
        Texts t = languages.forUserAtOnce(user);
        CommandText text = CommandText.parse(p.getText());
        return switch (text.verb()) {
            case HELP -> ctx.ack(Messages.help(t));
            case STATUS -> text.unknownWho().isPresent() ? ctx.ack(unknownWho(t, text)) : status(text, user, t, ctx);
            case CANCEL -> text.requestId().isEmpty() ? ctx.ack(t.get("help.missingId"))
                    : ctx.ack(answer(t, decisions.cancel(text.requestId().get(), user)));
            case REVOKE -> text.requestId().isEmpty() ? ctx.ack(t.get("help.missingGrantId"))
                    : ctx.ack(answer(t, decisions.revoke(text.requestId().get(), user)));
            case GRANT -> grant(text, user, t, ctx);
            case ONBOARD -> onboard(p, text, t, ctx);
            case USERS -> users(user, t, ctx);
            default -> lifecycle(text, user, t, ctx);
        };
    }

    private Response onboard(SlashCommandPayload p, CommandText text, Texts t, SlashCommandContext ctx) {
        if (!intake.mayRequest(p.getUserId())) {
            return ctx.ack(":warning: " + t.get("misc.notAllowedForm"));
        }
        if (!text.isComplete()) {
            // The trigger lives 3 s: the form opens right after the ack, on a worker.
            afterAck.execute(() -> openForm(p, text, ctx));
            return ctx.ack();
        }
        return submit(new Intake.NewRequest(Kind.ONBOARD, p.getUserId(), text.iamUserName().orElseThrow(),
                text.targetUserId().orElseThrow(), text.groups(), text.reason()), t, ctx);
    }

    private Response lifecycle(CommandText text, String user, Texts t, SlashCommandContext ctx) {
        if (!text.namesSomeone()) {
            return ctx.ack(text.unknownWho().isPresent() ? unknownWho(t, text) : t.get("help.missingWho", "command", text.verb().word()));
        }
        Kind kind = text.verb().kind().orElseThrow();
        return submit(new Intake.NewRequest(kind, user, text.iamUserName().orElse(null), text.targetUserId().orElse(null),
                List.of(), text.reason()), t, ctx);
    }

    /** The word that names nobody, said back with how to name a person or an IAM user. */
    private static String unknownWho(Texts t, CommandText text) {
        return ":warning: " + t.get("help.unknownWho", "word", SlackText.clip(text.unknownWho().orElseThrow(), 80),
                "command", text.verb().word());
    }

    /** {@code grant <group> [@person|iam-user] for <duration> [reason]}: for oneself unless someone is named. */
    private Response grant(CommandText text, String user, Texts t, SlashCommandContext ctx) {
        if (text.groups().isEmpty() || text.grantFor().isEmpty()) {
            return ctx.ack(t.get("help.missingGrant"));
        }
        String person = text.iamUserName().isEmpty() ? text.targetUserId().orElse(user) : text.targetUserId().orElse(null);
        return submit(new Intake.NewRequest(Kind.GRANT, user, text.iamUserName().orElse(null), person, text.groups(), text.reason(),
                text.grantFor().get()), t, ctx);
    }

    private Response submit(Intake.NewRequest cmd, Texts t, SlashCommandContext ctx) {
        Outcome<Request> outcome = intake.submit(cmd, Optional.of(reply(ctx)));
        return ctx.ack(answer(t, outcome));
    }

    private static String answer(Texts t, Outcome<?> outcome) {
        return (outcome.isDone() ? ":hourglass_flowing_sand: " : ":warning: ") + t.notice(outcome.notice());
    }

    /** How the checks' outcome reaches the requester: an ephemeral answer through the response URL. */
    private Intake.Reply reply(SlashCommandContext ctx) {
        return request -> {
            Texts t = languages.forUser(request.requesterUserId());
            respond(ctx, Messages.forRequester(t, request), Messages.forRequesterBlocks(t, request));
        };
    }

    private Response status(CommandText text, String user, Texts t, SlashCommandContext ctx) {
        afterAck.execute(() -> {
            Texts reader = languages.forUser(user);
            var outcome = status.status(user, text.iamUserName().orElse(null), text.targetUserId().orElse(null));
            String answer = outcome instanceof Outcome.Done<StatusQuery.Report> done
                    ? Messages.status(reader, done.value(), text.iamUserName().orElse(null))
                    : ":no_entry_sign: " + reader.notice(outcome.notice());
            try {
                respond(ctx, answer, null);
            } catch (RuntimeException e) {
                log.warn("could not answer a status command: {}", e.getMessage());
            }
        });
        return ctx.ack(t.get("status.checking"));
    }

    /** Approvers: the account's IAM users, read from IAM after the ack (the credential report may take a while). */
    private Response users(String user, Texts t, SlashCommandContext ctx) {
        if (!accountUsers.mayList(user)) {
            return ctx.ack(":no_entry_sign: " + t.notice(Notice.of(Reason.USERS_NOT_ALLOWED)));
        }
        afterAck.execute(() -> {
            Texts reader = languages.forUser(user);
            Outcome<AccountUsers.Roster> outcome = accountUsers.forApprover(user);
            try {
                if (outcome instanceof Outcome.Done<AccountUsers.Roster> done) {
                    respond(ctx, AccountViews.usersText(reader, done.value()), AccountViews.users(reader, done.value()));
                } else {
                    respond(ctx, ":no_entry_sign: " + reader.notice(outcome.notice()), null);
                }
            } catch (RuntimeException e) {
                log.warn("could not answer a users command: {}", e.getMessage());
            }
        });
        return ctx.ack(t.get("users.checking"));
    }

    private void openForm(SlashCommandPayload p, CommandText text, SlashCommandContext ctx) {
        // The trigger id dies 3 s after the command: wait for the person's language only briefly.
        Texts t = languages.forUserWithin(p.getUserId(), LANGUAGE_WAIT);
        try {
            var opened = ctx.client().viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.request(t,
                    text.iamUserName(), text.targetUserId(), text.groups(), text.reason(), intake.offeredGroups(),
                    p.getChannelId())));
            if (opened.isOk()) {
                return;
            }
            log.warn("views.open for the request form failed: {}", opened.getError());
        } catch (Exception e) {
            log.warn("views.open for the request form failed: {}", e.getClass().getSimpleName());
        }
        try {
            respond(ctx, ":warning: " + t.get("modal.request.failed"), null);
        } catch (RuntimeException e) {
            log.warn("could not tell the requester the form did not open: {}", e.getMessage());
        }
    }

    /** An ephemeral message to the person who typed the command; fails when Slack refuses it. */
    static void respond(SlashCommandContext ctx, String text, List<LayoutBlock> blocks) {
        SlashCommandResponse body = SlashCommandResponse.builder().responseType("ephemeral").text(text).blocks(blocks).build();
        // Serialised by one shared Gson: ctx.respond builds a new Gson, and reflects the blocks anew, per call.
        try (okhttp3.Response sent = ctx.getSlack().getHttpClient().postJsonBody(ctx.getResponseUrl(), RESPONSE_JSON.toJson(body))) {
            if (sent.code() != 200) {
                throw new IllegalStateException("response_url answered " + sent.code());
            }
        } catch (IOException e) {
            throw new IllegalStateException("response_url unreachable: " + e.getClass().getSimpleName(), e);
        }
    }
}
