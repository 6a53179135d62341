package com.rock8s.integration.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** The keys each side of a coupling must or may provide; an omitted side is not validated. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InterfaceSides {
    @JsonPropertyDescription("keys the plug provides; if present (even empty) only these are kept, absent means the "
            + "plug side is not validated")
    private Map<String, InterfaceProperty> plug;
    @JsonPropertyDescription("keys the socket provides; if present (even empty) only these are kept, absent means the "
            + "socket side is not validated")
    private Map<String, InterfaceProperty> socket;

    public Map<String, InterfaceProperty> getPlug() { return plug; }
    public void setPlug(Map<String, InterfaceProperty> plug) { this.plug = plug; }
    public Map<String, InterfaceProperty> getSocket() { return socket; }
    public void setSocket(Map<String, InterfaceProperty> socket) { this.socket = socket; }
}
