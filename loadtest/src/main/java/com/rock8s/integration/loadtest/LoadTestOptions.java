package com.rock8s.integration.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

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
 * @param replicas operator replicas started as separate JVMs (local and embedded targets)
 * @param shards shard count passed to every replica ({@code SHARD_COUNT})
 * @param killReplica whether phase (f) kills a replica; needs at least two replicas
 * @param baselineCouplings couplings written directly by the harness in phase (a)
 * @param reconcileThreads {@code MAX_CONCURRENT_RECONCILES} of each replica, also the baseline's concurrency
 * @param replicaHeap {@code -Xmx} of each replica JVM
 * @param leaseSeconds {@code LEASE_DURATION_SECONDS} of each replica; renew deadline and retry period follow from it
 * @param phaseTimeoutSeconds how long the harness waits for one phase to settle before it records a timeout
 * @param target {@code local} (start a real control plane and replicas), {@code embedded} (start fabric8's mock API
 *               and replicas, for comparison) or {@code kubeconfig} (the operator already runs there)
 * @param outputDirectory where report.json, latencies.csv and report.html go
 * @param apiPort port of the embedded API, 0 for any free port
 * @param interactive whether the progress bar redraws one line (a terminal) or prints a line now and then (a log)
 * @param profile whether each replica records a Java Flight Recorder CPU profile, summarised after the run
 * @param operatorMetrics the operator replicas' {@code /metrics} URLs on a cluster (kubeconfig target), from which
 *                        requests and writes per coupling are counted; empty counts nothing there
 */
public record LoadTestOptions(int plugs, int sockets, int namespaces, double createRate, double churnRate,
                              int churnSeconds, int hotPlugs, int replicas, int shards, boolean killReplica,
                              int baselineCouplings, int reconcileThreads, String replicaHeap, int leaseSeconds,
                              int phaseTimeoutSeconds, Target target, Path outputDirectory, int apiPort,
                              boolean interactive, boolean profile, List<URI> operatorMetrics) {

    /** Where the operator runs. */
    public enum Target {
        /**
         * A real control plane (etcd, kube-apiserver, kube-controller-manager of deploy/local-cluster) started for the
         * run, and replicas as child JVMs with the operator's ServiceAccount token.
         */
        LOCAL,
        /** An embedded API (fabric8's mock) in this JVM and replicas as child JVMs: a comparison target. */
        EMBEDDED,
        /** The cluster in KUBECONFIG, with the operator already deployed. */
        KUBECONFIG
    }

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("--kill-replica", "--no-progress", "--profile");

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
        require(target == Target.KUBECONFIG || replicas > 0,
                "--replicas must be at least 1 unless the operator already runs (--target kubeconfig)");
        require(apiPort == 0 || target == Target.EMBEDDED, "--api-port is the embedded API's port (--target embedded)");
        require(shards > 0, "--shards must be positive");
        require(baselineCouplings > 0, "--baseline must be positive");
        require(reconcileThreads > 0, "--threads must be positive");
        require(leaseSeconds >= 3, "--lease-seconds must be at least 3");
        require(phaseTimeoutSeconds > 0, "--phase-timeout must be positive");
        require(operatorMetrics.isEmpty() || target == Target.KUBECONFIG,
                "--operator-metrics is for --target kubeconfig (the local and embedded targets know their replicas)");
        operatorMetrics = List.copyOf(operatorMetrics);
    }

    /** The defaults of {@code run}. */
    public static LoadTestOptions defaults() {
        return parse(List.of());
    }

    private static Path defaultOutput() {
        return Path.of("loadtest-out",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
    }

    /**
     * Parses the options of {@code run}; each option's default is stated here and nowhere else.
     *
     * @param args the arguments after the subcommand
     * @return the options, defaults where not given
     * @throws IllegalArgumentException for an unknown option or a bad value
     */
    public static LoadTestOptions parse(List<String> args) {
        Map<String, String> given = given(args);
        int plugs = take(given, "--plugs", 5000, LoadTestOptions::integer);
        LoadTestOptions options = new LoadTestOptions(plugs,
                take(given, "--sockets", 100, LoadTestOptions::integer),
                take(given, "--namespaces", 100, LoadTestOptions::integer),
                take(given, "--rate", 100.0, LoadTestOptions::decimal),
                take(given, "--churn-rate", 2.0, LoadTestOptions::decimal),
                take(given, "--duration", 30, LoadTestOptions::seconds),
                take(given, "--hot-plugs", Math.min(2000, plugs), LoadTestOptions::integer),
                take(given, "--replicas", 1, LoadTestOptions::integer),
                take(given, "--shards", 16, LoadTestOptions::integer),
                given.remove("--kill-replica") != null,
                take(given, "--baseline", Math.min(1000, plugs), LoadTestOptions::integer),
                take(given, "--threads", 10, LoadTestOptions::integer),
                take(given, "--replica-heap", "768m", (option, value) -> value),
                take(given, "--lease-seconds", 15, LoadTestOptions::integer),
                take(given, "--phase-timeout", 900, LoadTestOptions::seconds),
                take(given, "--target", Target.LOCAL, LoadTestOptions::target),
                take(given, "--out", defaultOutput(), (option, value) -> Path.of(value)),
                take(given, "--api-port", 0, LoadTestOptions::integer),
                given.remove("--no-progress") == null && System.console() != null,
                given.remove("--profile") != null,
                take(given, "--operator-metrics", List.of(), LoadTestOptions::uris));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option '" + given.keySet().iterator().next() + "'");
        }
        return options;
    }

    /** Each option given, in order, with its value ({@code --name value} or {@code --name=value}); flags map to "". */
    private static Map<String, String> given(List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            String value = null;
            int eq = option.indexOf('=');
            if (option.startsWith("--") && eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            }
            if (FLAGS.contains(option)) {
                value = "";
            } else if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                value = args.get(++i);
            }
            given.put(option, value);
        }
        return given;
    }

    /** Removes {@code option} from what was given and parses its value, or returns {@code fallback}. */
    private static <T> T take(Map<String, String> given, String option, T fallback,
                              BiFunction<String, String, T> parse) {
        String value = given.remove(option);
        return value == null ? fallback : parse.apply(option, value);
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
        if (!operatorMetrics.isEmpty()) {
            b.append(" --operator-metrics ").append(String.join(",", operatorMetrics.stream().map(URI::toString)
                    .toList()));
        }
        return b.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static Target target(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "local" -> Target.LOCAL;
            case "embedded" -> Target.EMBEDDED;
            case "kubeconfig" -> Target.KUBECONFIG;
            default -> throw new IllegalArgumentException(option + " is local, embedded or kubeconfig");
        };
    }

    /** Comma-separated http(s) URLs. */
    private static List<URI> uris(String option, String value) {
        List<URI> out = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                URI uri = new URI(part.trim());
                require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
                        option + " needs http(s) URLs, got '" + part.trim() + "'");
                out.add(uri);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(option + " needs http(s) URLs, got '" + part.trim() + "'", e);
            }
        }
        return out;
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
