package com.rock8s.integration.sharding;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

/**
 * How namespaces are sharded and how shard Leases are held.
 *
 * @param shards        number of shards S ({@code SHARD_COUNT}, default 16); every replica must use the same value
 * @param leaseDuration how long a Lease is valid after its last renew ({@code LEASE_DURATION_SECONDS}, default 15)
 * @param renewDeadline a replica stops work on a shard it could not renew for this long
 *                      ({@code LEASE_RENEW_DEADLINE_SECONDS}, default 10); less than the lease duration
 * @param retryPeriod   how often Leases are renewed and free shards looked for ({@code LEASE_RETRY_PERIOD_SECONDS},
 *                      default 2); less than the renew deadline
 * @param namespace     where the Leases live ({@code POD_NAMESPACE}, default {@code integration-operator})
 * @param identity      this replica, the Leases' holder ({@code POD_NAME}, else the host name)
 * @param leasePrefix   Lease names are {@code <prefix>-shard-<k>} and {@code <prefix>-member-<identity>}
 *                      ({@code LEASE_NAME_PREFIX}, default {@code integration-operator})
 */
public record ShardingSettings(int shards, Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                               String namespace, String identity, String leasePrefix) {

    public ShardingSettings {
        if (shards < 1) {
            throw new IllegalArgumentException("SHARD_COUNT must be at least 1, got " + shards);
        }
        if (renewDeadline.compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("the lease renew deadline (" + renewDeadline
                    + ") must be shorter than the lease duration (" + leaseDuration + ")");
        }
        if (retryPeriod.compareTo(renewDeadline) >= 0 || retryPeriod.isZero() || retryPeriod.isNegative()) {
            throw new IllegalArgumentException("the lease retry period (" + retryPeriod
                    + ") must be positive and shorter than the renew deadline (" + renewDeadline + ")");
        }
        if (identity == null || identity.isBlank()) {
            throw new IllegalArgumentException("a replica needs an identity (POD_NAME)");
        }
    }

    /** Settings from environment variables, with the defaults above. */
    public static ShardingSettings fromEnvironment(Map<String, String> env) {
        return new ShardingSettings(
                number(env, "SHARD_COUNT", 16),
                Duration.ofSeconds(number(env, "LEASE_DURATION_SECONDS", 15)),
                Duration.ofSeconds(number(env, "LEASE_RENEW_DEADLINE_SECONDS", 10)),
                Duration.ofSeconds(number(env, "LEASE_RETRY_PERIOD_SECONDS", 2)),
                text(env, "POD_NAMESPACE", "integration-operator"),
                text(env, "POD_NAME", hostName()),
                text(env, "LEASE_NAME_PREFIX", "integration-operator"));
    }

    /** The same settings for another replica. */
    public ShardingSettings withIdentity(String otherIdentity) {
        return new ShardingSettings(shards, leaseDuration, renewDeadline, retryPeriod, namespace, otherIdentity,
                leasePrefix);
    }

    String shardLeaseName(int shard) {
        return shardLeasePrefix() + shard;
    }

    String shardLeasePrefix() {
        return leasePrefix + "-shard-";
    }

    String memberLeaseName(String member) {
        return leasePrefix + "-member-" + member;
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "integration-operator";
        }
    }
}
