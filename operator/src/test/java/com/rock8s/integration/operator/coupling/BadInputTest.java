package com.rock8s.integration.operator.coupling;

import static com.rock8s.integration.operator.testing.Manifests.configMap;
import static com.rock8s.integration.operator.testing.Manifests.none;
import static com.rock8s.integration.operator.testing.Manifests.plug;
import static com.rock8s.integration.operator.testing.Manifests.requiresPlugConfig;
import static com.rock8s.integration.operator.testing.Manifests.secret;
import static com.rock8s.integration.operator.testing.Manifests.socket;
import static com.rock8s.integration.operator.testing.PlugAssertions.condition;
import static com.rock8s.integration.operator.testing.PlugAssertions.coupled;
import static com.rock8s.integration.operator.testing.PlugAssertions.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rock8s.integration.operator.api.NamespaceValidation;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.status.Conditions;
import com.rock8s.integration.operator.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import com.rock8s.integration.operator.template.TemplateSyntax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of bad input ends in a condition with a specific reason and message plus a Warning event on the plug,
 * never in a crash, and leaves the other plugs of the same socket coupled. Where the input can be fixed, fixing it
 * couples the plug without any other nudge.
 */
class BadInputTest {
    @RegisterExtension
    static final TestCluster cluster = new TestCluster();

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aPlugWithAnInvalidSpecCanStillBeDeletedAndItsNamespaceWithIt() {
        String ns = cluster.newNamespace("invalid-delete");
        cluster.create(socket(ns, "db", none()));
        Plug invalid = plug(ns, "app", null, "db", none());
        invalid.getMetadata().setAnnotations(Map.of(TemplateSyntax.ANNOTATION, "bracket"));
        Plug created = cluster.create(invalid);
        await().atMost(TIMEOUT).until(() -> "InvalidSpec".equals(readyReason(cluster.plug(ns, "app"))));

        cluster.client().resource(created).delete();
        await().atMost(TIMEOUT).until(() -> cluster.plug(ns, "app") == null);
        assertThat(cluster.events(created)).extracting(e -> e.getReason() + ": " + e.getMessage())
                .anyMatch(e -> e.startsWith("InvalidSpec: deleted without finishing its cleanup"));
    }

