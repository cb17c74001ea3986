package dev.awsonboard.slack.inbound;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.request.builtin.ViewSubmissionRequest;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import dev.awsonboard.slack.language.Languages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Middleware: the bot serves its own Slack workspace only, the one {@code auth.test} named at start (the
 * team, and on Enterprise Grid the enterprise). A request from anywhere else (another workspace's user in
 * a shared channel, an app installed twice) reaches no listener and no use case, so it changes nothing in
 * IAM: a slash command is told why, in the workspace's default language; a click or an event is acked and
 * logged.
 */
final class OwnWorkspaceOnly implements Middleware {
    private static final Logger log = LoggerFactory.getLogger(OwnWorkspaceOnly.class);

    /** The bot's workspace as auth.test named it; {@code enterpriseId} null outside Enterprise Grid. */
    record Workspace(String teamId, String enterpriseId) {
    }

    private final Workspace own;
    private final Languages languages;

    OwnWorkspaceOnly(Workspace own, Languages languages) {
        this.own = Objects.requireNonNull(own, "own");
        this.languages = languages;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        // From the payload, not the context: Bolt's SingleTeamAuthorization has put the bot's own team there.
        String[] where = origin(req);
        String team = where[0];
        String enterprise = where[1];
        if (ours(team, enterprise) && (where[2] == null || own.teamId().equals(where[2]))) {
            return chain.next(req);
        }
        log.info("refused a {} from workspace {} (enterprise {}): this bot serves {} only", req.getRequestType(), team,
                enterprise, own.teamId());
        if (req.getRequestType() == RequestType.Command) {
            JsonObject body = new JsonObject();
            body.addProperty("response_type", "ephemeral");
            body.addProperty("text", ":no_entry_sign: " + languages.forChannel().get("misc.otherWorkspace"));
            return Response.json(200, body.toString());
        }
        return Response.ok();
    }

    /**
     * {team, enterprise, the acting user's team} as the payload names them; nulls where it names none. A
     * user of another workspace can act in a channel shared with the bot's (Slack Connect): the payload's
     * team is then the channel's, the user's team their own.
     */
    private static String[] origin(Request req) {
        if (req instanceof SlashCommandRequest c) {
            return new String[] {c.getPayload().getTeamId(), c.getPayload().getEnterpriseId(), null};
        }
        if (req instanceof BlockActionRequest a) {
            BlockActionPayload p = a.getPayload();
            return new String[] {p.getTeam() == null ? null : p.getTeam().getId(),
                    p.getEnterprise() == null ? null : p.getEnterprise().getId(), p.getUser() == null ? null : p.getUser().getTeamId()};
        }
        if (req instanceof ViewSubmissionRequest v) {
            ViewSubmissionPayload p = v.getPayload();
            return new String[] {p.getTeam() == null ? null : p.getTeam().getId(),
                    p.getEnterprise() == null ? null : p.getEnterprise().getId(), p.getUser() == null ? null : p.getUser().getTeamId()};
        }
        if (req.getRequestType() == RequestType.Event) {
            try {
                JsonObject body = JsonParser.parseString(req.getRequestBodyAsString()).getAsJsonObject();
                return new String[] {text(body, "team_id"), text(body, "enterprise_id"), null};
            } catch (RuntimeException e) {
                return new String[] {null, null, null}; // not ours to judge: Bolt answers a malformed body
            }
        }
        return new String[] {null, null, null};
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && o.get(key).isJsonPrimitive() ? o.get(key).getAsString() : null;
    }

    /** The request names the bot's team (and, on Grid, its enterprise); one that names none is let through to Bolt. */
    private boolean ours(String team, String enterprise) {
        if (team == null && enterprise == null) {
            return true; // nothing to compare (Slack's url_verification, app_rate_limited); no listener acts on these
        }
        if (own.enterpriseId() != null && !own.enterpriseId().equals(enterprise)) {
            return false;
        }
        return own.teamId().equals(team);
    }
}
