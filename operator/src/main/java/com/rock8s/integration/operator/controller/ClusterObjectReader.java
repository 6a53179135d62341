package com.rock8s.integration.operator.controller;

import com.rock8s.integration.operator.identity.Impersonation;
import com.fasterxml.jackson.databind.JsonNode;
import com.rock8s.integration.operator.config.ObjectReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;

/** Reads var targets through the API as the owner's service account. */
final class ClusterObjectReader implements ObjectReader {
    private final Impersonation identities;

    ClusterObjectReader(Impersonation identities) {
        this.identities = identities;
    }

    @Override
    public Optional<JsonNode> read(String apiVersion, String kind, String namespace, String name,
                                   String serviceAccount) {
        try {
            GenericKubernetesResource object = identities.as(serviceAccount).genericKubernetesResources(apiVersion, kind)
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
