package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.condition;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.OperatorSettings;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugSpec;
import com.rock8s.integration.operator.api.Resource;
import com.rock8s.integration.operator.api.When;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Templates written to escape or exhaust the operator: each fails its own coupling with {@code TemplateError}, its own
 * message and a Warning Event, renders nothing from the JVM, and the well-formed plugs of the same socket couple
 * meanwhile. (Java method calls and a 3.6 MB loop are covered by {@link BadInputTest}.)
 */
class HostileTemplateTest {
    private static final Duration RENDER_TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    static final TestCluster cluster = new TestCluster(new OperatorSettings(10, Duration.ofMinutes(10), true,
            Duration.ofSeconds(20), "test-operator").withTemplateRenderTimeout(RENDER_TIMEOUT));

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String FOREVER = "{% for i in range(10000) %}{% for j in range(10000) %}"
            + "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}";

    @Test
    void hostileTemplatesFailTheirOwnCouplingWhileOthersCouple() {
        String ns = cluster.newNamespace("hostile");
        cluster.create(socket(ns, "db", none()));
        cluster.create(plug(ns, "healthy", null, "db", p -> {
            p.setConfigTemplate(Map.of("id", "{{ plug.metadata.name | upper }}"));
            p.setResources(List.of(stringResource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: healthy-out\n"
                    + "data:\n  id: {{ plugConfig.id | quote }}\n")));
        }));

        Plug environment = cluster.create(plug(ns, "environment", null, "db",
                config("{{ env }}{{ environ }}")));
        Plug systemProperties = cluster.create(plug(ns, "system-properties", null, "db",
                config("{{ ''.class.forName('java.lang.System').getProperty('user.home') }}")));
        Plug include = cluster.create(plug(ns, "include", null, "db", p -> p.setResources(List.of(
                stringResource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  logback: |\n"
                        + "{% filter indent(4, true) %}{% include 'logback.xml' %}{% endfilter %}\n")))));
        Plug forever = cluster.create(plug(ns, "forever", null, "db", config(FOREVER)));
        Plug foreverInResource = cluster.create(plug(ns, "forever-resource", null, "db", p -> p.setResources(
                List.of(stringResource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: spin\ndata:\n"
                        + "  x: \"{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                        + "{{ i }}{% endfor %}{% endfor %}{% endfor %}\"\n")))));
        Plug tenMiB = cluster.create(plug(ns, "ten-mib", null, "db", p -> {
            p.setData(Map.of("kib", "x".repeat(1024)));
            p.setResources(List.of(stringResource("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
                    + "  x: \"{% for i in range(10240) %}{{ plug.spec.data.kib }}{% endfor %}\"\n")));
        }));

        awaitFailure(environment, "Unknown token found: env");
        awaitFailure(systemProperties, "Unknown token found: ''.class");
        awaitFailure(include, "templates cannot include or import other templates ('logback.xml')");
        awaitFailure(forever, "render time limit of 500 ms exceeded");
        awaitFailure(foreverInResource, "render time limit of 500 ms exceeded");
        awaitFailure(tenMiB, "over limit of 1048576 bytes");

        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "healthy")));
        // the operator keeps serving: a plug created after the failures couples as well
        cluster.create(plug(ns, "late", null, "db", p -> p.setConfigTemplate(Map.of("id", "{{ 'late' | upper }}"))));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "late")));
        assertThat(cluster.plug(ns, "healthy").getStatus().getCoupledResult()).isNotNull();

        // nothing from the JVM reached the cluster: only the healthy plug's object was applied
        List<ConfigMap> applied = cluster.client().configMaps().inNamespace(ns).list().getItems().stream()
                .filter(cm -> cm.getMetadata().getLabels() != null
                        && cm.getMetadata().getLabels().containsKey("integration.rock8s.com/plug-uid"))
                .toList();
        assertThat(applied).extracting(cm -> cm.getMetadata().getName()).containsExactly("healthy-out");
        assertThat(applied.get(0).getData()).containsEntry("id", "HEALTHY");
        for (Plug hostile : List.of(environment, systemProperties, include, forever, foreverInResource, tenMiB)) {
            assertThat(cluster.plug(ns, hostile.getMetadata().getName()).getStatus().getCoupledResult())
                    .as(hostile.getMetadata().getName()).isNull();
        }
    }

    private static Consumer<PlugSpec> config(String template) {
        return p -> p.setConfigTemplate(Map.of("x", template));
    }

    private static Resource stringResource(String template) {
        Resource resource = new Resource();
        resource.setWhen(List.of(When.COUPLED, When.UPDATED));
        resource.setStringTemplate(template);
        return resource;
    }

    private static void awaitFailure(Plug plug, String messagePart) {
        String ns = plug.getMetadata().getNamespace();
        String name = plug.getMetadata().getName();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Plug current = cluster.plug(ns, name);
            assertThat(readyReason(current)).as(name).isEqualTo("TemplateError");
            Condition ready = condition(current, Conditions.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getMessage()).as(name).contains(messagePart);
            assertThat(condition(current, Conditions.COUPLED).orElseThrow().getStatus()).isEqualTo("False");
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.events(plug))
                .filteredOn(e -> "Warning".equals(e.getType()))
                .anySatisfy(warning -> {
                    assertThat(warning.getReason()).isEqualTo("TemplateError");
                    assertThat(warning.getMessage()).contains(messagePart);
                }));
    }
}
