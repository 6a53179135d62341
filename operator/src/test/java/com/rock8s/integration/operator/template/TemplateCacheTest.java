package com.rock8s.integration.operator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rock8s.integration.observability.Metrics;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketSpec;
import com.rock8s.integration.operator.interfaces.InterfaceValidator;
import com.rock8s.integration.operator.interfaces.Section;
import com.rock8s.integration.operator.interfaces.Side;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The parsed-template cache: hits, bounds, metrics, and renders of one cached tree from many threads. */
class TemplateCacheTest {
    private static final String TEMPLATE = "name: {{ name }}\n{% for k in keys %}- {{ k }}\n{% endfor %}";

    @Test
    void secondRenderOfTheSameTextIsACacheHit() throws Exception {
        TemplateEngine engine = new TemplateEngine();

        String first = engine.render(TEMPLATE, Map.of("name", "a", "keys", List.of("x")));
        String second = engine.render(TEMPLATE, Map.of("name", "b", "keys", List.of("y", "z")));

        assertThat(first).isEqualTo("name: a\n- x\n");
        assertThat(second).isEqualTo("name: b\n- y\n- z\n");
        assertThat(engine.cacheStats().missCount()).isEqualTo(1);
        assertThat(engine.cacheStats().hitCount()).isEqualTo(1);
    }

    @Test
    void theSameTextInAnotherSyntaxIsAnotherTemplate() throws Exception {
        TemplateEngine engine = new TemplateEngine();
        String text = "[[ name ]] {{ name }}";

        assertThat(engine.render(text, Map.of("name", "a"), TemplateSyntax.BRACKETS)).isEqualTo("a {{ name }}");
        assertThat(engine.render(text, Map.of("name", "a"), TemplateSyntax.JINJA)).isEqualTo("[[ name ]] a");
        assertThat(engine.cacheStats().missCount()).isEqualTo(2);
    }

    @Test
    void textWithoutDelimitersNeverReachesTheCache() throws Exception {
        TemplateEngine engine = new TemplateEngine();

        engine.render("plain", Map.of());

        assertThat(engine.cacheStats().requestCount()).isZero();
    }

    @Test
    void aCachedTemplateWithASyntaxErrorFailsEveryRender() {
        TemplateEngine engine = new TemplateEngine();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> engine.render("{% if x %}never closed", Map.of("x", true)))
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("template '{% if x %}never closed'");
        }
        assertThat(engine.cacheStats().hitCount()).isEqualTo(2);
    }

    @Test
    void aCachedTemplateStillFailsOnAnUndefinedVariable() throws Exception {
        TemplateEngine engine = new TemplateEngine();

        assertThat(engine.render("{{ v }}", Map.of("v", "ok"))).isEqualTo("ok");
        assertThatThrownBy(() -> engine.render("{{ v }}", Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("v");
        assertThat(engine.cacheStats().hitCount()).isEqualTo(1);
    }

    @Test
    void theCacheIsBoundedBySizeAndEvicts() throws Exception {
        TemplateEngine engine = new TemplateEngine(3, TemplateEngine.DEFAULT_RENDER_TIMEOUT);

        for (int i = 0; i < 20; i++) {
            assertThat(engine.render("{{ n }}-" + i, Map.of("n", i))).isEqualTo(i + "-" + i);
        }
        engine.cleanUpCache();

        assertThat(engine.cachedTemplates()).isLessThanOrEqualTo(3);
        assertThat(engine.cacheStats().evictionCount()).isGreaterThanOrEqualTo(17);
    }

    @Test
    void sizeZeroTurnsTheCacheOffAndRendersTheSame() throws Exception {
        TemplateEngine uncached = new TemplateEngine(0, TemplateEngine.DEFAULT_RENDER_TIMEOUT);

        assertThat(uncached.render(TEMPLATE, Map.of("name", "a", "keys", List.of("x")))).isEqualTo("name: a\n- x\n");
        assertThat(uncached.render(TEMPLATE, Map.of("name", "a", "keys", List.of("x")))).isEqualTo("name: a\n- x\n");
        assertThat(uncached.cacheStats().requestCount()).isZero();
        assertThat(uncached.cachedTemplates()).isZero();
    }

    @Test
    void hitsMissesEvictionsAndSizeAreExportedAsCacheMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TemplateEngine engine = new TemplateEngine(1, TemplateEngine.DEFAULT_RENDER_TIMEOUT).monitoredBy(registry);

        engine.render("{{ a }}", Map.of("a", 1));
        engine.render("{{ a }}", Map.of("a", 2));
        engine.render("{{ b }}", Map.of("b", 3));
        engine.cleanUpCache();

        assertThat(counter(registry, "cache.gets", "result", "hit")).isEqualTo(1);
        assertThat(counter(registry, "cache.gets", "result", "miss")).isEqualTo(2);
        assertThat(registry.get("cache.evictions").tag("cache", "templates").functionCounter().count())
                .isEqualTo(1);
        assertThat(registry.get("cache.size").tag("cache", "templates").gauge().value()).isEqualTo(1);
    }

    @Test
    void bothCachesAppearInThePrometheusOutputUnderTheOperatorPrefix() throws Exception {
        try (Metrics metrics = new Metrics()) {
            TemplateEngine engine = new TemplateEngine().monitoredBy(metrics.registry());
            InterfaceValidator validator = new InterfaceValidator().monitoredBy(metrics.registry());
            engine.render("{{ a }}", Map.of("a", 1));
            engine.render("{{ a }}", Map.of("a", 1));
            Socket socket = new Socket();
            socket.setMetadata(new ObjectMetaBuilder().withName("db").withUid("u").withGeneration(1L).build());
            socket.setSpec(new SocketSpec());
            validator.validate(socket, Section.CONFIG, Side.PLUG, Map.of());

            String scrape = metrics.scrape();

            assertThat(scrape)
                    .contains("integration_operator_cache_gets_total{cache=\"templates\",result=\"hit\"} 1.0")
                    .contains("integration_operator_cache_gets_total{cache=\"templates\",result=\"miss\"} 1.0")
                    .contains("integration_operator_cache_evictions_total{cache=\"templates\"}")
                    .contains("integration_operator_cache_size{cache=\"templates\"}")
                    .contains("integration_operator_cache_gets_total{cache=\"interface-schemas\",result=\"miss\"} 1.0");
        }
    }

    @Test
    void oneCachedTemplateRendersConcurrentlyWithEachCallersBindings() throws Exception {
        TemplateEngine engine = new TemplateEngine();
        String template = "{% for i in range(n) %}{{ name }}{{ i }};{% endfor %}{% if n > 3 %}big{% endif %}";
        engine.render(template, Map.of("name", "warm", "n", 1));
        int threads = 8;
        int rounds = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        int n = (thread + r) % 6;
                        String name = "t" + thread + "r" + r + "_";
                        String out = engine.render(template, Map.of("name", name, "n", n));
                        if (!out.equals(expected(name, n))) {
                            wrong.add(out);
                        }
                    }
                    return wrong;
                }));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(engine.cacheStats().missCount()).isEqualTo(1);
        assertThat(engine.cacheStats().hitCount()).isEqualTo((long) threads * rounds);
    }

    private static String expected(String name, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(name).append(i).append(';');
        }
        return n > 3 ? out.append("big").toString() : out.toString();
    }

    private static double counter(SimpleMeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tag("cache", "templates").tag(tag, value).functionCounter().count();
    }
}
