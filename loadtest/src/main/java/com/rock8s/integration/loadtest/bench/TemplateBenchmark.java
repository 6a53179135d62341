package com.rock8s.integration.loadtest.bench;

import com.rock8s.integration.operator.template.TemplateEngine;
import com.rock8s.integration.operator.template.TemplateException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a realistic socket resource template (a Deployment with a Service, as a socket's {@code stringTemplate}
 * would hold) with the parsed-template cache on and off, and reports renders per second and the p50/p99 of single
 * renders. Each engine is warmed up first (JIT, the cache's one miss); bindings vary between renders as plugs do.
 */
public final class TemplateBenchmark {
    /** The template rendered: loops, conditions and filters, as in the socket templates of {@code deploy/examples}. */
    static final String TEMPLATE = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ plug.metadata.name }}-worker
              labels:
                app.kubernetes.io/name: {{ plug.metadata.name }}
                app.kubernetes.io/part-of: {{ socket.metadata.name }}
              annotations:
                integration.rock8s.com/config-hash: {{ socketConfig | tojson | sha256 }}
            spec:
              replicas: {{ plugConfig.replicas | default(1) }}
              selector:
                matchLabels:
                  app.kubernetes.io/name: {{ plug.metadata.name }}
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: {{ plug.metadata.name }}
                spec:
                  serviceAccountName: {{ plug.metadata.name }}
                  containers:
                    - name: worker
                      image: {{ socketConfig.image }}:{{ plugConfig.version | default("latest") }}
                      env:
            {% for key, value in socketConfig.items() %}
                        - name: SOCKET_{{ key | upper | replace("-", "_") }}
                          value: {{ value | quote }}
            {% endfor %}
            {% for key, value in plugConfig.items() %}
                        - name: PLUG_{{ key | upper | replace("-", "_") }}
                          value: {{ value | quote }}
            {% endfor %}
            {% if plugConfig.tls == "true" %}
                      volumeMounts:
                        - name: tls
                          mountPath: /etc/tls
                  volumes:
                    - name: tls
                      secret:
                        secretName: {{ plug.metadata.name }}-tls
            {% endif %}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {{ plug.metadata.name }}-worker
            spec:
              selector:
                app.kubernetes.io/name: {{ plug.metadata.name }}
              ports:
                - port: {{ socketConfig.port | default(80) }}
                  targetPort: 8080
            """;

    /** Distinct binding sets cycled through, so renders do not all see the same plug. */
    private static final int BINDING_SETS = 64;

    private TemplateBenchmark() {
    }

    /**
     * One engine's figures.
     *
     * @param cache            {@code on} or {@code off}
     * @param renders          measured renders (after warm-up)
     * @param rendersPerSecond measured renders divided by their total time
     * @param p50Micros        median time of one render, microseconds
     * @param p99Micros        99th percentile of one render, microseconds
     * @param cacheHits        cache hits over warm-up and measurement (0 with the cache off)
     */
    public record Run(String cache, int renders, double rendersPerSecond, double p50Micros, double p99Micros,
                      long cacheHits) {
    }

    /**
     * Both engines' figures.
     *
     * @param templateChars the rendered template's length
     * @param warmup        renders per engine before measuring
     * @param cached        the cache on ({@link TemplateEngine#DEFAULT_CACHE_SIZE})
     * @param uncached      the cache off (size 0: every render parses)
     */
    public record Result(int templateChars, int warmup, Run cached, Run uncached) {
        /** How many times faster a render is with the cache, by throughput. */
        public double speedUp() {
            return cached.rendersPerSecond() / uncached.rendersPerSecond();
        }
    }

    /** {@code bench-templates [--renders N] [--warmup N]}: runs the benchmark and prints the figures. */
    public static void command(List<String> options, PrintStream out) throws TemplateException {
        int renders = 20_000;
        int warmup = 5_000;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            if (i + 1 >= options.size() || !(option.equals("--renders") || option.equals("--warmup"))) {
                throw new IllegalArgumentException("usage: bench-templates [--renders N] [--warmup N]; got '"
                        + option + "'");
            }
            int value = Integer.parseInt(options.get(++i));
            if (option.equals("--renders")) {
                renders = value;
            } else {
                warmup = value;
            }
        }
        print(run(renders, warmup), out);
    }

    /** Renders {@link #TEMPLATE} {@code warmup + renders} times with each engine; the engines must agree. */
    public static Result run(int renders, int warmup) throws TemplateException {
        if (renders < 1 || warmup < 0) {
            throw new IllegalArgumentException("renders must be at least 1 and warmup not negative");
        }
        List<Map<String, Object>> bindings = bindings();
        TemplateEngine cachedEngine = new TemplateEngine(TemplateEngine.DEFAULT_CACHE_SIZE,
                TemplateEngine.DEFAULT_RENDER_TIMEOUT);
        TemplateEngine uncachedEngine = new TemplateEngine(0, TemplateEngine.DEFAULT_RENDER_TIMEOUT);
        for (Map<String, Object> binding : bindings) {
            if (!cachedEngine.render(TEMPLATE, binding).equals(uncachedEngine.render(TEMPLATE, binding))) {
                throw new IllegalStateException("the cached and uncached engines rendered different text");
            }
        }
        Run uncached = measure("off", uncachedEngine, bindings, renders, warmup);
        Run cached = measure("on", cachedEngine, bindings, renders, warmup);
        return new Result(TEMPLATE.length(), warmup, cached, uncached);
    }

    private static Run measure(String name, TemplateEngine engine, List<Map<String, Object>> bindings, int renders,
                               int warmup) throws TemplateException {
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += engine.render(TEMPLATE, bindings.get(i % bindings.size())).length();
        }
        long[] nanos = new long[renders];
        long start = System.nanoTime();
        for (int i = 0; i < renders; i++) {
            long before = System.nanoTime();
            sink += engine.render(TEMPLATE, bindings.get(i % bindings.size())).length();
            nanos[i] = System.nanoTime() - before;
        }
        long total = System.nanoTime() - start;
        if (sink == 0) {
            throw new IllegalStateException("every render was empty");
        }
        Arrays.sort(nanos);
        return new Run(name, renders, renders / (total / 1e9), percentile(nanos, 0.50) / 1e3,
                percentile(nanos, 0.99) / 1e3, engine.cacheStats().hitCount());
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double quantile) {
        int rank = (int) Math.ceil(quantile * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static List<Map<String, Object>> bindings() {
        List<Map<String, Object>> sets = new ArrayList<>(BINDING_SETS);
        for (int i = 0; i < BINDING_SETS; i++) {
            Map<String, Object> plug = Map.of("metadata", Map.of("name", "app-" + i, "namespace", "team-" + i % 8));
            Map<String, Object> socket = Map.of("metadata", Map.of("name", "queue", "namespace", "infra"));
            Map<String, String> socketConfig = Map.of("image", "registry.example/worker", "port", "5672",
                    "host", "queue.infra.svc", "vhost", "/team-" + i % 8);
            Map<String, String> plugConfig = i % 2 == 0
                    ? Map.of("replicas", String.valueOf(1 + i % 3), "version", "1." + i, "tls", "true",
                    "queue-name", "jobs-" + i)
                    : Map.of("queue-name", "jobs-" + i, "prefetch", "10");
            sets.add(Map.of("plug", plug, "socket", socket, "socketConfig", socketConfig, "plugConfig", plugConfig));
        }
        return sets;
    }

    static void print(Result result, PrintStream out) {
        out.printf(Locale.ROOT, "template render benchmark: %,d renders per engine after %,d warm-up renders, "
                + "template of %,d characters%n", result.cached().renders(), result.warmup(), result.templateChars());
        out.printf(Locale.ROOT, "%-6s %12s %10s %10s %12s%n", "cache", "renders/s", "p50 µs", "p99 µs", "cache hits");
        for (Run run : List.of(result.cached(), result.uncached())) {
            out.printf(Locale.ROOT, "%-6s %,12.0f %10.1f %10.1f %,12d%n", run.cache(), run.rendersPerSecond(),
                    run.p50Micros(), run.p99Micros(), run.cacheHits());
        }
        out.printf(Locale.ROOT, "the cache renders %.2f× as many templates per second%n", result.speedUp());
    }
}
