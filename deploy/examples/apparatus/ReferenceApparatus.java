import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A reference apparatus for the Integration Operator: a JDK-only HTTP server that answers every apparatus call, keeps
 * a record of the calls it received and answers {@code /config} from its own settings.
 *
 * <pre>
 * java ReferenceApparatus.java --port 8099 [--host 0.0.0.0] [--config key=value]...
 * </pre>
 *
 * <ul>
 *   <li>{@code GET .../ping}: {@code 200 pong}.</li>
 *   <li>{@code POST .../config}: the {@code --config} pairs as a JSON object of strings.</li>
 *   <li>{@code POST .../created|coupled|updated|decoupled|deleted}: {@code 200 {}}.</li>
 *   <li>{@code GET /calls}: every call received so far, oldest first, as a JSON array of
 *       {@code {"at", "method", "path", "call", "userAgent", "traceparent", "body"}} ({@code body} is the request's
 *       JSON). {@code DELETE /calls} forgets them.</li>
 * </ul>
 * Any path prefix is accepted, so one apparatus can serve many endpoints ({@code http://host:8099/team-a/plug}); the
 * call is the last path segment. Each call is also logged on standard output. The first line printed is
 * {@code listening on http://<host>:<port>} ({@code --port 0} picks a free port).
 */
public final class ReferenceApparatus {
    private static final Set<String> EVENTS = Set.of("created", "coupled", "updated", "decoupled", "deleted");

    private final List<String> calls = new ArrayList<>();
    private final Map<String, String> config;

    private ReferenceApparatus(Map<String, String> config) {
        this.config = config;
    }

    public static void main(String[] args) throws IOException {
        int port = 8099;
        String host = "0.0.0.0";
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--host" -> host = value;
                case "--config" -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("--config needs key=value, got '" + value + "'");
                    }
                    config.put(value.substring(0, equals), value.substring(equals + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: java ReferenceApparatus.java --port N [--host H] [--config key=value]...");
            }
            i++;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.createContext("/", new ReferenceApparatus(config)::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("listening on http://" + host + ":" + server.getAddress().getPort());
        System.out.flush();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.equals("/calls")) {
                if (method.equals("DELETE")) {
                    synchronized (calls) {
                        calls.clear();
                    }
                    respond(exchange, 204, "");
                } else {
                    synchronized (calls) {
                        respond(exchange, 200, "[" + String.join(",", calls) + "]");
                    }
                }
                return;
            }
            String call = path.substring(path.lastIndexOf('/') + 1);
            boolean known = method.equals("GET") && call.equals("ping")
                    || method.equals("POST") && (call.equals("config") || EVENTS.contains(call));
            if (!known) {
                respond(exchange, 404, "{\"error\":\"no such call: " + escape(method + " " + path) + "\"}");
                return;
            }
            record(exchange, method, path, call, body);
            switch (call) {
                case "ping" -> respond(exchange, 200, "pong");
                case "config" -> respond(exchange, 200, configJson());
                default -> respond(exchange, 200, "{}");
            }
        }
    }

    private void record(HttpExchange exchange, String method, String path, String call, String body) {
        String json = body.isBlank() ? "null" : body.strip().startsWith("{") ? body : quote(body);
        String entry = "{\"at\":" + quote(Instant.now().toString()) + ",\"method\":" + quote(method)
                + ",\"path\":" + quote(path) + ",\"call\":" + quote(call)
                + ",\"userAgent\":" + quote(exchange.getRequestHeaders().getFirst("User-Agent"))
                + ",\"traceparent\":" + quote(exchange.getRequestHeaders().getFirst("traceparent"))
                + ",\"body\":" + json + "}";
        synchronized (calls) {
            calls.add(entry);
        }
        System.out.println("call=" + call + " method=" + method + " path=" + path + " bytes=" + body.length());
    }

    private String configJson() {
        StringBuilder json = new StringBuilder("{");
        config.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append(quote(key)).append(':')
                .append(quote(value)));
        return json.append('}').toString();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") || body.startsWith("[")
                ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String quote(String text) {
        return text == null ? "null" : "\"" + escape(text) + "\"";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
