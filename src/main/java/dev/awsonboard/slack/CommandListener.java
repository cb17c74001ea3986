package dev.awsonboard.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.onboarding.Outcome;
import dev.awsonboard.onboarding.RequestAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /aws-onboard}: help, a request in one line, or the form for what is missing. */
public final class CommandListener {
    private static final Logger log = LoggerFactory.getLogger(CommandListener.class);
    private final RequestAccess requests;

    public CommandListener(RequestAccess requests) {
        this.requests = requests;
    }

    public Response handle(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        CommandText text = CommandText.parse(p.getText());
        if (text.help()) {
            return ctx.ack(Messages.HELP);
        }
        if (!requests.mayRequest(p.getUserId())) {
            return ctx.ack("You are not allowed to request AWS access. Ask an AWS admin.");
        }
        if (!text.isComplete()) {
            return openForm(p, text, ctx);
        }
        RequestAccess.NewRequest cmd = new RequestAccess.NewRequest(p.getUserId(), text.iamUserName().orElseThrow(),
                text.targetUserId().orElseThrow(), text.groups(), text.reason());
        Outcome<?> outcome = requests.submit(cmd);
        return ctx.ack(outcome.isDone() ? ":hourglass_flowing_sand: " + outcome.message() : ":warning: " + outcome.message());
    }

    private Response openForm(SlashCommandPayload p, CommandText text, SlashCommandContext ctx) {
        try {
            var opened = ctx.client().viewsOpen(v -> v.triggerId(p.getTriggerId()).view(Modals.request(
                    text.iamUserName(), text.targetUserId(), text.groups(), text.reason(), requests.offeredGroups(),
                    p.getChannelId())));
            if (opened.isOk()) {
                return ctx.ack();
            }
            log.warn("views.open for the request form failed: {}", opened.getError());
        } catch (Exception e) {
            log.warn("views.open for the request form failed: {}", e.getClass().getSimpleName());
        }
        return ctx.ack(":warning: I could not open the form. Type it in one line instead: "
                + "`/aws-onboard <iam-user-name> @person [groups=g1,g2] [reason]`.");
    }
}
