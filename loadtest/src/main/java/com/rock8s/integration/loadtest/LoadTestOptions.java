package com.rock8s.integration.loadtest;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one load-test run does, from the command line of {@code run}.
 *
 * @param plugs plugs created in phase (c)
 * @param sockets sockets the plugs spread over (round robin)
 * @param namespaces namespaces the plugs spread over (round robin); each has one config Secret
 * @param createRate plugs created per second in phase (c); 0 creates as fast as the harness can
 * @param churnRate socket or Secret updates per second in phase (d)
 * @param churnSeconds how long phase (d) issues updates
 * @param hotPlugs plugs created at once against one socket in phase (e); 0 skips the phase
 * @param replicas operator replicas started as separate JVMs (embedded target only)
 * @param shards shard count passed to every replica ({@code SHARD_COUNT})
 * @param killReplica whether phase (f) kills a replica; needs at least two replicas
 * @param baselineCouplings couplings written directly by the harness in phase (a)
 * @param reconcileThreads {@code MAX_CONCURRENT_RECONCILES} of each replica, also the baseline's concurrency
 * @param replicaHeap {@code -Xmx} of each replica JVM
 * @param leaseSeconds {@code LEASE_DURATION_SECONDS} of each replica; renew deadline and retry period follow from it
 * @param phaseTimeoutSeconds how long the harness waits for one phase to settle before it records a timeout
 * @param target {@code embedded} (start an API and replicas) or {@code kubeconfig} (the operator already runs there)
 * @param outputDirectory where report.json, latencies.csv and report.html go
 * @param apiPort port of the embedded API, 0 for any free port
 * @param interactive whether the progress bar redraws one line (a terminal) or prints a line now and then (a log)
 * @param profile whether each replica records a Java Flight Recorder CPU profile, summarised after the run
 */
