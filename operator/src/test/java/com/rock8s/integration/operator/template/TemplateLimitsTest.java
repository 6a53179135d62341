package com.rock8s.integration.operator.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a hostile or careless template cannot do: run without end, reach the JVM, its environment or the operator's
 * files. Also the {@code nindent} filter.
 */
class TemplateLimitsTest {
    private static final Duration LIMIT = Duration.ofMillis(300);
    private final TemplateEngine engine = new TemplateEngine(TemplateEngine.DEFAULT_CACHE_SIZE, LIMIT);

    // ---------------------------------------------------------------- render time

    @Test
    void nestedLoopsWithAnEmptyBodyStopAtTheTimeLimit() {
        String forever = "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}";

        assertThatThrownBy(() -> engine.render(forever, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("render time limit of 300 ms exceeded");
    }

    @Test
    void nestedLoopsWithABodyStopAtTheTimeLimit() {
        String forever = "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                + "{% set x = i * j + k %}{% if x < 0 %}{{ x }}{% endif %}{% endfor %}{% endfor %}{% endfor %}";

        assertThatThrownBy(() -> engine.render(forever, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("render time limit of 300 ms exceeded");
    }

    @Test
    void loopsInsideAMacroCalledInALoopStopAtTheTimeLimit() {
        String forever = "{% macro spin(n) %}{% for j in range(n) %}{% for k in range(n) %}{% endfor %}{% endfor %}"
                + "{% endmacro %}{% for i in range(10000) %}{{ spin(10000) }}{% endfor %}";

        assertThatThrownBy(() -> engine.render(forever, Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("render time limit of 300 ms exceeded");
    }

    @Test
    void theEngineRendersNormallyAfterATimedOutRender() throws Exception {
        String forever = "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}";
        assertThatThrownBy(() -> engine.render(forever, Map.of())).isInstanceOf(TemplateException.class);

        assertThat(engine.render("{% for i in range(3) %}{{ i }}{% endfor %}", Map.of())).isEqualTo("012");
        assertThat(engine.renderLeaf("{{ n }}", Map.of("n", 7))).isEqualTo(7);
    }

    @Test
    void aRenderUnderTheLimitIsNotAffected() throws Exception {
        String template = "{% for i in range(100) %}{% for j in range(100) %}.{% endfor %}{% endfor %}";

        assertThat(engine.render(template, Map.of())).hasSize(10_000);
    }

    @Test
    void aTemplateEmittingTenMebibytesFailsOnTheOutputLimit() {
        String tenMiB = "{% for i in range(10240) %}{{ chunk }}{% endfor %}";

        assertThatThrownBy(() -> engine.render(tenMiB, Map.of("chunk", "x".repeat(1024))))
                .isInstanceOf(TemplateException.class)
                .hasMessageNotContaining("time limit");
    }

    // ---------------------------------------------------------------- sandbox

    @Test
    void reflectionIsRefused() {
        for (String template : List.of("{{ ''.getClass() }}", "{{ ''.class.forName('java.lang.System') }}",
                "{{ name.getClass().forName('java.lang.Runtime').getRuntime() }}")) {
            assertThatThrownBy(() -> engine.render(template, Map.of("name", "x")))
                    .as(template)
                    .isInstanceOf(TemplateException.class);
        }
    }

    @Test
    void theEnvironmentAndSystemPropertiesAreNotVisible() {
        String home = System.getProperty("user.home");
        for (String template : List.of("{{ env }}", "{{ environ }}", "{{ os.environ }}", "{{ system }}",
                "{{ System.getenv() }}", "{{ java.lang.System.getProperties() }}",
                "{{ ''.class.classLoader }}", "{{ ''.class.forName('java.lang.System').getenv('HOME') }}")) {
            String rendered;
            try {
                rendered = engine.render(template, Map.of());
            } catch (TemplateException expected) {
                continue;
            }
            assertThat(rendered).as(template).doesNotContain(home).doesNotContain("java.");
        }
    }

    @Test
    void includesAndImportsCannotReadTheOperatorsFiles() {
        for (String template : List.of("{% include 'logback.xml' %}", "{% include 'META-INF/MANIFEST.MF' %}",
                "{% import 'logback.xml' as x %}{{ x }}", "{% from 'logback.xml' import y %}{{ y }}")) {
            String rendered;
            try {
                rendered = engine.render(template, Map.of());
            } catch (TemplateException expected) {
                continue;
            }
            assertThat(rendered).as(template).doesNotContain("<configuration").doesNotContain("Manifest");
        }
    }

    // ---------------------------------------------------------------- nindent

    @Test
    void nindentStartsANewLineAndIndentsEveryLine() throws Exception {
        assertThat(engine.render("data:{{ v | nindent(2) }}", Map.of("v", "a: 1\nb: 2")))
                .isEqualTo("data:\n  a: 1\n  b: 2");
    }

    @Test
    void nindentDefaultsToFourSpaces() throws Exception {
        assertThat(engine.render("x:{{ v | nindent }}", Map.of("v", "a"))).isEqualTo("x:\n    a");
    }

    @Test
    void nindentOfAYamlBlockIsValidYamlUnderAKey() throws Exception {
        String yaml = engine.render("spec:\n  labels:{{ labels | toyaml | nindent(4) }}",
                Map.of("labels", Map.of("app", "web")));

        assertThat(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(yaml)
                .at("/spec/labels/app").asText()).isEqualTo("web");
    }
}
