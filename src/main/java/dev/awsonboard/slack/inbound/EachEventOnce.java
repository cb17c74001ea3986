package dev.awsonboard.slack.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;

import java.io.IOException;
import java.time.Clock;

/**
 * Middleware: each Events API event is handled once. Slack re-delivers an event it got no ack for; a
 * re-delivery of one handled already, or being handled right now, is acked without reaching a listener, and
 * one whose first delivery died with the bot before it was handled is handled ({@link EventLog}).
 * Other requests pass through.
 */
final class EachEventOnce implements Middleware {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventLog events;
    private final Clock clock;

    EachEventOnce(EventLog events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        if (req.getRequestType() != RequestType.Event) {
            return chain.next(req);
        }
        String eventId = eventId(req.getRequestBodyAsString());
        if (eventId == null) {
            return chain.next(req);
        }
        if (!events.start(eventId, clock.instant())) {
            return Response.ok(); // handled already, or being handled right now
        }
        Response response = chain.next(req);
        events.handled(eventId);
        return response;
    }

    /** The event_id of an Events API body; null when there is none (or the body is not JSON). */
    static String eventId(String body) {
        try {
            String id = JSON.readTree(body).path("event_id").asText(null);
            return id == null || id.isBlank() || id.length() > 64 ? null : id;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
