package com.rock8s.integration.loadtest.run;

import com.rock8s.integration.loadtest.LoadTestOptions;
import com.rock8s.integration.loadtest.cluster.LocalCluster;
import com.rock8s.integration.loadtest.measure.FlowControl;
import com.rock8s.integration.loadtest.measure.LatencySample;
import com.rock8s.integration.loadtest.measure.OperatorRequestMetrics;
import com.rock8s.integration.loadtest.measure.PlugTracker;
import com.rock8s.integration.loadtest.measure.RequestCounter;
import com.rock8s.integration.loadtest.measure.Summary;
import com.rock8s.integration.loadtest.profile.CpuProfile;
import com.rock8s.integration.loadtest.replica.MetricsSample;
import com.rock8s.integration.loadtest.replica.ReplicaFleet;
import com.rock8s.integration.loadtest.replica.ReplicaProcess;
import com.rock8s.integration.loadtest.report.Report;
import com.rock8s.integration.loadtest.report.ReportWriter;
import com.rock8s.integration.loadtest.workload.Workload;
import com.rock8s.integration.operator.api.NamespacedName;
import com.rock8s.integration.operator.api.Plug;
import com.rock8s.integration.operator.api.Socket;
import com.rock8s.integration.operator.embedded.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * One load-test run: phases (a) to (g) against a local control plane started for the run with replica JVMs (the
 * default), against the embedded API with replica JVMs (a comparison target), or against the cluster in KUBECONFIG
 * where the operator already runs, then the report.
 */
public final class LoadTest {
    private static final double MIB = 1024.0 * 1024.0;
    private static final String CREATE = "create";
    private static final String UPDATE = "update";
    private static final String HOT = "hot";
    private static final String RECOVER = "recover";
    private static final String DELETE = "delete";
    /** In the name of every shard Lease, never of a membership Lease (see ShardingSettings). */
    private static final String SHARD_LEASE_INFIX = "-shard-";
    /**
     * Threads of the harness's unpaced writes (setup, the hot socket's creates, deletions). A real API server under
     * load answers a create in 100 ms and more, so a handful of threads would make the harness, not the operator,
     * what limits a phase: on the local control plane 2 paced threads achieved 14 creates/s of the 100/s asked.
     */
    static final int DRIVER_THREADS = 32;

    private final LoadTestOptions options;
    private final PrintStream out;
    private final Workload workload;
    private final long runStart = System.nanoTime();
    private final List<Report.Phase> phases = new ArrayList<>();
    private final Map<String, Long> harnessErrors = new TreeMap<>();
    private final List<String> limits = new ArrayList<>();
    private final AtomicLong churnCounter = new AtomicLong();

    private EmbeddedApiServer server;
    private LocalCluster local;
    /** The API and credentials the replicas' kubeconfig names. */
    private Config replicaApi;
    /** The server's priority-and-fairness counters before the baseline's and the plugs' timed work. */
    private FlowControl.Snapshot flowBeforeBaseline = FlowControl.Snapshot.EMPTY;
    private FlowControl.Snapshot flowBeforePlugs = FlowControl.Snapshot.EMPTY;
    private RequestCounter counter;
    /** The operator's own client metrics: the count on a cluster, a cross-check on the embedded API. */
    private OperatorRequestMetrics operatorMetrics;
    private KubernetesClient client;
    private KubernetesClient baselineClient;
    private ReplicaFleet fleet;
    private PlugTracker tracker;

    private long plugsCreated;
    private long hotCreated;
    private long updatesExpected;
    private long recoveriesExpected;
    private long plugsDeleted;
    private double recoverySeconds = -1;
    private Map<String, MetricsSample> idle = Map.of();
    private Map<String, MetricsSample> withPlugs = Map.of();
    private double cpuSecondsOverCreate;
    private RequestCounter.Snapshot createRequests = RequestCounter.Snapshot.NONE;
    private double baselinePerSecond;
    private double createdPerSecond;

    /**
     * @param options what to run
     * @param out where the progress bar and the phase lines go
     */
    public LoadTest(LoadTestOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.workload = new Workload(options.sockets(), options.namespaces());
    }

    /**
     * Runs every phase and writes the report.
     *
     * @return the report that was written
     * @throws IOException when the report cannot be written
     */
    public Report run() throws IOException {
        String startedAt = Instant.now().toString();
        try (Parallel parallel = new Parallel(Math.max(DRIVER_THREADS, options.reconcileThreads()))) {
            connect();
            tracker = new PlugTracker(runStart).start(client);
            baseline();
            if (options.target() != LoadTestOptions.Target.KUBECONFIG) {
                startReplicas();
            }
            sockets(parallel);
            plugs();
            churn();
            hotSocket();
            killReplica();
            delete(parallel);
            mergeFailures(parallel.failures());
            summariseProfiles();
            // one copy: the CSV rows and the report's sample count and series must agree
            List<LatencySample> samples = tracker.samples();
            Report report = report(startedAt, samples);
            ReportWriter.write(options.outputDirectory(), report, samples);
            return report;
        } finally {
            close();
        }
    }

