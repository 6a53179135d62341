package com.rock8s.integration.operator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies a {@link Selection} to a mock watch, translating events the way the real API does for a
 * selector-filtered watch: an object that starts matching arrives as {@code ADDED}, one that stops
 * matching as {@code DELETED}, and changes to objects that never matched are not sent at all.
 */
final class FilteringWatchListener extends WebSocketListener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocketListener delegate;
    private final Selection selection;
    /** Keys (namespace/name) of the objects the client currently sees as matching. */
    private final Set<String> visible = ConcurrentHashMap.newKeySet();
    private volatile FilteringSocket socket;

    FilteringWatchListener(WebSocketListener delegate, Selection selection) {
        this.delegate = delegate;
        this.selection = selection;
    }

    private WebSocket wrap(WebSocket ws) {
        FilteringSocket s = socket;
        if (s == null || s.inner != ws) {
            s = new FilteringSocket(ws);
            socket = s;
        }
        return s;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        delegate.onBeforeAccept(wrap(webSocket), response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        delegate.onOpen(wrap(webSocket), response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(wrap(webSocket), text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        delegate.onMessage(wrap(webSocket), bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        delegate.onClosing(wrap(webSocket), code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        delegate.onClosed(wrap(webSocket), code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        delegate.onFailure(wrap(webSocket), error, response);
    }

    /** Rewrites one watch event; returns {@code null} when the client must not see it. */
    String translate(String eventJson) {
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (IOException e) {
            return eventJson;
        }
        JsonNode object = event.path("object");
        String type = event.path("type").asText();
        if (!object.isObject() || !("ADDED".equals(type) || "MODIFIED".equals(type) || "DELETED".equals(type))) {
            return eventJson;
        }
        JsonNode metadata = object.path("metadata");
        String key = metadata.path("namespace").asText("") + "/" + metadata.path("name").asText("");
        String newType;
        if ("DELETED".equals(type)) {
            newType = visible.remove(key) ? "DELETED" : null;
        } else if (selection.matches(object)) {
            newType = visible.add(key) ? "ADDED" : "MODIFIED";
        } else {
            newType = visible.remove(key) ? "DELETED" : null;
        }
        if (newType == null) {
            return null;
        }
        if (newType.equals(type)) {
            return eventJson;
        }
        ((ObjectNode) event).put("type", newType);
        return event.toString();
    }

    private final class FilteringSocket implements WebSocket {
        private final WebSocket inner;

        FilteringSocket(WebSocket inner) {
            this.inner = inner;
        }

        @Override
        public RecordedRequest request() {
            return inner.request();
        }

        @Override
        public boolean send(String text) {
            String out = translate(text);
            return out == null || inner.send(out);
        }

        @Override
        public boolean send(byte[] bytes) {
            return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public boolean close(int code, String reason) {
            return inner.close(code, reason);
        }
    }
}
