package com.rock8s.integration.operator.telemetry;

/**
 * Where work runs, for span attributes and log fields: this replica's name and the shard a namespace belongs to.
 * Sharding supplies its own; a single replica serves every namespace as shard {@code 0}.
 */
public interface Placement {
    String replica();

    String shardOf(String namespace);

    /** One replica holding every namespace. */
    static Placement single(String replica) {
        return new Placement() {
            @Override
            public String replica() {
                return replica;
            }

            @Override
            public String shardOf(String namespace) {
                return "0";
            }
        };
    }
}
