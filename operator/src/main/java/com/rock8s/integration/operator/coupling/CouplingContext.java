package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import java.util.Map;

/** Everything one coupling step knows about both sides once their configs are resolved and validated. */
public record CouplingContext(Plug plug, Socket socket, Map<String, String> plugData, Map<String, String> socketData,
                              Map<String, String> plugVars, Map<String, String> socketVars,
                              Map<String, String> plugConfig, Map<String, String> socketConfig) {
    public CouplingContext {
        plugData = Map.copyOf(plugData);
        plugVars = Map.copyOf(plugVars);
        socketVars = Map.copyOf(socketVars);
        socketData = Map.copyOf(socketData);
        plugConfig = Map.copyOf(plugConfig);
        socketConfig = Map.copyOf(socketConfig);
    }

    /** A context for a side whose configs cannot be computed (decoupling must still go ahead). */
    public static CouplingContext withoutConfig(Plug plug, Socket socket) {
        return new CouplingContext(plug, socket, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }
}
