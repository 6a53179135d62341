package com.rock8s.integration.operator.apparatus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving apparatus for failure tests: answers each call name with a configured status (200 {@code {}} by
 * default), or never answers ({@link #HANG}) until closed. Counts requests per call name and keeps their headers.
 */
final class StubApparatus implements AutoCloseable {
    /** A "status" that makes the stub hold the request without answering. */
    static final int HANG = -1;

    private final HttpServer server;
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private StubApparatus() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "stub-apparatus");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    static StubApparatus start() {
        try {
            return new StubApparatus();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers {@code call} (e.g. {@code coupled}) with {@code status}. */
    StubApparatus answer(String call, int status) {
        statuses.put(call, status);
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int count(String call) {
        return counts.getOrDefault(call, new AtomicInteger()).get();
    }

    List<Map<String, List<String>>> headers() {
        return headers;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String call = path.substring(path.lastIndexOf('/') + 1);
            counts.computeIfAbsent(call, c -> new AtomicInteger()).incrementAndGet();
            headers.add(Map.copyOf(exchange.getRequestHeaders()));
            int status = statuses.getOrDefault(call, 200);
            if (status == HANG) {
                closing.await(60, TimeUnit.SECONDS);
                return;
            }
            byte[] body = (status == 200 ? "{}" : "{\"error\":\"stub says " + status + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
