package com.rock8s.integration.operator.embedded;

import com.rock8s.integration.operator.testing.Kubectl;
import com.rock8s.integration.operator.testing.Kubectl.Run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock kubectl against the embedded server: the commands the README's embedded-mode section
 * promises. Skipped when kubectl is not installed.
 */
class EmbeddedKubectlTest {

    private EmbeddedApiServer server;
    private KubernetesClient client;
    private Kubectl kubectl;

    @TempDir
    Path home;

    @BeforeEach
    void start() {
        server = EmbeddedApiServer.start(0);
        client = server.newClient();
        kubectl = Kubectl.find(server.url(), home).orElse(null);
        assumeTrue(kubectl != null, "kubectl is not installed");
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Runs kubectl and asserts that it failed; the caller checks why. */
    private Run fails(String... args) throws IOException, InterruptedException {
        Run run = kubectl.run(args);
        assertThat(run.exit()).as("kubectl %s", String.join(" ", args)).isNotZero();
        return run;
    }

    private Run ok(String... args) throws IOException, InterruptedException {
        return kubectl.ok(args);
    }

    private void installWidgets() throws IOException, InterruptedException {
        ok("apply", "--validate=false", "-f", EmbeddedTestSupport.resource("widgets-crd.yaml").toString());
    }

    private String manifest() {
        return EmbeddedTestSupport.resource("manifests/app.yaml").toString();
    }

    @Test
    void clientSideApplyCreatesThenUpdates() throws Exception {
        installWidgets();
        Run created = ok("apply", "--validate=false", "-f", manifest());
        assertThat(created.out()).contains("namespace/shop created", "secret/credentials created",
                "configmap/settings created", "widget.example.com/blue-widget created");

        Secret secret = client.secrets().inNamespace("shop").withName("credentials").get();
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("username")), StandardCharsets.UTF_8))
                .isEqualTo("admin");
        assertThat(secret.getStringData()).isNullOrEmpty();

        Path changed = home.resolve("changed.yaml");
        Files.writeString(changed, Files.readString(Path.of(manifest())).replace("size: 3", "size: 4")
                .replace("mode: fast", "mode: slow"));
        Run updated = ok("apply", "--validate=false", "-f", changed.toString());
        assertThat(updated.out()).contains("configmap/settings configured", "widget.example.com/blue-widget configured");
        assertThat(client.configMaps().inNamespace("shop").withName("settings").get().getData())
                .containsEntry("mode", "slow");
        GenericKubernetesResource widget = client.genericKubernetesResources(EmbeddedTestSupport.WIDGETS)
                .inNamespace("shop").withName("blue-widget").get();
        assertThat(widget.<Integer>get("spec", "size")).isEqualTo(4);
        assertThat(widget.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void serverSideApplyCreatesThenUpdates() throws Exception {
        installWidgets();
        Run created = ok("apply", "--server-side", "--validate=false", "-f", manifest());
        assertThat(created.out()).contains("namespace/shop serverside-applied", "secret/credentials serverside-applied",
                "widget.example.com/blue-widget serverside-applied");
        Run again = ok("apply", "--server-side", "--validate=false", "-f", manifest());
        assertThat(again.out()).contains("configmap/settings serverside-applied");
        assertThat(client.secrets().inNamespace("shop").withName("credentials").get().getData())
                .containsKeys("username", "password");
        assertThat(client.genericKubernetesResources(EmbeddedTestSupport.WIDGETS).inNamespace("shop")
                .withName("blue-widget").get().getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void getShowsPrinterColumnsNamespacesAndCategories() throws Exception {
        installWidgets();
        ok("apply", "--validate=false", "-f", manifest());

        Run all = ok("get", "widgets", "-A");
        String[] lines = all.out().strip().split("\n");
        assertThat(lines[0]).containsSubsequence("NAMESPACE", "NAME", "SIZE", "COLOR", "COUPLED", "AGE");
        assertThat(lines[1]).containsSubsequence("shop", "blue-widget", "3", "blue");

        assertThat(ok("get", "gadgets", "-n", "shop").out()).contains("blue-widget");
        assertThat(ok("get", "wd", "-n", "shop", "-o", "name").out().strip())
                .isEqualTo("widget.example.com/blue-widget");
        assertThat(ok("get", "secrets", "-n", "shop").out()).containsSubsequence("NAME", "TYPE", "DATA", "AGE",
                "credentials", "Opaque", "2");
        assertThat(ok("get", "ns").out()).containsSubsequence("shop", "Active");
        assertThat(ok("get", "widget", "blue-widget", "-n", "shop", "-o", "jsonpath={.spec.color}").out())
                .isEqualTo("blue");
        assertThat(ok("api-resources", "--api-group=example.com").out()).containsSubsequence("widgets", "wd,wdg",
                "example.com/v1", "true", "Widget");

        Run missing = fails("get", "widget", "nope", "-n", "shop");
        assertThat(missing.err()).contains("widgets.example.com \"nope\" not found");
    }

    @Test
    void describeLabelPatchAndDelete() throws Exception {
        installWidgets();
        ok("apply", "--validate=false", "-f", manifest());

        Run described = ok("describe", "widget", "blue-widget", "-n", "shop");
        assertThat(described.out()).contains("Name:", "blue-widget", "Namespace:", "shop", "Kind:", "Widget", "Events:");

        ok("label", "widget", "blue-widget", "-n", "shop", "env=prod");
        assertThat(ok("get", "wd", "-n", "shop", "-l", "env in (prod,dev)", "-o", "name").out())
                .contains("blue-widget");
        assertThat(ok("get", "wd", "-n", "shop", "-l", "env notin (prod)", "-o", "name").out()).isBlank();

        ok("patch", "widget", "blue-widget", "-n", "shop", "--type=merge", "-p", "{\"spec\":{\"color\":null,\"size\":7}}");
        GenericKubernetesResource patched = client.genericKubernetesResources(EmbeddedTestSupport.WIDGETS)
                .inNamespace("shop").withName("blue-widget").get();
        assertThat(patched.<java.util.Map<String, Object>>get("spec")).doesNotContainKey("color").containsEntry("size", 7);

        ok("patch", "configmap", "settings", "-n", "shop", "-p", "{\"data\":{\"extra\":\"1\"}}");
        assertThat(client.configMaps().inNamespace("shop").withName("settings").get().getData())
                .containsEntry("mode", "fast").containsEntry("extra", "1");

        Run deleted = ok("delete", "widget", "blue-widget", "-n", "shop");
        assertThat(deleted.out()).contains("widget.example.com \"blue-widget\" deleted");
        assertThat(client.genericKubernetesResources(EmbeddedTestSupport.WIDGETS).inNamespace("shop")
                .withName("blue-widget").get()).isNull();
        Run gone = fails("get", "widget", "blue-widget", "-n", "shop");
        assertThat(gone.err()).contains("NotFound");
    }

    @Test
    void createFromFileAndReportsAlreadyExists() throws Exception {
        installWidgets();
        ok("create", "--validate=false", "-f", manifest());
        Run again = fails("create", "--validate=false", "-f", manifest());
        assertThat(again.err()).contains("AlreadyExists", "widgets.example.com \"blue-widget\" already exists");
    }
}
