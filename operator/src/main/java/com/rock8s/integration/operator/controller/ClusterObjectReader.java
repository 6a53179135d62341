package com.rock8s.integration.operator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.rock8s.integration.operator.config.ObjectReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;

/** Reads var targets through the API. */
final class ClusterObjectReader implements ObjectReader {
    private final KubernetesClient client;

    ClusterObjectReader(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<JsonNode> read(String apiVersion, String kind, String namespace, String name,
                                   String serviceAccount) {
        try {
            GenericKubernetesResource object = client.genericKubernetesResources(apiVersion, kind)
                    .inNamespace(namespace).withName(name).get();
            return Optional.ofNullable(object).map(o -> Serialization.jsonMapper().valueToTree(o));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
