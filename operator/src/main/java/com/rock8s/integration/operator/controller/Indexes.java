package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.api.IntegrationSpec;
import com.rock8s.integration.operator.api.Plug;
import java.util.ArrayList;
import java.util.List;

/** Cache index names and the keys plugs and sockets are indexed by. */
final class Indexes {
    /** Plugs by the socket they reference or are coupled to: {@code namespace/name}. */
    static final String PLUG_BY_SOCKET = "socket";
    /** Plugs by the uid of the socket their status says they are coupled to. */
    static final String PLUG_BY_COUPLED_SOCKET_UID = "coupledSocketUid";
    /** Plugs and sockets by the Secrets/ConfigMaps they read: {@code secret/ns/name}, {@code configmap/ns/name}. */
    static final String BY_SOURCE = "source";

    private Indexes() {
    }

    static List<String> socketKeys(Plug plug) {
        List<String> keys = new ArrayList<>(2);
        plug.socketRef().ifPresent(ref -> keys.add(ref.getNamespace() + "/" + ref.getName()));
        if (plug.getStatus() != null && plug.getStatus().getCoupledSocket() != null) {
            String coupled = plug.getStatus().getCoupledSocket().key();
            if (!keys.contains(coupled)) {
                keys.add(coupled);
            }
        }
        return keys;
    }

    static List<String> coupledSocketUid(Plug plug) {
        if (plug.getStatus() == null || plug.getStatus().getCoupledSocket() == null
                || plug.getStatus().getCoupledSocket().getUid() == null) {
            return List.of();
        }
        return List.of(plug.getStatus().getCoupledSocket().getUid());
    }

    static List<String> sourceKeys(String namespace, IntegrationSpec spec) {
        List<String> keys = new ArrayList<>(4);
        if (spec == null) {
            return keys;
        }
        for (String secret : new String[] {spec.getDataSecretName(), spec.getConfigSecretName(),
                spec.getResultSecretName()}) {
            if (secret != null && !secret.isBlank()) {
                keys.add(secretKey(namespace, secret));
            }
        }
        for (String configMap : new String[] {spec.getDataConfigMapName(), spec.getConfigConfigMapName(),
                spec.getResultConfigMapName()}) {
            if (configMap != null && !configMap.isBlank()) {
                keys.add(configMapKey(namespace, configMap));
            }
        }
        return keys;
    }

    static String secretKey(String namespace, String name) {
        return "secret/" + namespace + "/" + name;
    }

    static String configMapKey(String namespace, String name) {
        return "configmap/" + namespace + "/" + name;
    }
}
