package com.rock8s.integration.operator.coupling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.config.InputLog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digest of a coupling's inputs: both specs, the socket's identity, and every Secret, ConfigMap and var value the
 * configs were resolved from. {@code updated} fires when it changes; an operator restart with unchanged inputs
 * computes the same digest and fires nothing.
 */
final class InputDigest {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
            .build();

    private InputDigest() {
    }

    static String of(Plug plug, Socket socket, InputLog log) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("plugSpec", plug.getSpec());
        inputs.put("socketSpec", socket.getSpec());
        inputs.put("socketUid", socket.getMetadata().getUid());
        inputs.put("sources", log.inputs());
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(inputs);
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical);
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest coupling inputs", e);
        }
    }
}
