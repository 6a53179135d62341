package com.rock8s.integration.operator.apparatus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rock8s.integration.operator.testing.TestCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference apparatus of {@code deploy/examples/apparatus/} run as the README says ({@code java
 * ReferenceApparatus.java}), on a free loopback port, so the tests exercise exactly the file users run.
 */
public final class ReferenceApparatusProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private ReferenceApparatusProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts it with {@code --config} pairs ({@code key=value}) and waits for its "listening" line. */
    public static ReferenceApparatusProcess start(String... config) {
        Path source = TestCluster.repositoryRoot().resolve("deploy/examples/apparatus/ReferenceApparatus.java");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), source.toString(), "--port", "0", "--host", "127.0.0.1"));
        for (String pair : config) {
            command.add("--config");
            command.add(pair);
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("listening on ")) {
                process.destroyForcibly();
                throw new IllegalStateException("reference apparatus did not start: " + first);
            }
            Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "reference-apparatus-output");
            drain.setDaemon(true);
            drain.start();
            return new ReferenceApparatusProcess(process, Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** The calls received whose path starts with {@code prefix}, oldest first. */
    public List<JsonNode> calls(String prefix) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/calls"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonNode> calls = new ArrayList<>();
            JSON.readTree(response.body()).forEach(call -> {
                if (call.path("path").asText().startsWith(prefix)) {
                    calls.add(call);
                }
            });
            return calls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The names of the calls under {@code prefix} other than {@code ping} and {@code config}: the events. */
    public List<String> events(String prefix) {
        return calls(prefix).stream().map(c -> c.path("call").asText())
                .filter(c -> !c.equals("ping") && !c.equals("config")).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
