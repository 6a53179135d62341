package com.rock8s.integration.operator.coupling;

import static org.assertj.core.api.Assertions.assertThat;

import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketSpec;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectViewsTest {
    private final ObjectViews views = new ObjectViews(100);

    @Test
    void viewsUseJsonNamesDropManagedFieldsAndAreUnmodifiableAllTheWayDown() {
        Map<String, Object> view = views.of(socket("7"));

        @SuppressWarnings("unchecked")
        Map<String, Object> metadata = (Map<String, Object>) view.get("metadata");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) view.get("spec");
        assertThat(metadata).containsEntry("name", "db").doesNotContainKey("managedFields");
        assertThat(spec.get("config")).isEqualTo(Map.of("host", "db.local"));
        assertThat(view).isUnmodifiable();
        assertThat(spec).isUnmodifiable();
        assertThat((Map<?, ?>) spec.get("config")).isUnmodifiable();
        assertThat((List<?>) metadata.get("finalizers")).isUnmodifiable();
    }

    @Test
    void oneViewPerObjectVersion() {
        Map<String, Object> first = views.of(socket("7"));
        Map<String, Object> next = views.of(socket("8"));

        assertThat(views.of(socket("7"))).isSameAs(first);
        assertThat(next).isNotSameAs(first);
        assertThat(((Map<?, ?>) first.get("metadata")).get("resourceVersion")).isEqualTo("7");
        assertThat(((Map<?, ?>) next.get("metadata")).get("resourceVersion")).isEqualTo("8");
    }

    private static Socket socket(String resourceVersion) {
        Socket socket = new Socket();
        socket.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace("ns").withUid("uid-1")
                .withResourceVersion(resourceVersion).withFinalizers("integration.rock8s.com/finalizer")
                .withManagedFields(new ManagedFieldsEntry()).build());
        SocketSpec spec = new SocketSpec();
        spec.setConfig(Map.of("host", "db.local"));
        socket.setSpec(spec);
        return socket;
    }
}
