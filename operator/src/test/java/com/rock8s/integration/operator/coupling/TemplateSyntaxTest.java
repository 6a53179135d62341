package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.template.TemplateSyntax;
import com.rock8s.integration.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Objects shipped inside Helm charts use [[ ]] delimiters so that {{ }} stays Helm's. */
class TemplateSyntaxTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void bracketsSyntaxRendersBracketExpressionsAndLeavesCurlyBracesAlone() {
        String ns = cluster.newNamespace("brackets");
        Socket socket = socket(ns, "db", s -> {
            s.setConfigTemplate(Map.of("url", "[[ plug.metadata.name ]]-{{ .Values.x }}"));
            s.setResources(List.of(CouplingLifecycleTest.configMapResource("grant-[[ plug.metadata.name ]]",
                    "[% if socketConfig.url %][[ socketConfig.url ]][% endif %][# a comment #]")));
        });
        socket.getMetadata().setAnnotations(Map.of(TemplateSyntax.ANNOTATION, "brackets"));
        cluster.create(socket);
        cluster.create(plug(ns, "app", null, "db", p -> { }));

        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        assertThat(cluster.client().configMaps().inNamespace(ns).withName("grant-app").get().getData())
                .containsEntry("database", "app-{{ .Values.x }}");
    }

    @Test
    void unknownSyntaxIsAnInvalidSpec() {
        String ns = cluster.newNamespace("syntax-typo");
        cluster.create(socket(ns, "db", s -> { }));
        Plug plug = plug(ns, "app", null, "db", p -> p.setConfigTemplate(Map.of("x", "[[ plug.metadata.name ]]")));
        plug.getMetadata().setAnnotations(Map.of(TemplateSyntax.ANNOTATION, "bracket"));
        cluster.create(plug);

        await().atMost(TIMEOUT).until(() -> "InvalidSpec".equals(readyReason(cluster.plug(ns, "app"))));
        assertThat(cluster.plug(ns, "app").getStatus().getConditions()).anySatisfy(c ->
                assertThat(c.getMessage()).contains("'bracket'").contains("brackets"));
    }
}
