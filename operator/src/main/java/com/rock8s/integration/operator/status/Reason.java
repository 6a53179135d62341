package com.rock8s.integration.operator.status;

/**
 * Condition reasons. The first group keeps the Go operator's names so dashboards and scripts built on them keep
 * working; the rest name one bad input each, so a user knows what to fix from {@code kubectl get plugs}.
 */
public enum Reason {
    PLUG_CREATED("PlugCreated", "plug created"),
    SOCKET_NOT_CREATED("SocketNotCreated", "waiting for socket to be created"),
    COUPLING_SUCCEEDED("CouplingSucceeded", "coupling succeeded"),
    SOCKET_CREATED("SocketCreated", "socket created"),
    SOCKET_COUPLED("SocketCoupled", "plugs coupled"),
    SOCKET_EMPTY("SocketEmpty", "0 plugs coupled"),
    SOCKET_DELETING("SocketDeleting", "socket is being deleted"),
    SOCKET_FULL("SocketFull", "the socket already has as many plugs as its limit allows"),
    SECRET_NOT_FOUND("SecretNotFound", "a referenced Secret does not exist"),
    CONFIG_MAP_NOT_FOUND("ConfigMapNotFound", "a referenced ConfigMap does not exist"),
    CONFIG_INVALID("ConfigInvalid", "config does not satisfy the socket interface"),
    RESULT_PENDING("ResultPending", "a required result is not available yet"),
    TEMPLATE_ERROR("TemplateError", "a template failed to render"),
    NAMESPACE_FORBIDDEN("NamespaceForbidden", "the socket does not accept plugs from this namespace"),
    INVALID_SPEC("InvalidSpec", "the spec is invalid"),
    VAR_ERROR("VarError", "a var could not be resolved"),
    RESOURCE_ERROR("ResourceError", "a templated resource could not be applied or deleted"),
    RESOURCE_FORBIDDEN("ResourceForbidden",
            "the owner's service account may not apply or delete a templated resource"),
    API_ERROR("ApiError", "the Kubernetes API call failed"),
    APPARATUS_ERROR("ApparatusError", "the apparatus answered a call with an error status"),
    APPARATUS_UNAVAILABLE("ApparatusUnavailable", "the apparatus could not be reached or did not answer in time");

    private final String value;
    private final String defaultMessage;

    Reason(String value, String defaultMessage) {
        this.value = value;
        this.defaultMessage = defaultMessage;
    }

    /** The CamelCase reason written into conditions and Events. */
    public String value() {
        return value;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