    @Test
    void deletingTheNamespaceOfCoupledPairsFinishesAlthoughTheirServiceAccountsLoseTheirRights() {
        String ns = cluster.newNamespace("namespace-delete");
        cluster.create(socket(ns, "db", s -> s.setResources(List.of(CouplingLifecycleTest.configMapResource(
                "grant-{{ plug.metadata.name }}", "{{ plugConfig.database }}")))));
        for (String name : List.of("app-1", "app-2", "app-3")) {
            cluster.create(plug(ns, name, null, "db", p -> p.setConfig(Map.of("database", name))));
        }
        await().atMost(TIMEOUT).until(() -> List.of("app-1", "app-2", "app-3").stream()
                .allMatch(name -> coupled(cluster.plug(ns, name))));

        // The namespace controller deletes the RoleBinding, the plugs and the socket in no particular order; the
        // plugs' decoupled step could no longer delete their ConfigMaps as their service account.
        cluster.client().namespaces().withName(ns).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client().namespaces().withName(ns).get() == null);
    }

    @Test
    void missingSocketWaitsWithSocketNotCreatedAndCouplesOnceItExists() {
        String ns = cluster.newNamespace("no-socket");
        Plug plug = cluster.create(plug(ns, "app", null, "db", none()));

        awaitFailure(plug, "SocketNotCreated", "socket " + ns + "/db not found");

        cluster.create(socket(ns, "db", none()));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
    }

    @Test
    void missingSecretGivesSecretNotFoundAndCreatingItCouples() {
        String ns = cluster.newNamespace("no-secret");
        cluster.create(socket(ns, "db", none()));
        Plug healthy = cluster.create(plug(ns, "healthy", null, "db", none()));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfigSecretName("app-config")));

        awaitFailure(plug, "SecretNotFound", "Secret " + ns + "/app-config");
        assertThat(coupled(cluster.plug(ns, healthy.getMetadata().getName()))).isTrue();

        cluster.create(secret(ns, "app-config", Map.of("database", "orders")));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        assertThat(cluster.plug(ns, "app").getStatus().getCoupledResult()).isNotNull();
    }

    @Test
    void missingConfigMapGivesConfigMapNotFound() {
        String ns = cluster.newNamespace("no-configmap");
        cluster.create(socket(ns, "db", none()));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setConfigConfigMapName("app-config")));

        awaitFailure(plug, "ConfigMapNotFound", "app-config");

        cluster.create(configMap(ns, "app-config", Map.of("database", "orders")));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
    }

    @Test
    void configMissingARequiredInterfaceKeyIsConfigInvalidAndOtherPlugsStillCouple() {
        String ns = cluster.newNamespace("config-invalid");
        cluster.create(socket(ns, "db", s -> s.setSocketInterface(requiresPlugConfig("database"))));
        Plug bad = cluster.create(plug(ns, "bad", null, "db", p -> p.setConfig(Map.of("other", "x"))));
        Plug good = cluster.create(plug(ns, "good", null, "db", p -> p.setConfig(Map.of("database", "orders"))));

        awaitFailure(bad, "ConfigInvalid", "plug config property 'database' is required");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "good")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.socket(ns, "db").getStatus().getCoupledPlugs())
                .extracting(ref -> ref.getUid()).containsExactly(good.getMetadata().getUid()));
        assertThat(cluster.eventCount(bad, "Coupled")).isZero();

        cluster.client().resources(Plug.class).inNamespace(ns).withName("bad").edit(p -> {
            p.getSpec().setConfig(Map.of("database", "fixed"));
            return p;
        });
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "bad")));
    }

    @Test
    void undefinedVariableInAConfigTemplateIsATemplateError() {
        String ns = cluster.newNamespace("template-error");
        cluster.create(socket(ns, "db", none()));
        Plug healthy = cluster.create(plug(ns, "healthy", null, "db", none()));
        Plug plug = cluster.create(plug(ns, "app", null, "db",
                p -> p.setConfigTemplate(Map.of("url", "{{ nosuchvariable.host }}"))));

        awaitFailure(plug, "TemplateError", "nosuchvariable");
        assertThat(coupled(cluster.plug(ns, healthy.getMetadata().getName()))).isTrue();
    }

    @Test
    void templatesCannotCallJavaMethodsNorGrowWithoutBound() {
        String ns = cluster.newNamespace("sandbox");
        cluster.create(socket(ns, "db", none()));
        Plug healthy = cluster.create(plug(ns, "healthy", null, "db",
                p -> p.setConfigTemplate(Map.of("id", "{{ plug.metadata.name | upper }}"))));
        Plug reflective = cluster.create(plug(ns, "reflective", null, "db",
                p -> p.setConfigTemplate(Map.of("x", "{{ plug.metadata.name.getClass().forName('java.lang.System') }}"))));
        Plug huge = cluster.create(plug(ns, "huge", null, "db", p -> p.setConfigTemplate(Map.of("x",
                "{% for i in range(10000) %}{% for j in range(10) %}{{ plug.metadata.uid }}{% endfor %}{% endfor %}"))));

        awaitFailure(reflective, "TemplateError", "calling the Java method 'getClass' is not allowed");
        awaitFailure(huge, "TemplateError", "configTemplate");
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "healthy")));
        assertThat(cluster.plug(ns, healthy.getMetadata().getName()).getStatus().getCoupledResult()).isNotNull();
    }

    @Test
    void aDecoupledResourceThatNoLongerRendersDoesNotBlockPlugDeletion() {
        String ns = cluster.newNamespace("decouple-render");
        cluster.create(secret(ns, "app-config", Map.of("database", "orders")));
        cluster.create(socket(ns, "db", none()));
        com.rock8s.integration.operator.api.Resource farewell = CouplingLifecycleTest.configMapResource(
                "farewell-{{ plugConfig.database }}", "bye");
        farewell.setWhen(List.of(com.rock8s.integration.operator.api.When.DECOUPLED));
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> {
            p.setConfigSecretName("app-config");
            p.setResources(List.of(farewell));
        }));
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));

        // The config source disappears, so the decoupled template cannot render any more.
        cluster.client().secrets().inNamespace(ns).withName("app-config").delete();
        cluster.client().resource(plug).delete();

        await().atMost(TIMEOUT).until(() -> cluster.plug(ns, "app") == null);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.events(plug))
                .filteredOn(e -> "Warning".equals(e.getType()))
                .extracting(Event::getReason).contains("DecoupledResourceSkipped"));
    }

    @Test
    void plugFromANamespaceTheSocketDoesNotAcceptIsNamespaceForbidden() {
        String socketNs = cluster.newNamespace("shared-db");
        String allowedNs = cluster.newNamespace("team-a");
        String forbiddenNs = cluster.newNamespace("guest");
        cluster.create(socket(socketNs, "db", s -> s.setValidation(whitelist("team-.*"))));
        cluster.create(plug(allowedNs, "app", socketNs, "db", none()));
        Plug forbidden = cluster.create(plug(forbiddenNs, "app", socketNs, "db", none()));

        awaitFailure(forbidden, "NamespaceForbidden", forbiddenNs);
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(allowedNs, "app")));
    }

    @Test
    void namespacePatternsAreAnchored() {
        String socketNs = cluster.newNamespace("anchored");
        // "team" must match the whole namespace name, not a part of it as the original's unanchored match did
        String ns = cluster.newNamespace("myteam");
        cluster.create(socket(socketNs, "db", s -> s.setValidation(whitelist("team"))));
        Plug plug = cluster.create(plug(ns, "app", socketNs, "db", none()));

        awaitFailure(plug, "NamespaceForbidden", ns);
    }

    @Test
    void varWithoutAFieldPathIsAnInvalidSpec() {
        String ns = cluster.newNamespace("var-no-field");
        cluster.create(configMap(ns, "settings", Map.of("tier", "gold")));
        cluster.create(socket(ns, "db", none()));
        com.rock8s.integration.operator.api.Target target = new com.rock8s.integration.operator.api.Target();
        target.setApiVersion("v1");
        target.setKind("ConfigMap");
        target.setName("settings");
        com.rock8s.integration.operator.api.Var var = new com.rock8s.integration.operator.api.Var();
        var.setName("tier");
        var.setObjref(target);
        Plug plug = cluster.create(plug(ns, "app", null, "db", p -> p.setVars(List.of(var))));

        awaitFailure(plug, "InvalidSpec", "needs fieldref.fieldPath");
    }

    @Test
    void invalidNamespacePatternIsReportedAsInvalidSpecOnThePlugAndTheSocket() {
        String ns = cluster.newNamespace("bad-regex");
        NamespaceValidation validation = new NamespaceValidation();
        validation.setNamespaceBlacklist(List.of("team-(unclosed"));
        cluster.create(socket(ns, "db", s -> s.setValidation(validation)));
        Plug plug = cluster.create(plug(ns, "app", null, "db", none()));

        awaitFailure(plug, "InvalidSpec", "team-(unclosed");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.socket(ns, "db").getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo(Conditions.READY);
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("InvalidSpec");
                    assertThat(c.getMessage()).contains("team-(unclosed");
                }));

        cluster.client().resources(com.rock8s.integration.operator.api.Socket.class).inNamespace(ns).withName("db")
                .edit(s -> {
                    s.getSpec().getValidation().setNamespaceBlacklist(List.of("team-.*"));
                    return s;
                });
        await().atMost(TIMEOUT).until(() -> coupled(cluster.plug(ns, "app")));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.socket(ns, "db").getStatus().getConditions())
                .anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo(Conditions.READY);
                    assertThat(c.getStatus()).isEqualTo("True");
                }));
    }

    @Test
    void socketLimitIsEnforcedAndAFreedPlaceGoesToAWaitingPlug() {
        String ns = cluster.newNamespace("limit");
        cluster.create(socket(ns, "db", s -> s.setLimit(2)));
        List<Plug> plugs = List.of(cluster.create(plug(ns, "a", null, "db", none())),
                cluster.create(plug(ns, "b", null, "db", none())),
                cluster.create(plug(ns, "c", null, "db", none())));

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(plugs).filteredOn(p -> coupled(cluster.plug(ns, p.getMetadata().getName()))).hasSize(2);
            assertThat(plugs).filteredOn(p -> "SocketFull".equals(readyReason(cluster.plug(ns,
                    p.getMetadata().getName())))).hasSize(1);
        });
        assertThat(cluster.socket(ns, "db").getStatus().getCoupledPlugCount()).isEqualTo(2);
        Plug waiting = plugs.stream().filter(p -> "SocketFull".equals(readyReason(cluster.plug(ns,
                p.getMetadata().getName())))).findFirst().orElseThrow();
        awaitFailure(waiting, "SocketFull", "accepts at most 2 plugs");

        Plug leaving = plugs.stream().filter(p -> p != waiting).findFirst().orElseThrow();
        cluster.client().resource(leaving).delete();
        await().atMost(Duration.ofSeconds(40)).until(() -> coupled(cluster.plug(ns, waiting.getMetadata().getName())));
        assertThat(cluster.socket(ns, "db").getStatus().getCoupledPlugCount()).isEqualTo(2);
    }

    private static void awaitFailure(Plug plug, String reason, String messagePart) {
        String ns = plug.getMetadata().getNamespace();
        String name = plug.getMetadata().getName();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Plug current = cluster.plug(ns, name);
            assertThat(readyReason(current)).isEqualTo(reason);
            Condition ready = condition(current, Conditions.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getMessage()).contains(messagePart);
            assertThat(condition(current, Conditions.COUPLED).orElseThrow().getStatus()).isEqualTo("False");
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.events(plug))
                .filteredOn(e -> "Warning".equals(e.getType()))
                .extracting(Event::getReason).contains(reason));
    }


    private static NamespaceValidation whitelist(String pattern) {
        NamespaceValidation validation = new NamespaceValidation();
        validation.setNamespaceWhitelist(List.of(pattern));
        return validation;
    }
}
