package com.rock8s.integration.operator.embedded;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the embedded-API tests that share one server per class with the widgets CRD installed. */
abstract class WidgetApiTest {
    static EmbeddedApiServer server;
    static KubernetesClient client;

    @BeforeAll
    static void startServer() {
        server = EmbeddedApiServer.start(0);
        server.installCrds(EmbeddedTestSupport.widgetCrd());
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }
}