public record LoadTestOptions(int plugs, int sockets, int namespaces, double createRate, double churnRate,
                              int churnSeconds, int hotPlugs, int replicas, int shards, boolean killReplica,
                              int baselineCouplings, int reconcileThreads, String replicaHeap, int leaseSeconds,
                              int phaseTimeoutSeconds, Target target, Path outputDirectory, int apiPort,
                              boolean interactive, boolean profile) {

    /** Where the operator runs. */
    public enum Target {
        /** An embedded API in this JVM and replicas as child JVMs. */
        EMBEDDED,
        /** The cluster in KUBECONFIG, with the operator already deployed. */
        KUBECONFIG
    }

    /** Checks the combination makes sense. */
    public LoadTestOptions {
        require(plugs > 0, "--plugs must be positive");
        require(sockets > 0, "--sockets must be positive");
        require(namespaces > 0, "--namespaces must be positive");
        require(createRate >= 0, "--rate must not be negative");
        require(churnRate >= 0, "--churn-rate must not be negative");
        require(churnSeconds >= 0, "--duration must not be negative");
        require(hotPlugs >= 0, "--hot-plugs must not be negative");
        require(replicas >= 0, "--replicas must not be negative");
        require(target == Target.KUBECONFIG || replicas > 0, "--replicas must be at least 1 on the embedded API");
        require(shards > 0, "--shards must be positive");
        require(baselineCouplings > 0, "--baseline must be positive");
        require(reconcileThreads > 0, "--threads must be positive");
        require(leaseSeconds >= 3, "--lease-seconds must be at least 3");
        require(phaseTimeoutSeconds > 0, "--phase-timeout must be positive");
    }

    /** The defaults of {@code run}. */
    public static LoadTestOptions defaults() {
        return new LoadTestOptions(5000, 100, 100, 100, 2, 30, 2000, 1, 16, false, 1000, 10, "768m", 6, 900,
                Target.EMBEDDED, defaultOutput(), 0, System.console() != null, false);
    }

    private static Path defaultOutput() {
        return Path.of("loadtest-out",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    /**
     * Parses the options of {@code run}.
     *
     * @param args the arguments after the subcommand
     * @return the options, defaults where not given
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    public static LoadTestOptions parse(List<String> args) {
        LoadTestOptions o = defaults();
        int plugs = o.plugs;
        int sockets = o.sockets;
        int namespaces = o.namespaces;
        double rate = o.createRate;
        double churn = o.churnRate;
        int duration = o.churnSeconds;
        Integer hot = null;
        int replicas = o.replicas;
        int shards = o.shards;
        boolean kill = o.killReplica;
        Integer baseline = null;
        int threads = o.reconcileThreads;
        String heap = o.replicaHeap;
        int lease = o.leaseSeconds;
        int timeout = o.phaseTimeoutSeconds;
        Target target = o.target;
        Path out = o.outputDirectory;
        int port = o.apiPort;
        boolean interactive = o.interactive;
        boolean profile = o.profile;
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < rest.size(); i++) {
            String option = rest.get(i);
            String value = null;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            }
            switch (option) {
                case "--kill-replica" -> kill = true;
                case "--no-progress" -> interactive = false;
                case "--profile" -> profile = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= rest.size()) {
                            throw new IllegalArgumentException(option + " needs a value");
                        }
                        value = rest.get(++i);
                    }
                    switch (option) {
                        case "--plugs" -> plugs = integer(option, value);
                        case "--sockets" -> sockets = integer(option, value);
                        case "--namespaces" -> namespaces = integer(option, value);
                        case "--rate" -> rate = decimal(option, value);
                        case "--churn-rate" -> churn = decimal(option, value);
                        case "--duration" -> duration = seconds(option, value);
                        case "--hot-plugs" -> hot = integer(option, value);
                        case "--replicas" -> replicas = integer(option, value);
                        case "--shards" -> shards = integer(option, value);
                        case "--baseline" -> baseline = integer(option, value);
                        case "--threads" -> threads = integer(option, value);
                        case "--replica-heap" -> heap = value;
                        case "--lease-seconds" -> lease = integer(option, value);
                        case "--phase-timeout" -> timeout = seconds(option, value);
                        case "--target" -> target = switch (value.toLowerCase(Locale.ROOT)) {
                            case "embedded" -> Target.EMBEDDED;
                            case "kubeconfig" -> Target.KUBECONFIG;
                            default -> throw new IllegalArgumentException("--target is embedded or kubeconfig");
                        };
                        case "--out" -> out = Path.of(value);
                        case "--api-port" -> port = integer(option, value);
                        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                    }
                }
            }
        }
        int hotPlugs = hot != null ? hot : Math.min(2000, plugs);
        int baselineCouplings = baseline != null ? baseline : Math.min(1000, plugs);
        return new LoadTestOptions(plugs, sockets, namespaces, rate, churn, duration, hotPlugs, replicas, shards, kill,
                baselineCouplings, threads, heap, lease, timeout, target, out, port, interactive, profile);
    }

    /** The options as a user would type them, for the report and the README's results table. */
    public String commandLine() {
        StringBuilder b = new StringBuilder("java -jar loadtest/target/integration-loadtest.jar run");
        b.append(" --plugs ").append(plugs).append(" --sockets ").append(sockets)
                .append(" --namespaces ").append(namespaces).append(" --rate ").append(number(createRate))
                .append(" --churn-rate ").append(number(churnRate)).append(" --duration ").append(churnSeconds)
                .append(" --hot-plugs ").append(hotPlugs).append(" --replicas ").append(replicas)
                .append(" --shards ").append(shards);
        if (killReplica) {
            b.append(" --kill-replica");
        }
        if (profile) {
            b.append(" --profile");
        }
        b.append(" --target ").append(target.name().toLowerCase(Locale.ROOT));
        return b.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static int integer(String option, String value) {
        try {
            return Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'", e);
        }
    }

    private static double decimal(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number, got '" + value + "'", e);
        }
    }

    /** Seconds, with an optional {@code s} or {@code m} suffix. */
    private static int seconds(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("m")) {
            return integer(option, v.substring(0, v.length() - 1)) * 60;
        }
        if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        }
        return integer(option, v);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