    private void connect() {
        Config base;
        Config writer;
        switch (options.target()) {
            case LOCAL -> {
                local = LocalCluster.start(LocalCluster.repositoryRoot(),
                        options.outputDirectory().resolve("local-cluster").toAbsolutePath(),
                        options.outputDirectory().resolve("logs").resolve("local-cluster.log"));
                log("cluster", "target=local dir=" + local.directory() + " log="
                        + options.outputDirectory().resolve("logs").resolve("local-cluster.log"));
                // the harness drives and watches as the admin (exempt from priority and fairness, so never the
                // bottleneck); the replicas and the baseline's timed writes use the operator's ServiceAccount
                base = local.adminConfig();
                writer = local.operatorConfig();
                replicaApi = local.operatorConfig();
            }
            case EMBEDDED -> {
                server = EmbeddedApiServer.start(options.apiPort());
                server.installCrdsFromClasspath();
                counter = new RequestCounter();
                server.addRequestListener(counter);
                // the replicas read a kubeconfig with nothing but the URL: the same settings as this default config
                base = Config.autoConfigure(null);
                base = new ConfigBuilder(base).withMasterUrl(server.url()).withNamespace("default").build();
                writer = base;
                replicaApi = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).build();
            }
            default -> {
                base = Config.autoConfigure(null);
                writer = base;
                if (!options.operatorMetrics().isEmpty()) {
                    operatorMetrics = new OperatorRequestMetrics(options::operatorMetrics);
                }
            }
        }
        // fabric8's defaults, as the operator has them: no client-side rate limit, and the Vert.x client it uses
        // ignores maxConcurrentRequests(PerHost) (its pool allows thousands of connections)
        baselineClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(writer)
                .withUserAgent(RequestCounter.HARNESS_AGENT + "/baseline").build()).build();
        // the driver must not be what limits the run, so it may hold more requests in flight than the operator
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(base)
                .withUserAgent(RequestCounter.HARNESS_AGENT + "/driver").withMaxConcurrentRequests(256)
                .withMaxConcurrentRequestsPerHost(256).build()).build();
    }

    private void baseline() {
        int n = options.baselineCouplings();
        Baseline baseline = new Baseline(client, baselineClient);
        try (Parallel prep = new Parallel(DRIVER_THREADS); Parallel work = new Parallel(options.reconcileThreads())) {
            prep.forEach(1, i -> baseline.prepare(n, prep));
            RequestCounter.Snapshot before = snapshot();
            flowBeforeBaseline = flowControl();
            long start = System.nanoTime();
            long done;
            AtomicLong progress = new AtomicLong();
            try (ProgressBar bar = ProgressBar.start(out, "(a) raw baseline", n, progress::get, () -> "",
                    options.interactive())) {
                done = work.forEach(n, i -> {
                    baseline.couple(i);
                    progress.incrementAndGet();
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            baselinePerSecond = done / seconds;
            RequestCounter.Snapshot during = snapshot().minus(before);
            String flow = flowNote(flowBeforeBaseline);
            phase("a", "raw baseline: a coupling's minimal writes, sent directly", seconds, done, Summary.EMPTY,
                    during, false, Baseline.WRITES_PER_COUPLING + " writes per coupling (finalizer patch, "
                            + "server-side apply of the rendered ConfigMap as the plug's service account, status update, Event) on "
                            + options.reconcileThreads() + " threads, the operator's reconcile threads"
                            + (local != null ? ", as the operator's ServiceAccount" : "") + "; "
                            + (options.target() == LoadTestOptions.Target.KUBECONFIG
                            ? "the operator already running on the cluster also sees these plugs" : "no replica runs yet")
                            + flow);
            prep.forEach(1, i -> baseline.cleanUp(n, prep));
            mergeFailures(work.failures());
            mergeFailures(prep.failures());
        }
    }

    private void startReplicas() {
        Map<String, String> env = new HashMap<>();
        env.put("MAX_CONCURRENT_RECONCILES", Integer.toString(options.reconcileThreads()));
        env.put("SHARD_COUNT", Integer.toString(options.shards()));
        env.put("POD_NAMESPACE", ReplicaFleet.LEASE_NAMESPACE);
        int lease = options.leaseSeconds();
        env.put("LEASE_DURATION_SECONDS", Integer.toString(lease));
        env.put("LEASE_RENEW_DEADLINE_SECONDS", Integer.toString(Math.max(2, lease * 2 / 3)));
        env.put("LEASE_RETRY_PERIOD_SECONDS", Integer.toString(Math.max(1, lease / 4)));
        client.namespaces().resource(Workload.namespaceObject(ReplicaFleet.LEASE_NAMESPACE)).createOr(c -> c.update());
        long start = System.nanoTime();
        fleet = ReplicaFleet.start(options.replicas(), replicaApi, env, options.replicaHeap(),
                options.outputDirectory(), options.profile(), runStart);
        operatorMetrics = new OperatorRequestMetrics(() -> fleet.replicas().stream()
                .flatMap(r -> r.metricsUri().stream()).toList());
        log("replicas", "count=" + options.replicas() + " seconds=" + fmt((System.nanoTime() - start) / 1e9)
                + " pids=" + fleet.replicas().stream().map(r -> Long.toString(r.pid())).toList());
        idle = fleet.settledSample();
    }

    private void sockets(Parallel parallel) {
        RequestCounter.Snapshot before = snapshot();
        long start = System.nanoTime();
        client.namespaces().resource(Workload.namespaceObject(Workload.SOCKET_NAMESPACE)).createOr(c -> c.update());
        client.resource(Workload.serviceAccountsEdit(Workload.SOCKET_NAMESPACE)).createOr(c -> c.update());
        parallel.forEach(options.namespaces(), i -> {
            String ns = Workload.namespace(i);
            client.namespaces().resource(Workload.namespaceObject(ns)).createOr(c -> c.update());
            client.resource(Workload.serviceAccountsEdit(ns)).createOr(c -> c.update());
            client.resource(Workload.configSecret(ns, 0)).createOr(c -> c.update());
        });
        parallel.forEach(options.sockets(), i -> client.resource(Workload.socket(Workload.socketName(i), 5432))
                .create());
        boolean settled;
        try (ProgressBar bar = ProgressBar.start(out, "(b) sockets created", options.sockets(),
                tracker::socketsCreated, () -> "", options.interactive())) {
            settled = await(() -> tracker.socketsCreated() >= options.sockets());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        phase("b", "sockets created (with " + options.namespaces() + " namespaces and their Secrets)", seconds,
                tracker.socketsCreated(), Summary.EMPTY, snapshot().minus(before), !settled,
                "until every socket ran its own created");
    }

    private void plugs() {
        RequestCounter.Snapshot before = snapshot();
        RequestCounter.Snapshot clientBefore = counter != null && operatorMetrics != null
                ? operatorMetrics.snapshot() : null;
        Map<String, Double> cpuBefore = cpuSeconds();
        flowBeforePlugs = flowControl();
        double phaseStartMs = sinceStart();
        boolean settled;
        try (Parallel creators = new Parallel(creatorThreads(options.createRate()));
             ProgressBar bar = ProgressBar.start(out, "(c) plugs coupled", options.plugs(),
                     () -> tracker.coupled(CREATE), () -> p99(CREATE), options.interactive())) {
            long createStart = System.nanoTime();
            plugsCreated = creators.paced(options.plugs(), options.createRate(), i -> {
                NamespacedName where = workload.plug(i);
                tracker.expectCreate(PlugTracker.key(where), CREATE);
                client.resource(Workload.plug(where, Workload.socketName(workload.socketOf(i)))).create();
            });
            createdPerSecond = plugsCreated / Math.max(1e-9, (System.nanoTime() - createStart) / 1e9);
            mergeFailures(creators.failures());
            settled = await(() -> tracker.coupled(CREATE) >= plugsCreated);
        }
        double seconds = (lastEventMillis(CREATE, phaseStartMs) - phaseStartMs) / 1000;
        createRequests = snapshot().minus(before);
        String crossCheck = "";
        if (clientBefore != null) {
            RequestCounter.Snapshot client = operatorMetrics.snapshot().minus(clientBefore);
            crossCheck = "; the operator's own client metrics counted " + fmt(ratio(client.operatorRequests(),
                    tracker.coupled(CREATE))) + " requests and " + fmt(ratio(client.operatorWrites(),
                    tracker.coupled(CREATE))) + " writes per coupling";
        }
        if (createRequests.leaseRequests() > 0) {
            crossCheck += "; shard Lease requests, left out of the per-coupling figures: "
                    + createRequests.leaseRequests() + " (" + fmt(createRequests.leaseRequests()
                    / Math.max(1e-9, (sinceStart() - phaseStartMs) / 1000)) + "/s)";
        }
        crossCheck += flowNote(flowBeforePlugs);
        Map<String, Double> cpuAfter = cpuSeconds();
        cpuSecondsOverCreate = cpuAfter.entrySet().stream()
                .mapToDouble(e -> e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0.0)).sum();
        phase("c", "plugs created at " + (options.createRate() > 0 ? fmt(options.createRate()) + "/s" : "full speed")
                        + ", create → Coupled=True", seconds, tracker.coupled(CREATE),
                Summary.of(tracker.latencies(CREATE)), createRequests, !settled,
                "from the first create until the last plug was seen coupled; " + plugsCreated + " created at "
                        + fmt(createdPerSecond) + "/s achieved (the harness's creates slow down with the API)"
                        + crossCheck);
        if (fleet != null) {
            withPlugs = fleet.settledSample();
            List<java.nio.file.Path> histograms = fleet.writeClassHistograms(
                    options.outputDirectory().resolve("profiles"), "heap-after-plugs");
            if (!histograms.isEmpty()) {
                limits.add("What the replicas' heap holds with every plug coupled: the class histograms in "
                        + options.outputDirectory().resolve("profiles") + ".");
            }
        }
    }

    private void churn() {
        if (options.churnSeconds() == 0 || options.churnRate() == 0) {
            phase("d", "churn (skipped)", 0, 0, Summary.EMPTY, RequestCounter.Snapshot.NONE, false, "");
            return;
        }
        List<List<String>> bySocket = groups(options.sockets());
        List<List<String>> byNamespace = groups(options.namespaces());
        addKeys(bySocket, options.plugs(), workload::plug, workload::socketOf);
        addKeys(byNamespace, options.plugs(), workload::plug, workload::namespaceOf);
        RequestCounter.Snapshot before = snapshot();
        double phaseStartMs = sinceStart();
        int operations = (int) Math.max(1, Math.round(options.churnRate() * options.churnSeconds()));
        AtomicLong expected = new AtomicLong();
        boolean settled;
        try (Parallel churner = new Parallel(2);
             ProgressBar bar = ProgressBar.start(out, "(d) churn, updated", 0, () -> tracker.changed(UPDATE),
                     () -> "waiting " + tracker.pending(UPDATE) + " " + p99(UPDATE), options.interactive())) {
            churner.paced(operations, options.churnRate(), k -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long revision = churnCounter.incrementAndGet();
                if (k % 2 == 0) {
                    int s = random.nextInt(options.sockets());
                    bySocket.get(s).forEach(key -> count(expected, tracker.expectChange(key, UPDATE)));
                    client.resources(Socket.class).inNamespace(Workload.SOCKET_NAMESPACE)
                            .withName(Workload.socketName(s)).patch(PatchContext.of(PatchType.JSON_MERGE),
                                    "{\"spec\":{\"config\":{\"port\":\"" + (10000 + revision) + "\"}}}");
                } else {
                    int n = random.nextInt(options.namespaces());
                    byNamespace.get(n).forEach(key -> count(expected, tracker.expectChange(key, UPDATE)));
                    patchSecret(Workload.namespace(n), revision);
                }
            });
            mergeFailures(churner.failures());
            settled = await(() -> tracker.pending(UPDATE) == 0);
        }
        updatesExpected = expected.get();
        double seconds = (lastEventMillis(UPDATE, phaseStartMs) - phaseStartMs) / 1000;
        phase("d", "churn: " + fmt(options.churnRate()) + " socket or Secret updates/s for " + options.churnSeconds()
                        + " s, change → updated", seconds, tracker.changed(UPDATE),
                Summary.of(tracker.latencies(UPDATE)), snapshot().minus(before), !settled,
                operations + " updates, each waking every plug of its socket or namespace; " + updatesExpected
                        + " plug updates expected");
    }

    private void hotSocket() {
        if (options.hotPlugs() == 0) {
            phase("e", "hot socket (skipped)", 0, 0, Summary.EMPTY, RequestCounter.Snapshot.NONE, false, "");
            return;
        }
        client.resource(Workload.socket(Workload.HOT_SOCKET, 5432)).create();
        await(() -> tracker.socketCreated(Workload.SOCKET_NAMESPACE + "/" + Workload.HOT_SOCKET));
        RequestCounter.Snapshot before = snapshot();
        double phaseStartMs = sinceStart();
        boolean settled;
        try (Parallel creators = new Parallel(DRIVER_THREADS);
             ProgressBar bar = ProgressBar.start(out, "(e) hot socket coupled", options.hotPlugs(),
                     () -> tracker.coupled(HOT), () -> p99(HOT), options.interactive())) {
            hotCreated = creators.forEach(options.hotPlugs(), i -> {
                NamespacedName where = workload.hotPlug(i);
                tracker.expectCreate(PlugTracker.key(where), HOT);
                client.resource(Workload.plug(where, Workload.HOT_SOCKET)).create();
            });
            mergeFailures(creators.failures());
            settled = await(() -> tracker.coupled(HOT) >= hotCreated);
        }
        double seconds = (lastEventMillis(HOT, phaseStartMs) - phaseStartMs) / 1000;
        RequestCounter.Snapshot during = snapshot().minus(before);
        long socketStatusWrites = during.writesByResource().entrySet().stream()
                .filter(e -> e.getKey().endsWith(" sockets/status")).mapToLong(Map.Entry::getValue).sum();
        phase("e", "hot socket: " + options.hotPlugs() + " plugs created at once on one socket", seconds,
                tracker.coupled(HOT), Summary.of(tracker.latencies(HOT)), during, !settled,
                counter == null && operatorMetrics == null ? ""
                        : socketStatusWrites + " socket status writes for " + hotCreated + " plugs");
    }

    private void killReplica() {
        if (!options.killReplica() || fleet == null || fleet.replicas().size() < 2) {
            phase("f", "replica kill (not run" + (options.killReplica() ? ": needs 2+ embedded replicas" : "") + ")",
                    0, 0, Summary.EMPTY, RequestCounter.Snapshot.NONE, false,
                    "run with --kill-replica and --replicas 2 or more");
            return;
        }
        ReplicaProcess victim = fleet.replicas().get(0);
        // watched, not listed on every poll: a takeover shows in the informer's cache as it happens
        SharedIndexInformer<Lease> leases = client.resources(Lease.class).inNamespace(ReplicaFleet.LEASE_NAMESPACE)
                .inform();
        long held = leasesHeldBy(leases, victim.name());
        RequestCounter.Snapshot before = snapshot();
        double killedAtMs = sinceStart();
        long killedAt = System.nanoTime();
        victim.kill();
        // every plug gets a change it can only show once some live replica serves its shard
        AtomicLong expected = new AtomicLong();
        List<List<String>> byNamespace = groups(options.namespaces());
        addKeys(byNamespace, options.plugs(), workload::plug, workload::namespaceOf);
        addKeys(byNamespace, options.hotPlugs(), workload::hotPlug, workload::namespaceOf);
        boolean settled;
        double leaseTakeover = -1;
        try (leases; ProgressBar bar = ProgressBar.start(out, "(f) served after kill", 0,
                () -> tracker.changed(RECOVER), () -> "waiting " + tracker.pending(RECOVER), options.interactive())) {
            for (int n = 0; n < options.namespaces(); n++) {
                byNamespace.get(n).forEach(key -> count(expected, tracker.expectChange(key, RECOVER)));
                patchSecret(Workload.namespace(n), churnCounter.incrementAndGet());
            }
            // a takeover takes about one lease duration; waiting much longer would only hide a stuck Lease
            long leaseDeadline = killedAt + TimeUnit.SECONDS.toNanos(3L * options.leaseSeconds());
            double[] takeover = {-1};
            BooleanSupplier leasesFree = () -> {
                if (takeover[0] < 0 && held > 0 && System.nanoTime() < leaseDeadline
                        && leasesHeldBy(leases, victim.name()) == 0) {
                    takeover[0] = (System.nanoTime() - killedAt) / 1e9;
                }
                return takeover[0] >= 0 || held == 0 || System.nanoTime() >= leaseDeadline;
            };
            settled = await(() -> {
                leasesFree.getAsBoolean();
                return tracker.pending(RECOVER) == 0;
            });
            await(leasesFree);
            leaseTakeover = takeover[0];
        }
        recoveriesExpected = expected.get();
        recoverySeconds = (lastEventMillis(RECOVER, killedAtMs) - killedAtMs) / 1000;
        phase("f", "replica " + victim.name() + " killed, time until every plug is served again", recoverySeconds,
                tracker.changed(RECOVER), Summary.of(tracker.latencies(RECOVER)), snapshot().minus(before), !settled,
                "the killed replica held " + held + " shard Leases"
                        + (leaseTakeover >= 0 ? ", all taken over after " + fmt(leaseTakeover) + " s"
                        : held > 0 ? ", still naming it " + (3 * options.leaseSeconds()) + " s after the kill" : "")
                        + "; every namespace's Secret changed right after the kill");
        if (held == 0) {
            limits.add("No shard Lease was held by the killed replica (none found in namespace "
                    + ReplicaFleet.LEASE_NAMESPACE + "): the replicas do not shard yet, so the survivors already "
                    + "served every plug and every replica did every plug's work.");
        }
    }

    private void delete(Parallel parallel) {
        RequestCounter.Snapshot before = snapshot();
        double phaseStartMs = sinceStart();
        int total = options.plugs() + (int) hotCreated;
        boolean settled;
        try (ProgressBar bar = ProgressBar.start(out, "(g) plugs deleted, gone", total, () -> tracker.gone(DELETE),
                () -> p99(DELETE), options.interactive())) {
            plugsDeleted = parallel.forEach(total, i -> {
                NamespacedName where = i < options.plugs() ? workload.plug(i) : workload.hotPlug(i - options.plugs());
                tracker.expectDelete(PlugTracker.key(where), DELETE);
                client.resources(Plug.class).inNamespace(where.getNamespace()).withName(where.getName()).delete();
            });
            settled = await(() -> tracker.gone(DELETE) >= plugsDeleted);
        }
        double plugSeconds = (lastEventMillis(DELETE, phaseStartMs) - phaseStartMs) / 1000;
        long socketStart = System.nanoTime();
        int socketCount = options.sockets() + (options.hotPlugs() > 0 ? 1 : 0);
        client.resources(Socket.class).inNamespace(Workload.SOCKET_NAMESPACE).withLabel(Workload.LABEL).delete();
        boolean socketsGone;
        // a socket goes only once no plug is listed as coupled to it, so a stale list shows up here as a wait
        try (ProgressBar bar = ProgressBar.start(out, "(g) sockets gone", socketCount,
                () -> socketCount - tracker.sockets(Workload.SOCKET_NAMESPACE), () -> "", options.interactive())) {
            socketsGone = await(() -> tracker.sockets(Workload.SOCKET_NAMESPACE) == 0);
        }
        double socketSeconds = (System.nanoTime() - socketStart) / 1e9;
        long socketsLeft = tracker.sockets(Workload.SOCKET_NAMESPACE);
        phase("g", "deletion: plugs deleted → decoupled and gone, then sockets", plugSeconds + socketSeconds,
                tracker.gone(DELETE), Summary.of(tracker.latencies(DELETE)), snapshot().minus(before),
                !settled || !socketsGone, "plugs took " + fmt(plugSeconds) + " s, sockets " + fmt(socketSeconds)
                        + " s" + (socketsGone ? "" : " (" + socketsLeft + " sockets still present at timeout: "
                        + "their status still lists a coupled plug)"));
    }

    /** Stops the replicas so their recordings are written, then summarises each one. */
    private void summariseProfiles() {
        if (fleet == null || !options.profile()) {
            return;
        }
        fleet.close();
        java.nio.file.Path directory = options.outputDirectory().resolve("profiles");
        for (ReplicaProcess replica : fleet.replicas()) {
            java.nio.file.Path recording = directory.resolve(replica.name() + ".jfr");
            if (!java.nio.file.Files.isRegularFile(recording)) {
                continue;
            }
            try {
                java.nio.file.Path summary = CpuProfile.summarise(recording, 25);
                limits.add("Where " + replica.name() + " spends its CPU: " + summary + " (open " + recording
                        + " in JDK Mission Control for more).");
            } catch (IOException | RuntimeException e) {
                log("profile", "replica=" + replica.name() + " error=\"" + e.getMessage() + "\"");
            }
        }
    }

    private void patchSecret(String namespace, long revision) {
        client.secrets().inNamespace(namespace).withName(Workload.CONFIG_SECRET).patch(
                PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"revision\":\"" + java.util.Base64.getEncoder()
                        .encodeToString(Long.toString(revision).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        + "\"}}");
    }

    /**
     * Shard Leases ({@code <prefix>-shard-<k>}) naming {@code identity}. Each replica's membership Lease
     * ({@code <prefix>-member-<identity>}) names it too, but a killed replica's is never taken over, only left to
     * expire, so counting it made every kill look like a stuck shard.
     */
    private static long leasesHeldBy(SharedIndexInformer<Lease> leases, String identity) {
        return leases.getStore().list().stream()
                .filter(l -> l.getMetadata().getName().contains(SHARD_LEASE_INFIX))
                .filter(l -> l.getSpec() != null && identity.equals(l.getSpec().getHolderIdentity())).count();
    }

    private Report report(String startedAt, List<LatencySample> samples) {
        // the headline figures are the phases' own, computed once when each phase settled
        Report.Phase plugs = recorded("c");
        Report.Phase hot = recorded("e");
        long coupled = plugs.items();
        double couplingsPerSecond = plugs.perSecond();
        double hotPerSecond = hot.perSecond();
        Map<String, Double> writesPerCoupling = new LinkedHashMap<>();
        createRequests.writesByResource().forEach((k, v) -> writesPerCoupling.put(k, ratio(v, coupled)));
        Map<String, Long> errors = new TreeMap<>(harnessErrors);
        tracker.notReadyReasons().forEach((k, v) -> errors.put("plug Ready=False " + k, v));
        if (counter != null || operatorMetrics != null) {
            snapshot().errorsByStatus().forEach((k, v) -> errors.put("operator " + k, v));
        }
        List<Report.Replica> replicas = new ArrayList<>();
        Map<String, List<Report.HeapPoint>> heap = new LinkedHashMap<>();
        double heapIdle = 0;
        double heapWith = 0;
        if (fleet != null) {
            Map<String, List<MetricsSample>> series = fleet.series();
            for (ReplicaProcess r : fleet.replicas()) {
                List<MetricsSample> points = series.getOrDefault(r.name(), List.of());
                double idleHeap = idle.containsKey(r.name()) ? idle.get(r.name()).heapBytes() / MIB : 0;
                double withHeap = withPlugs.containsKey(r.name()) ? withPlugs.get(r.name()).heapBytes() / MIB : 0;
                heapIdle += idleHeap;
                heapWith += withHeap;
                double cpu = r.alive() ? r.cpuSeconds() : points.stream().mapToDouble(MetricsSample::cpuSeconds)
                        .max().orElse(0);
                replicas.add(new Report.Replica(r.name(), idleHeap, withHeap,
                        points.stream().mapToDouble(MetricsSample::heapBytes).max().orElse(0) / MIB, cpu,
                        points.stream().mapToDouble(MetricsSample::threads).max().orElse(0), r.killed()));
                heap.put(r.name(), points.stream().map(s -> new Report.HeapPoint(s.atMillis() / 1000,
                        s.heapBytes() / MIB, s.cpuUsage())).toList());
            }
        }
        Report.Figures figures = new Report.Figures(baselinePerSecond, Baseline.WRITES_PER_COUPLING,
                couplingsPerSecond, ratio(couplingsPerSecond, baselinePerSecond), hotPerSecond,
                ratio(hotPerSecond, baselinePerSecond), plugs.latency(), recorded("d").latency(), hot.latency(),
                recorded("f").latency(), recorded("g").latency(), recoverySeconds,
                ratio(createRequests.operatorRequests(), coupled), ratio(createRequests.operatorWrites(), coupled),
                writesPerCoupling, fleet == null ? 0 : ratio(Math.max(0, heapWith - heapIdle), coupled) * 1000,
                ratio(cpuSecondsOverCreate, coupled) * 1000, errors);
        Report.Counts counts = new Report.Counts(options.plugs(), plugsCreated, tracker.coupled(CREATE),
                options.hotPlugs(), hotCreated, tracker.coupled(HOT), updatesExpected, tracker.changed(UPDATE),
                recoveriesExpected, tracker.changed(RECOVER), plugsDeleted, tracker.gone(DELETE), samples.size());
        describeLimits(figures);
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        environment.put("java", System.getProperty("java.version"));
        environment.put("target", options.target().name().toLowerCase(java.util.Locale.ROOT));
        environment.put("api", server != null ? "embedded " + server.url()
                : local != null ? "local control plane " + client.getMasterUrl() + " (Kubernetes "
                + client.getKubernetesVersion().getGitVersion() + ")" : client.getMasterUrl().toString());
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("plugs", options.plugs());
        opts.put("sockets", options.sockets());
        opts.put("namespaces", options.namespaces());
        opts.put("rate", options.createRate());
        opts.put("churnRate", options.churnRate());
        opts.put("durationSeconds", options.churnSeconds());
        opts.put("hotPlugs", options.hotPlugs());
        opts.put("replicas", options.replicas());
        opts.put("shards", options.shards());
        opts.put("killReplica", options.killReplica());
        opts.put("baselineCouplings", options.baselineCouplings());
        opts.put("reconcileThreads", options.reconcileThreads());
        opts.put("replicaHeap", options.replicaHeap());
        opts.put("leaseSeconds", options.leaseSeconds());
        opts.put("outputDirectory", options.outputDirectory().toString());
        return new Report("integration-loadtest", startedAt, options.commandLine(), opts, environment,
                List.copyOf(phases), figures, replicas, counts, new Report.Series(latencySeries(samples),
                throughputSeries(samples), heap), List.copyOf(limits));
    }

    private void describeLimits(Report.Figures f) {
        if (server != null) {
            limits.add(0, "The embedded API is fabric8's mock server in CRUD mode under one lock. It finds a single "
                    + "object through a name index, but lists, watches and selectors still scan every stored "
                    + "object, so its rate falls as objects accumulate. The raw baseline ("
                    + fmt(f.baselineCouplingsPerSecond()) + " couplings/s with " + Baseline.WRITES_PER_COUPLING
                    + " writes each) measures that limit before the plugs exist; the plug phases run with "
                    + "thousands more objects in the store.");
            limits.add("All processes share " + Runtime.getRuntime().availableProcessors() + " cores: the API, "
                    + "the harness's watches and " + options.replicas() + " replica JVM(s).");
        } else if (local != null) {
            limits.add(0, "The API is a real kube-apiserver with etcd and kube-controller-manager (deploy/local-cluster), "
                    + "TLS and RBAC on, started for this run on this machine. The replicas and the baseline's writes "
                    + "authenticate as the operator's ServiceAccount (priority level of its flow schema in API "
                    + "Priority and Fairness), the harness as the admin (exempt). Requests and writes are counted "
                    + "from the operator's own integration_operator_api_requests_total on each replica's /metrics.");
            limits.add("All processes share " + Runtime.getRuntime().availableProcessors() + " cores: etcd, "
                    + "kube-apiserver, kube-controller-manager, the harness's watches and " + options.replicas()
                    + " replica JVM(s).");
        } else {
            limits.add(operatorMetrics != null
                    ? "Against a cluster the operator's requests are counted from its own "
                    + "integration_operator_api_requests_total on " + options.operatorMetrics() + " (requests a "
                    + "replica sent after its last scrape, e.g. just before it died, are missing); replica heap and "
                    + "CPU are not measured: read them from the cluster."
                    : "Against a cluster without --operator-metrics the operator's requests are not counted, and "
                    + "replica heap and CPU are not measured: read them from the cluster.");
        }
        if (f.writesPerCoupling() > 6) {
            limits.add("Writes per coupling " + fmt(f.writesPerCoupling()) + " exceed the target of 6; see the "
                    + "breakdown by kind of write.");
        }
    }

    private List<Report.LatencyPoint> latencySeries(List<LatencySample> samples) {
        List<LatencySample> created = samples.stream().filter(s -> s.phase().equals(CREATE)
                || s.phase().equals(HOT)).toList();
        if (created.isEmpty()) {
            return List.of();
        }
        double span = created.stream().mapToDouble(LatencySample::startMillis).max().orElse(0) / 1000;
        double window = Math.max(1, Math.ceil(span / 60));
        Map<Long, List<Double>> buckets = new TreeMap<>();
        created.forEach(s -> buckets.computeIfAbsent((long) (s.startMillis() / 1000 / window), k -> new ArrayList<>())
                .add(s.latencyMillis()));
        List<Report.LatencyPoint> out = new ArrayList<>();
        buckets.forEach((k, v) -> {
            Summary s = Summary.of(v);
            out.add(new Report.LatencyPoint(k * window, s.count(), s.p50(), s.p90(), s.p99()));
        });
        return out;
    }

    private List<Report.RatePoint> throughputSeries(List<LatencySample> samples) {
        List<Double> ends = samples.stream().filter(s -> s.phase().equals(CREATE) || s.phase().equals(HOT))
                .map(s -> (s.startMillis() + s.latencyMillis()) / 1000).toList();
        if (ends.isEmpty()) {
            return List.of();
        }
        double span = ends.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double window = Math.max(1, Math.ceil(span / 60));
        Map<Long, Integer> buckets = new TreeMap<>();
        ends.forEach(t -> buckets.merge((long) (t / window), 1, Integer::sum));
        List<Report.RatePoint> out = new ArrayList<>();
        buckets.forEach((k, v) -> out.add(new Report.RatePoint(k * window, v / window)));
        return out;
    }

    private void phase(String id, String title, double seconds, long items, Summary latency,
                       RequestCounter.Snapshot requests, boolean timedOut, String note) {
        double perSecond = seconds > 0 ? items / seconds : 0;
        phases.add(new Report.Phase(id, title, seconds, items, perSecond, latency, requests.operatorRequests(),
                requests.operatorWrites(), requests.writesByResource(), timedOut, note));
        log("phase", "id=" + id + " seconds=" + fmt(seconds) + " items=" + items + " perSecond=" + fmt(perSecond)
                + " p50=" + fmt(latency.p50()) + " p99=" + fmt(latency.p99()) + " max=" + fmt(latency.max())
                + " operatorWrites=" + requests.operatorWrites() + " timedOut=" + timedOut + " title=\"" + title + "\"");
    }

    /** The phase {@code id} as recorded; every phase records itself, also when skipped. */
    private Report.Phase recorded(String id) {
        return phases.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private void log(String event, String fields) {
        out.println("loadtest event=" + event + " " + fields);
    }

    private String p99(String phase) {
        List<Double> latencies = tracker.latencies(phase);
        return latencies.isEmpty() ? "" : "p99 " + fmt(Summary.of(latencies).p99()) + " ms";
    }

    /**
     * Threads that create phase (c)'s plugs: enough that the rate holds while each create takes up to 250 ms (a
     * quarter of the rate), at least 4, at most 64; {@link #DRIVER_THREADS} as fast as they go ({@code rate 0}).
     */
    static int creatorThreads(double perSecond) {
        return perSecond > 0 ? (int) Math.min(64, Math.max(4, Math.ceil(perSecond / 4))) : DRIVER_THREADS;
    }

    /** The end of the phase: the latest effect seen of a sample that started after {@code fromMillis}. */
    private double lastEventMillis(String phase, double fromMillis) {
        return tracker.samples().stream().filter(s -> s.phase().equals(phase) && s.startMillis() >= fromMillis)
                .mapToDouble(s -> s.startMillis() + s.latencyMillis()).max().orElse(fromMillis);
    }

    private double sinceStart() {
        return (System.nanoTime() - runStart) / 1e6;
    }

    private Map<String, Double> cpuSeconds() {
        Map<String, Double> out = new HashMap<>();
        if (fleet != null) {
            fleet.replicas().forEach(r -> out.put(r.name(), Math.max(0, r.cpuSeconds())));
        }
        return out;
    }

    /** The API's count on the embedded target; the operator's client metrics on a cluster, when given. */
    private RequestCounter.Snapshot snapshot() {
        if (counter != null) {
            return counter.snapshot();
        }
        return operatorMetrics != null ? operatorMetrics.snapshot() : RequestCounter.Snapshot.NONE;
    }

    /**
     * Polls until {@code done} or the phase timeout; a load test records a timeout rather than failing. Every
     * condition reads the watches' caches, so polling costs no request.
     */
    private boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.phaseTimeoutSeconds());
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return true;
    }

    /** {@code count} empty lists of plug keys. */
    private static List<List<String>> groups(int count) {
        List<List<String>> groups = new ArrayList<>(count);
        for (int g = 0; g < count; g++) {
            groups.add(new ArrayList<>());
        }
        return groups;
    }

    /** Adds the keys of plugs 0..count-1, each to the group {@code groupOf} its index. */
    private static void addKeys(List<List<String>> groups, int count, IntFunction<NamespacedName> plug,
                                IntUnaryOperator groupOf) {
        for (int i = 0; i < count; i++) {
            groups.get(groupOf.applyAsInt(i)).add(PlugTracker.key(plug.apply(i)));
        }
    }

    private void mergeFailures(Map<String, Long> failures) {
        synchronized (harnessErrors) {
            failures.forEach((k, v) -> harnessErrors.merge(k, v, Long::sum));
        }
    }

    private static void count(AtomicLong counter, boolean yes) {
        if (yes) {
            counter.incrementAndGet();
        }
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : 0;
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.2f", v);
    }

    private void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (tracker != null) {
            tracker.close();
        }
        if (client != null) {
            client.close();
        }
        if (baselineClient != null) {
            baselineClient.close();
        }
        if (server != null) {
            server.close();
        }
        if (local != null) {
            local.close();
        }
    }

    /** The server's APF counters; empty on the embedded API (it has none) and where /metrics is not readable. */
    private FlowControl.Snapshot flowControl() {
        return server != null ? FlowControl.Snapshot.EMPTY : FlowControl.read(client);
    }

    /** What APF did since {@code before}, per priority level, for a phase's note; "" when nothing was measured. */
    private String flowNote(FlowControl.Snapshot before) {
        if (server != null) {
            return "";
        }
        FlowControl.Snapshot during = flowControl().minus(before);
        String described = during.describe();
        if (during.rejected() > 0) {
            mergeFailures(Map.of("API priority and fairness rejected (429)", Math.round(during.rejected())));
        }
        return described.isEmpty() ? "" : "; API priority and fairness by priority level: " + described;
    }
}
