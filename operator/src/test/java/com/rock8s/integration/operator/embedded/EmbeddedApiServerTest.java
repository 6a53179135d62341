package com.rock8s.integration.operator.embedded;

import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.WIDGETS;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.get;
import static com.rock8s.integration.operator.embedded.EmbeddedTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle, CRD installation, {@code apply}, request listeners and discovery. */
class EmbeddedApiServerTest extends WidgetApiTest {

    @Test
    void listensOnLoopbackAndAnswersVersion() {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
        assertThat(get(server, "/healthz").text()).isEqualTo("ok");
    }

    @Test
    void startsOnAGivenPortAndReleasesItOnClose() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (EmbeddedApiServer fixed = EmbeddedApiServer.start(port)) {
            assertThat(fixed.port()).isEqualTo(port);
            assertThat(get(fixed, "/version").status()).isEqualTo(200);
        }
        try (ServerSocket again = new ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void installedCrdIsEstablishedAndServesItsKind() {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("widgets.example.com").get();
        assertThat(crd.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        String ns = unique("crd");
        EmbeddedTestSupport.createWidget(client, ns, "w", 1, "red");
        // resolved through discovery rather than an explicit context
        assertThat(client.genericKubernetesResources("example.com/v1", "Widget").inNamespace(ns).list().getItems())
                .extracting(r -> r.getMetadata().getName()).containsExactly("w");
    }

    @Test
    void installsCrdsFromTheClasspath() {
        // this test's class path has no META-INF/fabric8 CRDs unless the build generated some; both are fine
        List<CustomResourceDefinition> installed = server.installCrdsFromClasspath();
        for (CustomResourceDefinition crd : installed) {
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get())
                    .isNotNull();
        }
    }

    @Test
    void discoveryDescribesBuiltinsAndCrds() {
        JsonNode core = get(server, "/api/v1").body();
        assertThat(core.path("kind").asText()).isEqualTo("APIResourceList");
        assertThat(names(core)).contains("namespaces", "configmaps", "secrets", "events", "pods", "pods/status",
                "services", "serviceaccounts", "endpoints");
        assertThat(get(server, "/api").body().path("versions").get(0).asText()).isEqualTo("v1");

        JsonNode groups = get(server, "/apis").body();
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        assertThat(groups.findValuesAsText("name")).contains("apps", "batch", "events.k8s.io", "coordination.k8s.io",
                "networking.k8s.io", "rbac.authorization.k8s.io", "apiextensions.k8s.io", "example.com");

        JsonNode widgets = get(server, "/apis/example.com/v1").body();
        assertThat(widgets.path("groupVersion").asText()).isEqualTo("example.com/v1");
        JsonNode widget = widgets.path("resources").get(0);
        assertThat(widget.path("name").asText()).isEqualTo("widgets");
        assertThat(widget.path("singularName").asText()).isEqualTo("widget");
        assertThat(widget.path("namespaced").asBoolean()).isTrue();
        assertThat(widget.path("kind").asText()).isEqualTo("Widget");
        assertThat(widget.path("shortNames").toString()).isEqualTo("[\"wd\",\"wdg\"]");
        assertThat(widget.path("categories").toString()).isEqualTo("[\"gadgets\"]");
        assertThat(widget.path("verbs").toString()).contains("\"watch\"", "\"patch\"");
        assertThat(names(widgets)).containsExactly("widgets", "widgets/status");

        assertThat(get(server, "/apis/example.com").body().path("preferredVersion").path("version").asText())
                .isEqualTo("v1");
        assertThat(get(server, "/apis/nothing.example.org/v1").status()).isEqualTo(404);
        assertThat(get(server, "/openapi/v2").status()).isEqualTo(404);
        assertThat(get(server, "/openapi/v3").status()).isEqualTo(404);

        // the fabric8 client's own discovery calls see the same thing
        assertThat(client.getApiResources("batch/v1").getResources()).extracting(APIResource::getName)
                .contains("jobs", "cronjobs");
    }

    @Test
    void crdsCreatedLaterAppearInDiscoveryAndDeletedOnesDisappear() {
        assertThat(get(server, "/apis/later.example.com/v1").status()).isEqualTo(404);
        CustomResourceDefinition gizmos = new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("gizmos.later.example.com").endMetadata()
                .withNewSpec().withGroup("later.example.com").withScope("Cluster")
                .withNewNames().withPlural("gizmos").withSingular("gizmo").withKind("Gizmo").endNames()
                .addNewVersion().withName("v1alpha1").withServed(true).withStorage(false).endVersion()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
                .endSpec().build();
        client.apiextensions().v1().customResourceDefinitions().resource(gizmos).create();

        JsonNode list = get(server, "/apis/later.example.com/v1").body();
        assertThat(list.path("resources").get(0).path("namespaced").asBoolean()).isFalse();
        JsonNode group = get(server, "/apis/later.example.com").body();
        assertThat(group.path("preferredVersion").path("version").asText()).isEqualTo("v1");
        assertThat(group.findValuesAsText("version")).containsExactly("v1", "v1alpha1", "v1");

        client.apiextensions().v1().customResourceDefinitions().withName("gizmos.later.example.com").delete();
        assertThat(get(server, "/apis/later.example.com/v1").status()).isEqualTo(404);
    }

    @Test
    void appliesADirectoryCreatingNamespacesAndEncodingSecretStringData(@TempDir Path dir) throws Exception {
        String ns = unique("apply");
        String manifest = Files.readString(EmbeddedTestSupport.resource("manifests/app.yaml")).replace("shop", ns);
        Files.writeString(dir.resolve("b-app.yaml"), manifest);
        Files.writeString(dir.resolve("a-extra.yml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: first
                  namespace: %s
                data:
                  k: v
                """.formatted(ns));
        Files.writeString(dir.resolve("ignored.txt"), "not yaml");

        List<HasMetadata> applied = server.apply(dir);

        // files in name order, documents in file order; the ConfigMap's namespace is created on demand
        assertThat(applied).extracting(HasMetadata::getKind)
                .containsExactly("ConfigMap", "Namespace", "Secret", "ConfigMap", "Widget");
        assertThat(applied.get(2)).isInstanceOf(Secret.class);
        assertThat(client.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Active");
        Secret secret = client.secrets().inNamespace(ns).withName("credentials").get();
        assertThat(secret.getStringData()).isNullOrEmpty();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
                .isEqualTo("s3cret");
        GenericKubernetesResource widget = client.genericKubernetesResources(WIDGETS).inNamespace(ns)
                .withName("blue-widget").get();
        assertThat(widget.<Integer>get("spec", "size")).isEqualTo(3);

        // applying the same files again changes nothing
        String before = widget.getMetadata().getResourceVersion();
        server.apply(dir);
        assertThat(client.genericKubernetesResources(WIDGETS).inNamespace(ns).withName("blue-widget").get()
                .getMetadata().getResourceVersion()).isEqualTo(before);
    }

    @Test
    void applyPutsNamespacelessObjectsInDefaultAndRejectsUnknownKinds() {
        String name = unique("cm");
        List<HasMetadata> applied = server.applyYaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                data:
                  a: b
                """.formatted(name));
        assertThat(applied.get(0)).isInstanceOf(ConfigMap.class);
        assertThat(client.configMaps().inNamespace("default").withName(name).get().getData()).containsEntry("a", "b");

        assertThatThrownBy(() -> server.applyYaml("""
                apiVersion: unknown.example.org/v1
                kind: Thing
                metadata:
                  name: x
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Thing");
    }

    @Test
    void secretStringDataIsConvertedOnEveryWritePath() {
        String ns = unique("secret");
        client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata()
                .addToData("kept", Base64.getEncoder().encodeToString("old".getBytes(StandardCharsets.UTF_8)))
                .addToStringData("token", "abc").build()).create();
        Secret created = client.secrets().inNamespace(ns).withName("s").get();
        assertThat(created.getStringData()).isNullOrEmpty();
        assertThat(created.getData()).containsEntry("token", "YWJj").containsKey("kept");

        client.secrets().inNamespace(ns).withName("s").edit(s -> new SecretBuilder(s).addToStringData("kept", "new")
                .build());
        assertThat(client.secrets().inNamespace(ns).withName("s").get().getData()).containsEntry("kept", "bmV3");
    }

    @Test
    void listenersSeeEveryRequestWithIdentityHeaders() {
        List<ApiRequest> seen = new CopyOnWriteArrayList<>();
        java.util.function.Consumer<ApiRequest> listener = seen::add;
        server.addRequestListener(listener);
        try (KubernetesClient impersonating = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(server.clientConfig()).withImpersonateUsername("alice").build()).build()) {
            String name = unique("listened");
            impersonating.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
                    .build()).create();
            impersonating.configMaps().withName(name + "-missing").get();

            assertThat(seen).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("POST");
                assertThat(r.path()).isEqualTo("/api/v1/namespaces/default/configmaps");
                assertThat(r.status()).isEqualTo(201);
                assertThat(r.impersonateUser()).isEqualTo("alice");
                assertThat(r.userAgent()).startsWith("fabric8-kubernetes-client");
                assertThat(r.contentType()).startsWith("application/json");
                assertThat(r.header("Impersonate-User")).isEqualTo("alice");
            });
            assertThat(seen).anySatisfy(r -> {
                assertThat(r.method()).isEqualTo("GET");
                assertThat(r.path()).endsWith("/" + name + "-missing");
                assertThat(r.status()).isEqualTo(404);
            });
        } finally {
            server.removeRequestListener(listener);
        }
        int count = seen.size();
        client.configMaps().list();
        assertThat(seen).hasSize(count);
    }

    @Test
    void rejectsDryRunAndPlainHttpWatchesWithAStatus() {
        EmbeddedTestSupport.Reply dryRun = EmbeddedTestSupport.http(server, "POST",
                "/api/v1/namespaces/default/configmaps?dryRun=All", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}", Map.of());
        assertThat(dryRun.status()).isEqualTo(400);
        assertThat(client.configMaps().withName("dry").get()).isNull();

        EmbeddedTestSupport.Reply watch = get(server, "/api/v1/namespaces/default/configmaps?watch=true");
        assertThat(watch.status()).isEqualTo(400);
        assertThat(watch.body().path("kind").asText()).isEqualTo("Status");
        assertThat(watch.body().path("message").asText()).contains("WebSocket");
    }

    private static List<String> names(JsonNode resourceList) {
        return resourceList.path("resources").findValuesAsText("name");
    }
}
