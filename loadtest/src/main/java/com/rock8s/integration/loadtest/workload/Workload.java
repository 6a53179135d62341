package com.rock8s.integration.loadtest.workload;

import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.PlugSpec;
import com.rock8s.integration.operator.api.Socket;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The objects of a run, named deterministically so that every phase can find a plug's socket and namespace from its
 * index alone.
 *
 * <p>Each socket has an interface (the plug must give {@code database}, the socket gives {@code host} and
 * {@code port}) and one small resource template, a ConfigMap rendered from both configs, so each coupling validates,
 * renders and applies something. Each plug takes its config from its namespace's Secret, so a Secret update wakes
 * every plug of that namespace and a socket update every plug of that socket.
 */
public final class Workload {
    /** Label on every object the harness creates, so leftovers are easy to find. */
    public static final String LABEL = "integration.rock8s.com/loadtest";
    /** Namespace of the sockets. */
    public static final String SOCKET_NAMESPACE = "lt-sockets";
    /** Namespace of phase (a)'s plugs, deleted before the operator starts. */
    public static final String BASELINE_NAMESPACE = "lt-baseline";
    /** The Secret in every plug namespace that feeds the plugs' config. */
    public static final String CONFIG_SECRET = "lt-config";
    /** The socket of phase (e). */
    public static final String HOT_SOCKET = "hot";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final int sockets;
    private final int namespaces;

    /**
     * @param sockets how many sockets plugs spread over
     * @param namespaces how many namespaces plugs spread over
     */
    public Workload(int sockets, int namespaces) {
        this.sockets = sockets;
        this.namespaces = namespaces;
    }

    public int sockets() {
        return sockets;
    }

    public int namespaces() {
        return namespaces;
    }

    /** Name of the i-th plug namespace. */
    public static String namespace(int index) {
        return String.format("lt-ns-%04d", index);
    }

    /** Name of the i-th socket. */
    public static String socketName(int index) {
        return String.format("s-%04d", index);
    }

    /** Name of the i-th plug of phase (c). */
    public static String plugName(int index) {
        return String.format("p-%05d", index);
    }

    /** Name of the i-th plug of phase (e). */
    public static String hotPlugName(int index) {
        return String.format("h-%05d", index);
    }

    /** Where the i-th plug of phase (c) lives. */
    public NamespacedName plug(int index) {
        return new NamespacedName(plugName(index), namespace(index % namespaces));
    }

    /** Where the i-th plug of phase (e) lives. */
    public NamespacedName hotPlug(int index) {
        return new NamespacedName(hotPlugName(index), namespace(index % namespaces));
    }

    /** The socket index the i-th plug of phase (c) couples to. */
    public int socketOf(int plugIndex) {
        return plugIndex % sockets;
    }

    /** The namespace index of the i-th plug (both phases). */
    public int namespaceOf(int plugIndex) {
        return plugIndex % namespaces;
    }

    public static Namespace namespaceObject(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(LABEL, "true").endMetadata()
                .build();
    }

    /**
     * What the socket templates need: plugs and sockets apply their templated objects as their own service account
     * (impersonation), so every service account of {@code namespace} gets the built-in ClusterRole {@code edit} there.
     */
    public static RoleBinding serviceAccountsEdit(String namespace) {
        return new RoleBindingBuilder().withNewMetadata().withName("loadtest-serviceaccounts-edit")
                .withNamespace(namespace).addToLabels(LABEL, "true").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit")
                .endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group")
                .withName("system:serviceaccounts:" + namespace).endSubject()
                .build();
    }

    /** The config Secret of a plug namespace; {@code generation} makes each churn write a real change. */
    public static Secret configSecret(String namespace, long generation) {
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder().withName(CONFIG_SECRET).withNamespace(namespace)
                        .addToLabels(LABEL, "true").build())
                .withData(Map.of(
                        "database", encode("db_" + namespace.replace('-', '_')),
                        "revision", encode(Long.toString(generation))))
                .build();
    }

    /** A socket with an interface and one ConfigMap template; {@code port} is what churn changes. */
    public static Socket socket(String name, int port) {
        String yaml = """
                apiVersion: integration.rock8s.com/v1beta1
                kind: Socket
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    %s: "true"
                spec:
                  interface:
                    config:
                      plug:
                        database: {required: true}
                      socket:
                        host: {required: true}
                        port: {default: "5432"}
                  config:
                    host: %s.%s.svc
                    port: "%d"
                  resources:
                    - when: [coupled, updated]
                      do: apply
                      template:
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: "{{ plug.metadata.namespace }}.{{ plug.metadata.name }}"
                        data:
                          url: "postgres://{{ socketConfig.host }}:{{ socketConfig.port }}/{{ plugConfig.database }}"
                """.formatted(name, SOCKET_NAMESPACE, LABEL, name, SOCKET_NAMESPACE, port);
        return SERIALIZATION.unmarshal(yaml, Socket.class);
    }

    /** A plug that takes its config from its namespace's Secret. */
    public static Plug plug(NamespacedName where, String socketName) {
        Plug plug = new Plug();
        plug.setMetadata(new ObjectMetaBuilder().withName(where.getName()).withNamespace(where.getNamespace())
                .addToLabels(LABEL, "true").build());
        PlugSpec spec = new PlugSpec();
        spec.setSocket(new NamespacedName(socketName, SOCKET_NAMESPACE));
        spec.setConfigSecretName(CONFIG_SECRET);
        plug.setSpec(spec);
        return plug;
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
