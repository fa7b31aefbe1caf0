package io.jpgpool.core.recovery;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pcp_recovery_node (SEMANTICS D.3; pgpool 4.3's pcp_worker.c process_recovery_request and recovery.c
 * start_recovery), one recovery at a time: the checks, then on the source node (the primary, or in native
 * replication mode the main node) the 1st stage; in native mode CHECKPOINTs and the 2nd stage while the
 * {@link ClientGate} holds the clients; {@code pgpool_remote_start}; the wait, bounded by {@code recovery_timeout},
 * until the target accepts connections; the attach. A failure leaves the target down and unattached.
 */
public final class OnlineRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineRecovery.class);
    /** How often the target is probed while it starts, and the sessions counted while they drain. */
    static final Duration POLL = Duration.ofMillis(250);

    /** The clock and the pause, so that tests need not wait. */
    public interface Timing {
        long nanoTime();

        void sleep(Duration d) throws InterruptedException;

        Timing SYSTEM = new Timing() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d.toMillis());
            }
        };
    }

    /** How long each step took, in the order they ran ({@code 1st stage}, {@code remote start}...). */
    public record Report(int node, Map<String, Duration> steps, Duration total) {
    }

    private final Supplier<ClusterSnapshot> cluster;
    private final Supplier<PgpoolConfig> config;
    private final RecoveryEdges edges;
    private final Timing timing;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile ClientGate gate;

    public OnlineRecovery(Supplier<ClusterSnapshot> cluster, Supplier<PgpoolConfig> config, RecoveryEdges edges,
            Timing timing) {
        this.cluster = cluster;
        this.config = config;
        this.edges = edges;
        this.timing = timing;
    }

    /** The session layer's gate for native replication mode's 2nd stage; without one that mode is refused. */
    public void clientGate(ClientGate g) {
        this.gate = g;
    }

    /** True while a recovery runs. */
    public boolean inProgress() {
        return running.get();
    }

    /** Recovers {@code node}; returns once it is attached again. */
    public Report recover(int node) throws RecoveryException {
        ClusterSnapshot c = cluster.get();
        if (node < 0 || node >= c.size()) {
            throw new RecoveryException("process recovery request failed", "node id " + node + " is not valid");
        }
        boolean stream = c.mode() == ClusteringMode.STREAMING_REPLICATION;
        boolean replication = c.mode() == ClusteringMode.NATIVE_REPLICATION
                || c.mode() == ClusteringMode.SNAPSHOT_ISOLATION;
        if (stream && node == c.primaryOrMain()) {
            throw new RecoveryException("process recovery request failed",
                    "primary server cannot be recovered by online recovery.");
        }
        if (!stream && !replication) {
            throw new RecoveryException("process recovery request failed",
                    "recovery request is only allowed in replication and streaming replication modes.");
        }
        if (!running.compareAndSet(false, true)) {
            throw new RecoveryException("process recovery request failed",
                    "pgpool-II is already processing another recovery request.", true);
        }
        try {
            return start(node, replication);
        } finally {
            running.set(false);
        }
    }

    /** recovery.c start_recovery. */
    private Report start(int node, boolean secondStage) throws RecoveryException {
        LOG.info("starting recovering node {}", node);
        ClusterSnapshot c = cluster.get();
        BackendNode target = c.node(node);
        if (target.status() == NodeStatus.UNUSED) {
            throw new RecoveryException("node recovery failed, node id: " + node + " is unused", null);
        }
        if (target.isAlive()) {
            throw new RecoveryException("node recovery failed, node id: " + node + " is alive", null);
        }
        ClientGate g = gate;
        if (secondStage && g == null) {
            throw new RecoveryException("node recovery failed, online recovery in " + c.mode().pgpoolName()
                    + " mode is not available yet", "jpgpool cannot hold its clients during the 2nd stage yet");
        }
        int sourceId = secondStage ? c.mainNodeId() : c.primaryOrMain();
        if (sourceId < 0) {
            throw new RecoveryException("node recovery failed, unable to connect to main node: " + sourceId + " ",
                    "no node is up");
        }
        PgpoolConfig cfg = config.get();
        RecoveryPlan plan = new RecoveryPlan(target, c.node(sourceId), secondStage, cfg.recovery1stStageCommand(),
                cfg.recovery2ndStageCommand(), cfg.recoveryUser(), Duration.ofSeconds(cfg.recoveryTimeout()),
                cfg.clientIdleLimitInRecovery());
        Map<String, Duration> steps = new LinkedHashMap<>();
        long t0 = timing.nanoTime();
        boolean held = false;
        try {
            try (StageRunner source = edges.openSource(plan)) {
                LOG.info("node recovery of node {} from node {}: the stage commands run {}", node, sourceId,
                        source.describe());
                if (secondStage) {
                    step(steps, "CHECKPOINT in the 1st stage", source::checkpoint);
                }
                stage(steps, source, RecoveryStage.FIRST, plan);
                if (secondStage) {
                    LOG.info("node recovery, starting 2nd stage");
                    g.hold(plan.clientIdleLimitInRecovery());
                    held = true;
                    step(steps, "closing of all connections from clients", () -> drain(g, plan));
                    step(steps, "CHECKPOINT in the 2nd stage", source::checkpoint);
                    stage(steps, source, RecoveryStage.SECOND, plan);
                }
                step(steps, "remote start", () -> source.remoteStart(plan));
            }
            step(steps, "start of the postmaster", () -> awaitPostmaster(plan));
            LOG.info("node recovery, node: {} restarted", node);
            step(steps, "attach", () -> edges.attach(plan));
        } catch (RecoveryException | RuntimeException e) {
            LOG.warn("node recovery of node {} failed after {} ms, the node stays down: {}{}", node, millis(t0),
                    e.getMessage(), e instanceof RecoveryException r && r.detail() != null
                            ? " (" + r.detail() + ")" : "");
            throw e;
        } finally {
            if (held) {
                g.release(); // recovery.c finish_recovery: the clients go on, whatever the outcome
            }
        }
        Duration total = Duration.ofNanos(timing.nanoTime() - t0);
        LOG.info("recovery done: node {} recovered in {} ms ({})", node, total.toMillis(), describe(steps));
        return new Report(node, Collections.unmodifiableMap(steps), total);
    }

    private void stage(Map<String, Duration> steps, StageRunner source, RecoveryStage stage, RecoveryPlan plan)
            throws RecoveryException {
        if (plan.command(stage).isEmpty()) {
            LOG.info("node recovery, {}: no command is set, nothing to run", stage.label());
            return;
        }
        step(steps, stage.label(), () -> source.runStage(stage, plan));
    }

    @FunctionalInterface
    private interface Step {
        void run() throws RecoveryException;
    }

    private void step(Map<String, Duration> steps, String name, Step s) throws RecoveryException {
        long t = timing.nanoTime();
        s.run();
        Duration d = Duration.ofNanos(timing.nanoTime() - t);
        steps.put(name, d);
        LOG.info("node recovery, {} is done in {} ms", name, d.toMillis());
    }

    /**
     * recovery.c wait_connection_closed: until no session can write, at most recovery_timeout; then, if
     * client_idle_limit_in_recovery should have ended them all by now, the rest are ended and recovery goes on
     * (pgpool's ensure_conn_counter_validity), else it fails.
     */
    private void drain(ClientGate g, RecoveryPlan plan) throws RecoveryException {
        long deadline = timing.nanoTime() + plan.recoveryTimeout().toNanos();
        while (g.activeSessions() > 0) {
            if (timing.nanoTime() >= deadline) {
                int limit = plan.clientIdleLimitInRecovery();
                LOG.info("wait_connection_closed: existing connections did not close in {} sec.",
                        plan.recoveryTimeout().toSeconds());
                if (limit == -1 || limit > 0 && plan.recoveryTimeout().toSeconds() >= limit) {
                    LOG.warn("node recovery: ending the {} sessions still active after recovery_timeout",
                            g.activeSessions());
                    g.endActiveSessions();
                    return;
                }
                throw new RecoveryException(
                        "node recovery failed, waiting connection closed in the other pgpools timeout", null);
            }
            pause(POLL);
        }
    }

    /** recovery.c check_postmaster_started, bounded by recovery_timeout (at least one attempt). */
    private void awaitPostmaster(RecoveryPlan plan) throws RecoveryException {
        long deadline = timing.nanoTime() + plan.recoveryTimeout().toNanos();
        int attempt = 0;
        while (true) {
            LOG.debug("checking if postmaster is started: trying to connect to postmaster on hostname:{} user:{} "
                    + "(retry {} times)", plan.target().host(), plan.recoveryUser(), attempt);
            if (edges.acceptsConnections(plan)) {
                return;
            }
            if (timing.nanoTime() >= deadline) {
                break;
            }
            attempt++;
            pause(POLL);
        }
        throw new RecoveryException("recovery is checking if postmaster is started",
                "postmaster on hostname:\"" + plan.target().host() + "\" database:\"template1\" user:\""
                        + plan.recoveryUser() + "\" failed to start in " + plan.recoveryTimeout().toSeconds()
                        + " second");
    }

    private void pause(Duration d) throws RecoveryException {
        try {
            timing.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecoveryException("node recovery failed, interrupted", "jpgpool is stopping");
        }
    }

    private long millis(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(timing.nanoTime() - t0);
    }

    private static String describe(Map<String, Duration> steps) {
        StringBuilder sb = new StringBuilder();
        steps.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v.toMillis())
                .append(" ms"));
        return sb.toString();
    }
}
