package dev.awsonboard.slack.inbound;

import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.util.SlackRequestParser;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.IO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slack's endpoint ({@code POST /slack/events}, also with a trailing slash, as Javalin routed it) as a Jetty
 * core handler in front of Javalin: the servlet layer and Javalin's router took about a fifth of an
 * acknowledgement's CPU. Every other request goes on to Javalin unchanged.
 */
public final class SlackHandler extends Handler.Wrapper {
    private static final Logger log = LoggerFactory.getLogger(SlackHandler.class);
    private static final String PATH = "/slack/events";

    /** Told of an error no answer was made for, as the server logs its own. */
    public interface Unhandled {
        void log(String method, String path, Exception e);
    }

    private final int maxBody;
    private final Unhandled unhandled;
    /** Null until {@link #serve}: the server listens while the bot is still being wired. */
    private volatile SlackEndpoint endpoint;

    public SlackHandler(int maxBody, Unhandled unhandled) {
        this.maxBody = maxBody;
        this.unhandled = unhandled;
    }

    public void serve(SlackEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Bolt's listeners call the database: Jetty must call {@link #handle} where a thread may block, never in
     * its selector. Said here rather than inherited, so that a non-blocking handler after this one cannot
     * change it.
     */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (!"POST".equals(request.getMethod()) || !(PATH.equals(path) || (PATH + "/").equals(path))) {
            return super.handle(request, response, callback);
        }
        SlackEndpoint wired = endpoint;
        if (wired == null) {
            // Slack retries events on a 5xx; a slash command sent now was sent too early either way.
            write(response, callback, 503, "text/plain", "Starting");
            return true;
        }
        try {
            String body = body(request);
            if (body == null) {
                log.warn("refused a body over {} bytes", maxBody);
                // the rest of the body is not read, so the connection cannot carry another request
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                write(response, callback, 413, "text/plain", "Content Too Large");
                return true;
            }
            answer(response, callback, wired.handle(httpRequest(request, path, body)));
        } catch (Exception e) {
            unhandled.log(request.getMethod(), path, e);
            if (!response.isCommitted()) {
                response.reset();
            }
            write(response, callback, 500, "text/plain", "Internal error");
        }
        return true;
    }

    /** What Bolt needs of the request: headers as Javalin gave them (lower-case names, the first value of each). */
    private static SlackRequestParser.HttpRequest httpRequest(Request request, String path, String body) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.putIfAbsent(field.getLowerCaseName(), List.of(field.getValue()));
        }
        return SlackRequestParser.HttpRequest.builder()
                .requestUri(path)
                .queryString(queryString(request))
                .headers(new RequestHeaders(headers))
                .requestBody(body)
                .remoteAddress(Request.getRemoteAddr(request))
                .build();
    }

    private static Map<String, List<String>> queryString(Request request) {
        if (request.getHttpURI().getQuery() == null) {
            return Map.of();
        }
        Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        Map<String, List<String>> query = new HashMap<>();
        fields.forEach(field -> query.put(field.getName(), field.getValues()));
        return query;
    }

    /**
     * The body as Slack sent it, read as UTF-8 (Slack signs the exact bytes); null when it is over {@link #maxBody}.
     * A body of declared length is copied once, from Jetty's buffers into an array of that length.
     */
    private String body(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > maxBody) {
            return null; // refused before reading any of it
        }
        byte[] bytes = new byte[declared >= 0 ? (int) declared : 8192];
        int read = 0;
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                try (Blocker.Runnable demand = Blocker.runnable()) {
                    request.demand(demand);
                    demand.block();
                }
                continue;
            }
            if (Content.Chunk.isFailure(chunk)) {
                throw IO.rethrow(chunk.getFailure());
            }
            ByteBuffer buffer = chunk.getByteBuffer();
            int length = buffer.remaining();
            if (read + length > maxBody) {
                chunk.release();
                return null;
            }
            if (read + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(read + length, 2 * bytes.length)); // chunked: no length said
            }
            buffer.get(bytes, read, length);
            read += length;
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return new String(bytes, 0, read, StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Bolt's response as Javalin wrote it: a header set once per value (the last one stays), the content type's
     * charset written {@code ;charset=} as Jetty's servlet layer did, no content type as text/plain, no body
     * as an empty one.
     */
    private static void answer(Response response, Callback callback, com.slack.api.bolt.response.Response bolt) {
        if (bolt.getHeaders() != null) {
            bolt.getHeaders().forEach((name, values) -> values.forEach(value -> response.getHeaders().put(name, value)));
        }
        write(response, callback, bolt.getStatusCode() == null ? 200 : bolt.getStatusCode(), bolt.getContentType(),
                bolt.getBody() == null ? "" : bolt.getBody());
    }

    private static void write(Response response, Callback callback, int status, String contentType, String text) {
        Charset charset = StandardCharsets.UTF_8;
        String named = contentType == null ? null : MimeTypes.getCharsetFromContentType(contentType);
        if (named != null) {
            charset = Charset.forName(named);
            contentType = MimeTypes.getContentTypeWithoutCharset(contentType) + ";charset=" + MimeTypes.normalizeCharset(named);
        }
        // Javalin's default content type, which an answer without one got
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType == null ? "text/plain" : contentType);
        byte[] bytes = text.getBytes(charset);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
