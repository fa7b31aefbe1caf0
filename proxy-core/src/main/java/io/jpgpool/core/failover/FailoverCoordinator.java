package io.jpgpool.core.failover;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterEvent;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.logging.LogContext;
import io.jpgpool.core.cluster.NodeStatus;
import io.jpgpool.core.runtime.NodeFailures;
import io.jpgpool.core.runtime.ProxyRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where node status changes (SEMANTICS C.4). Requests (detach, attach, promote) are checked at
 * once, so the operator gets pgpool's error for a bad one, then processed one at a time on a single thread:
 * mark the node, write {@code pgpool_status}, tell the sessions (a {@link ClusterEvent}), run
 * {@code failover_command}, find the new primary, degenerate the other standbys and run
 * {@code follow_primary_command} for them, and {@code failback_command} on attach. What to do is decided by
 * {@link FailoverPlanner}; this class runs it.
 *
 * <p>While a failover that concerns the primary is under way, new clients wait for it ({@link #quiet()}) instead
 * of being refused; sessions that never touched the failed node go on untouched.
 */
public final class FailoverCoordinator implements NodeFailures, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverCoordinator.class);
    /** pgpool's MAX_NUM_BACKENDS, which its error messages quote. */
    private static final int MAX_NUM_BACKENDS = 128;

    /** Why a node is being detached. */
    public enum Reason { HEALTH_CHECK, BACKEND_ERROR, OPERATOR, FALSE_PRIMARY, REPLICATION_MISMATCH }

    /** The kind of a queued request, as pgpool names it when it refuses pcp_stop_pgpool or pcp_recovery_node. */
    public enum Operation {
        FAILOVER("failover is in progress"),
        FAILBACK("failback is in progress"),
        PROMOTE("promote node operation is in progress"),
        OTHER("operation is in progress");

        private final String inProgress;

        Operation(String inProgress) {
            this.inProgress = inProgress;
        }

        /** pgpool's detail text: {@code failover is in progress}... */
        public String inProgress() {
            return inProgress;
        }
    }

    private final ProxyRuntime rt;
    private final PrimaryDetector replication;
    /** The one login attempt of failover_on_backend_error (the health check's). */
    private volatile IntPredicate probe = node -> false;
    private final StatusFile statusFile;
    private final ExecutorService events;
    private final ExecutorService followers;
    private final AtomicInteger queued = new AtomicInteger();
    /** The kinds of the queued requests, oldest (the running one) first. */
    private final Queue<Operation> pending = new ConcurrentLinkedQueue<>();
    /** The probes of failover_on_backend_error under way, by node: a second suspicion waits on the first. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, CompletableFuture<Void>> suspected =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> quiet = CompletableFuture.completedFuture(null);
    private volatile CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private volatile boolean closed;
    private final FailoverMeters meters;

    public FailoverCoordinator(ProxyRuntime rt, PrimaryDetector replication, StatusFile statusFile) {
        this.rt = rt;
        this.replication = replication;
        this.statusFile = statusFile;
        this.meters = new FailoverMeters(rt.metrics().registry(), rt.cluster().snapshot().nodes());
        rt.cluster().onNodeAdded(meters::add);
        this.events = Executors.newSingleThreadExecutor(daemon("jpgpool-failover"));
        this.followers = Executors.newSingleThreadExecutor(daemon("jpgpool-follow-primary"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public StatusFile statusFile() {
        return statusFile;
    }

    /** Completes when no failover concerning the primary is running (new clients wait on it). */
    @Override
    public CompletableFuture<Void> quiet() {
        return quiet;
    }

    /** How a suspected node is checked before it is detached (the health check's login). */
    public void probe(IntPredicate loginAttempt) {
        this.probe = loginAttempt;
    }

    @Override
    public CompletableFuture<Void> suspect(int node) {
        return suspect(node, probe);
    }

    @Override
    public void mismatch(int node, String reason) {
        LOG.warn("DB node {} is detached: {}", node, reason);
        try {
            degenerate(node, Reason.REPLICATION_MISMATCH);
        } catch (FailoverRequestException e) {
            LOG.warn("DB node {} was not detached: {}", node, e.getMessage());
        }
    }

    public boolean inProgress() {
        return queued.get() > 0;
    }

    /** The request being processed now, if any (pgpool looks at the head of its request queue). */
    public Optional<Operation> currentOperation() {
        return Optional.ofNullable(pending.peek());
    }

    /** Completes when everything requested so far has been processed (the follow-primary commands aside). */
    public CompletableFuture<Void> lastRequest() {
        return last;
    }

    // ------------------------------------------------------------------ requests

    /** NODE_DOWN (pcp_detach_node, a failed health check, a broken backend connection). */
    public CompletableFuture<Void> degenerate(int node, Reason reason) throws FailoverRequestException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (node < 0 || node >= c.size()) {
            throw new FailoverRequestException("invalid degenerate backend request, node id: " + node
                    + " is out of range. node id must be between [0 and " + MAX_NUM_BACKENDS + "]", null);
        }
        BackendNode n = c.node(node);
        if (!n.isAlive()) {
            throw new FailoverRequestException("invalid degenerate backend request, node id : " + node + " status: ["
                    + n.status().code() + "] is not valid for failover", null);
        }
        if (!n.allowToFailover()) {
            throw new FailoverRequestException("degenerate backend request for node_id: " + node + " from pid ["
                    + ProcessHandle.current().pid() + "] is canceled because failover is disallowed on the node",
                    null);
        }
        return submit(Operation.FAILOVER, () -> nodeDown(node, reason, -1),
                c.primaryNodeId() == node || reason == Reason.HEALTH_CHECK);
    }

    /** NODE_UP by pcp_attach_node (also what a follow_primary script attaching a rebuilt standby sends). */
    public CompletableFuture<Void> failback(int node) throws FailoverRequestException {
        return failback(node, "attach request");
    }

    /** NODE_UP; {@code why} is logged (auto_failback, online recovery...). */
    public CompletableFuture<Void> failback(int node, String why) throws FailoverRequestException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (node < 0 || node >= c.size()) {
            throw new FailoverRequestException("invalid failback request, node id: " + node
                    + " is out of range. node id must be between [0 and " + MAX_NUM_BACKENDS + "]", null);
        }
        return submit(Operation.FAILBACK, () -> nodeUp(node, why), false);
    }

    /** pcp_promote_node; with {@code switchover} a real switchover (SEMANTICS C.4 PROMOTE). */
    public CompletableFuture<Void> promote(int node, boolean switchover) throws FailoverRequestException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (node < 0 || node >= c.size()) {
            throw new FailoverRequestException("could not process promote request", "node id " + node + " is not valid");
        }
        if (!c.isStreaming()) {
            throw new FailoverRequestException("invalid pgpool mode for process promote request",
                    "not in streaming replication mode, can't promote node id " + node, true);
        }
        if (c.primaryNodeId() == node) {
            throw new FailoverRequestException("invalid promote request",
                    "specified node is already primary node, can't promote node id " + node, true);
        }
        if (!c.isAlive(node)) {
            throw new FailoverRequestException("could not process promote request", "node id " + node + " is not up");
        }
        if (switchover) {
            int primary = c.primaryNodeId();
            if (!c.isAlive(primary)) {
                return submit(Operation.PROMOTE, () -> promoteInternally(node), true);
            }
            return submit(Operation.FAILOVER, () -> nodeDown(primary, Reason.OPERATOR, node), true);
        }
        return submit(Operation.PROMOTE, () -> promoteInternally(node), true);
    }

    /**
     * A session saw a backend connection fail: with {@code failover_on_backend_error}, probe the node at once
     * and detach it if it really is gone. (Pgpool detaches on the error alone; the probe keeps a killed
     * backend, e.g. pg_terminate_backend, from failing over a healthy node.)
     */
    public CompletableFuture<Void> suspect(int node, IntPredicate probe) {
        CompletableFuture<Void> none = CompletableFuture.completedFuture(null);
        if (closed || !rt.config().failoverOnBackendError()) {
            return none;
        }
        ClusterSnapshot c = rt.cluster().snapshot();
        if (!c.isAlive(node) || !c.node(node).allowToFailover()) {
            return none;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = suspected.putIfAbsent(node, mine);
        if (running != null) {
            return running;
        }
        submit(Operation.FAILOVER, () -> {
            try {
                if (!rt.cluster().snapshot().isAlive(node)) {
                    return;
                }
                if (probe.test(node)) {
                    // no word "failover" here: pgpool logs nothing, and scripts grep for it (pgpool's test 073)
                    LOG.info("DB node {} answers after a broken backend connection; it stays attached", node);
                    return;
                }
                LOG.warn("failover_on_backend_error: DB node {} is unreachable, detaching it", node);
                nodeDown(node, Reason.BACKEND_ERROR, -1);
            } finally {
                suspected.remove(node, mine);
                mine.complete(null);
            }
        }, c.primaryNodeId() == node);
        return mine;
    }

    /**
     * The replication check saw the primary move without jpgpool (an operator, repmgr or Patroni promoted a
     * standby, and the old primary is gone or in recovery): routing follows, and sessions bound to the old
     * primary end so none of them writes to a node that can no longer take writes (SEMANTICS H #9).
     */
    public void primaryChanged(int newPrimary, String why) {
        submit(Operation.OTHER, () -> {
            long start = System.nanoTime();
            ClusterSnapshot c = rt.cluster().snapshot();
            int old = c.primaryNodeId();
            if (old == newPrimary || !c.isAlive(newPrimary)) {
                return;
            }
            rt.cluster().update(s -> s.withPrimary(newPrimary));
            if (old >= 0) {
                endSessions(old, true);
            }
            long took = System.nanoTime() - start;
            meters.promotion(newPrimary, took);
            LOG.warn("primary node changed from {} to {} in {} ms: {}", old, newPrimary, millis(took), why);
        }, true);
    }

    private CompletableFuture<Void> submit(Operation operation, Runnable work, boolean blocksNewSessions) {
        if (closed) {
            return CompletableFuture.completedFuture(null); // jpgpool is stopping: a check that ran late
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queued.incrementAndGet();
        synchronized (this) {
            if (blocksNewSessions && quiet.isDone()) {
                quiet = new CompletableFuture<>();
            }
            last = done;
            // queued in the order the one events thread runs them, so the head of pending is the running one
            pending.add(operation);
            events.execute(() -> {
                try {
                    work.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    LOG.error("failover processing failed", e);
                    done.completeExceptionally(e);
                } finally {
                    pending.poll();
                    if (queued.decrementAndGet() == 0) {
                        quiet.complete(null);
                    }
                }
            });
        }
        return done;
    }

    // ------------------------------------------------------------------ processing (failover thread)

    private void nodeDown(int failed, Reason reason, int promoteTo) {
        long start = System.nanoTime();
        ClusterSnapshot before = rt.cluster().snapshot();
        FailoverPlanner.NodeDown plan = FailoverPlanner.nodeDown(before, failed, promoteTo, Instant.now())
                .orElse(null);
        if (plan == null) {
            LOG.info("failover: no backends are degenerated");
            return;
        }
        PgpoolConfig cfg = rt.config();
        String why = reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        BackendNode gone = before.node(failed);
        LOG.atInfo().addKeyValue(LogContext.DETAIL, "reason: " + why)
                .log("starting degeneration. shutdown host {}({})", gone.host(), gone.port());

        ClusterSnapshot after = setStatus(failed, NodeStatus.DOWN);
        endSessions(failed, plan.primaryFailed());
        runCommand("failover_command", cfg.failoverCommand(), new Placeholders(after, failed, plan.newMain(),
                plan.oldMain(), plan.oldPrimary()));

        int newPrimary;
        if (plan.primary() instanceof FailoverPlanner.PrimaryChoice.None) {
            long took = System.nanoTime() - start;
            meters.failover(failed, reason, took);
            failoverDone(gone, why, took, -1, after.mainNodeId());
            return;
        } else if (plan.primary() instanceof FailoverPlanner.PrimaryChoice.Keep k) {
            newPrimary = k.node();
        } else {
            newPrimary = findPrimaryRepeatedly(cfg.searchPrimaryNodeTimeout(), promoteTo);
        }
        rt.cluster().update(s -> s.withPrimary(newPrimary));
        long took = System.nanoTime() - start;
        meters.failover(failed, reason, took);
        if (newPrimary >= 0 && newPrimary != before.primaryNodeId()) {
            meters.promotion(newPrimary, took);
        }
        failoverDone(gone, why, took, newPrimary, rt.cluster().snapshot().mainNodeId());
        if (FailoverPlanner.followPrimary(plan, newPrimary, promoteTo)) {
            followPrimary(newPrimary, plan.oldMain(), plan.oldPrimary());
        }
    }

    /** pgpool's lines at the end of a failover; the reason, the time it took and the new primary as DETAIL. */
    private static void failoverDone(BackendNode gone, String why, long tookNanos, int newPrimary, int newMain) {
        if (newPrimary >= 0) {
            LOG.info("failover: set new primary node: {}", newPrimary);
        }
        LOG.info("failover: set new main node: {}", newMain);
        LOG.atInfo().addKeyValue(LogContext.DETAIL, "reason: " + why + "; took " + millis(tookNanos) + " ms"
                + (newPrimary >= 0 ? "; primary node: " + newPrimary : "; no primary node"))
                .log("failover done. shutdown host {}({})", gone.host(), gone.port());
    }

    private void nodeUp(int node, String why) {
        long start = System.nanoTime();
        ClusterSnapshot before = rt.cluster().snapshot();
        int oldMain = before.mainNodeId();
        int oldPrimary = before.primaryNodeId();
        Boolean inRecovery = before.isStreaming() && before.isAlive(oldPrimary) && oldPrimary != node
                ? replication.inRecovery(before.node(node)) : null;
        FailoverPlanner.Failback how = FailoverPlanner.nodeUp(before, node, inRecovery,
                rt.config().detachFalsePrimary());
        if (how != FailoverPlanner.Failback.ATTACH) {
            // an old primary coming back without having been turned into a standby: never a second primary
            LOG.warn("DB node {} is not in recovery while node {} is the primary: it is a false primary and gets "
                    + "no client traffic", node, oldPrimary);
            rt.cluster().update(s -> s.withFalsePrimaries(s.falsePrimaries() | (1L << node)));
            if (how == FailoverPlanner.Failback.REFUSE_FALSE_PRIMARY) {
                return;
            }
        }
        BackendNode back = before.node(node);
        LOG.atInfo().addKeyValue(LogContext.DETAIL, "reason: " + why)
                .log("starting fail back. reconnect host {}({})", back.host(), back.port());
        ClusterSnapshot after = setStatus(node, NodeStatus.CONNECT_WAIT);
        runCommand("failback_command", rt.config().failbackCommand(),
                new Placeholders(after, node, after.mainNodeId(), oldMain, oldPrimary));
        if (FailoverPlanner.searchPrimaryAfterFailback(after)) {
            int primary = replication.findPrimary();
            rt.cluster().update(s -> s.withPrimary(primary));
        }
        long took = System.nanoTime() - start;
        meters.failback(node, took);
        LOG.atInfo().addKeyValue(LogContext.DETAIL, "reason: " + why + "; took " + millis(took) + " ms")
                .log("failback done. reconnect host {}({})", back.host(), back.port());
    }

    /** pcp_promote_node without -s: only jpgpool's view changes (as in 4.3); followers are degenerated. */
    private void promoteInternally(int node) {
        long start = System.nanoTime();
        ClusterSnapshot before = rt.cluster().snapshot();
        int oldMain = before.mainNodeId();
        int oldPrimary = before.primaryNodeId();
        BackendNode promoted = before.node(node);
        LOG.info("starting promotion. promote host {}({})", promoted.host(), promoted.port());
        rt.cluster().update(s -> s.withPrimary(node));
        if (oldPrimary >= 0) {
            endSessions(oldPrimary, true);
        }
        followPrimary(node, oldMain, oldPrimary);
        long took = System.nanoTime() - start;
        meters.promotion(node, took);
        LOG.atInfo().addKeyValue(LogContext.DETAIL, "promote request, in jpgpool's view; took " + millis(took) + " ms")
                .log("promotion done. promoted host {}({})", promoted.host(), promoted.port());
    }

    /**
     * With follow_primary_command set: every node but the new primary is marked down, then the command runs
     * for each of them in the background (it rebuilds the standby and attaches it again).
     */
    private void followPrimary(int newPrimary, int oldMain, int oldPrimary) {
        String command = rt.config().followPrimaryCommand();
        if (command == null || command.isBlank()) {
            return;
        }
        LOG.info("start triggering follow command.");
        List<Integer> toFollow = FailoverPlanner.followers(rt.cluster().snapshot(), newPrimary);
        for (int n : toFollow) {
            if (rt.cluster().snapshot().isAlive(n)) {
                setStatus(n, NodeStatus.DOWN);
                endSessions(n, false);
            }
        }
        followers.execute(() -> {
            for (int n : toFollow) {
                if (closed) {
                    return;
                }
                runCommand("follow_primary_command", command, new Placeholders(rt.cluster().snapshot(), n,
                        newPrimary, oldMain, oldPrimary));
            }
            LOG.info("follow primary commands done for nodes {}", toFollow);
        });
        LOG.info("follow primary: nodes {} follow the new primary {}", toFollow, newPrimary);
    }

    private int findPrimaryRepeatedly(int timeoutSeconds, int expected) {
        long deadline = timeoutSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds)
                : Long.MAX_VALUE;
        while (!closed) {
            int primary = replication.findPrimary();
            switch (FailoverPlanner.primarySearch(primary, expected, System.nanoTime() > deadline)) {
                case FOUND -> {
                    return primary;
                }
                case GIVE_UP -> {
                    LOG.warn("no primary found within search_primary_node_timeout ({} s)", timeoutSeconds);
                    return -1;
                }
                case RETRY -> sleep(Duration.ofMillis(100));
            }
        }
        return -1;
    }

    private ClusterSnapshot setStatus(int node, NodeStatus status) {
        Instant now = Instant.now();
        ClusterSnapshot after = rt.cluster().update(s -> s.withNode(s.node(node).withStatus(status, now)));
        statusFile.write(after);
        if (status == NodeStatus.DOWN) {
            rt.probes().reachable(node, false);
            rt.forEachPool(p -> p.closeNode(node));
        }
        return after;
    }

    /**
     * Tells the sessions a node is gone: any that holds a connection to it or has it as its load-balance node
     * ends, and when the primary failed every session that used the primary.
     */
    private void endSessions(int node, boolean primaryFailed) {
        rt.cluster().publish(new ClusterEvent.NodeDetached(node, primaryFailed));
    }

    private void runCommand(String name, String command, Placeholders p) {
        if (command == null || command.isBlank()) {
            return;
        }
        new CommandRunner(Duration.ofSeconds(Math.max(60, rt.config().searchPrimaryNodeTimeout())))
                .run(name, p.expand(command));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        events.shutdownNow();
        followers.shutdownNow();
        quiet.complete(null);
    }
}
