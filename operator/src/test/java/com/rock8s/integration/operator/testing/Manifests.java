package com.rock8s.integration.operator.testing;

import com.rock8s.integration.operator.api.InterfaceProperty;
import com.rock8s.integration.operator.api.InterfaceSides;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugSpec;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.api.SocketInterface;
import com.rock8s.integration.operator.api.SocketSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Small builders for the objects tests create. */
public final class Manifests {
    private Manifests() {
    }

    public static Socket socket(String namespace, String name, Consumer<SocketSpec> spec) {
        Socket socket = new Socket();
        socket.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        SocketSpec socketSpec = new SocketSpec();
        spec.accept(socketSpec);
        socket.setSpec(socketSpec);
        return socket;
    }

    public static Plug plug(String namespace, String name, String socketNamespace, String socketName,
                            Consumer<PlugSpec> spec) {
        Plug plug = new Plug();
        plug.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        PlugSpec plugSpec = new PlugSpec();
        plugSpec.setSocket(new NamespacedName(socketName, socketNamespace));
        spec.accept(plugSpec);
        plug.setSpec(plugSpec);
        return plug;
    }

    public static Secret secret(String namespace, String name, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(data).build();
    }

    public static ConfigMap configMap(String namespace, String name, Map<String, String> values) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(values).build();
    }

    /** An interface whose only rule is that the plug must provide config {@code key}. */
    public static SocketInterface requiresPlugConfig(String key) {
        InterfaceProperty required = new InterfaceProperty();
        required.setRequired(true);
        InterfaceSides sides = new InterfaceSides();
        sides.setPlug(Map.of(key, required));
        SocketInterface socketInterface = new SocketInterface();
        socketInterface.setConfig(sides);
        return socketInterface;
    }

    public static <T> Consumer<T> none() {
        return t -> { };
    }
}
