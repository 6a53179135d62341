package com.rock8s.integration.operator.config;

import java.util.Map;
import java.util.Optional;

/** Reads the Secrets and ConfigMaps that feed data, config and result; Secret values come back decoded. */
public interface SourceReader {
    Optional<Map<String, String>> secret(String namespace, String name);

    Optional<Map<String, String>> configMap(String namespace, String name);
}
