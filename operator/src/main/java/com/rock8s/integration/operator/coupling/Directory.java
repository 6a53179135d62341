package com.rock8s.integration.operator.coupling;

import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import java.util.List;
import java.util.Optional;

/** Where the coupling engine finds plugs and sockets (the controllers' informer caches). */
public interface Directory {
    Optional<Socket> socket(String namespace, String name);

    Optional<Plug> plug(String namespace, String name);

    /** The cached plugs whose status says they are coupled to the socket with this uid. */
    List<Plug> plugsCoupledTo(String socketUid);

    /** True when this replica caches the plugs of {@code namespace}, so an absent plug there really is gone. */
    boolean serves(String namespace);
}
