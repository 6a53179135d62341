package com.rock8s.integration.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Reads arbitrary objects for vars, as a given identity (the owner's service account). */
public interface ObjectReader {
    /**
     * The object, or empty when it does not exist.
     *
     * @param apiVersion {@code group/version} or {@code v1}
     * @param namespace the owner's namespace; ignored for cluster-scoped kinds
     * @param serviceAccount {@code system:serviceaccount:<ns>:<name>} to act as
     */
    Optional<JsonNode> read(String apiVersion, String kind, String namespace, String name, String serviceAccount);
}
