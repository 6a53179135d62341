package com.rock8s.integration.operator.deferred;

/** One object a DeferredResource waits for, with its namespace resolved to the DeferredResource's. */
public record WaitTarget(String apiVersion, String kind, String namespace, String name) {
    /** {@code Kind namespace/name}, as condition messages name it. */
    public String describe() {
        return kind + " " + namespace + "/" + name;
    }
}
