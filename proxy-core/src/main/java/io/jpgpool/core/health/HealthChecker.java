package io.jpgpool.core.health;

import io.jpgpool.config.HealthCheckSettings;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import io.jpgpool.core.cluster.NodeTags;
import io.jpgpool.core.failover.FailoverCoordinator;
import io.jpgpool.core.failover.FailoverRequestException;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pgpool-II's health check (SEMANTICS C.2): every {@code health_check_period} seconds each node must accept a
 * new login as {@code health_check_user} within {@code connect_timeout} / {@code health_check_timeout}; after
 * {@code health_check_max_retries} further failures ({@code health_check_retry_delay} apart) the node is
 * detached through the failover coordinator. Every setting may be given per node. Down nodes are skipped, except
 * that {@code auto_failback} re-attaches a standby that streams from the primary again (C.7).
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);
    private static final Duration[] DURATION_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(60)};

    private final ProxyRuntime rt;
    private final FailoverCoordinator coordinator;
    private final java.util.concurrent.ScheduledThreadPoolExecutor executor;
    /** Indexed by node id; room for every node jpgpool takes, filled as nodes are configured or reloaded. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Stats> stats =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(io.jpgpool.core.routing.NodeSet.MAX_NODES);
    private volatile boolean started;
    private volatile boolean closed;

    public HealthChecker(ProxyRuntime rt, FailoverCoordinator coordinator) {
        this.rt = rt;
        this.coordinator = coordinator;
        int nodes = rt.cluster().snapshot().size();
        this.executor = new java.util.concurrent.ScheduledThreadPoolExecutor(Math.max(1, nodes), r -> {
            Thread t = new Thread(r, "jpgpool-health-check");
            t.setDaemon(true);
            return t;
        });
        for (BackendNode n : rt.cluster().snapshot().nodes()) {
            stats.set(n.id(), new Stats(rt.metrics().registry(), n));
        }
        rt.cluster().onNodeAdded(this::nodeAdded);
    }

    public synchronized void start() {
        started = true;
        for (BackendNode n : rt.cluster().snapshot().nodes()) {
            int node = n.id();
            executor.schedule(() -> loop(node), 0, TimeUnit.SECONDS);
        }
    }

    /** A reload added a node: it gets its statistics, a thread and its own round of checks. */
    private synchronized void nodeAdded(BackendNode n) {
        stats.set(n.id(), new Stats(rt.metrics().registry(), n));
        executor.setCorePoolSize(Math.max(executor.getCorePoolSize(), n.id() + 1));
        if (started && !closed) {
            int node = n.id();
            // a second later: the node is in the table by then (growers run before it is added)
            executor.schedule(() -> loop(node), 1, TimeUnit.SECONDS);
        }
    }

    private void loop(int node) {
        if (closed) {
            return;
        }
        HealthCheckSettings hc = rt.config().healthCheck(node);
        long next = hc.periodSeconds() > 0 ? hc.periodSeconds() : 30; // disabled: look at the config again later
        try {
            if (node >= rt.cluster().snapshot().size()) {
                next = 1; // added by a reload that has not put it in the table yet
            } else if (hc.periodSeconds() > 0) {
                check(node, hc);
            }
        } catch (RuntimeException e) {
            LOG.warn("health check of node {} failed unexpectedly", node, e);
        }
        if (!closed) {
            executor.schedule(() -> loop(node), next, TimeUnit.SECONDS);
        }
    }

    private void check(int node, HealthCheckSettings hc) {
        ClusterSnapshot c = rt.cluster().snapshot();
        BackendNode n = c.node(node);
        Stats s = stats.get(node);
        if (n.status() == NodeStatus.DOWN || n.status() == NodeStatus.UNUSED) {
            s.skip();
            autoFailback(c, n, hc);
            return;
        }
        long start = System.nanoTime();
        HealthCheckRound round = new HealthCheckRound(hc.maxRetries());
        HealthCheckRound.Next next = round.onAttempt(attempt(n, hc));
        while (next == HealthCheckRound.Next.RETRY && !closed) {
            LOG.info("health check retrying on DB node: {} (round:{})", node, round.retries() + 1);
            sleepSeconds(hc.retryDelaySeconds());
            if (!rt.cluster().snapshot().isAlive(node)) {
                break; // detached meanwhile (by an operator, or a session's failed connection)
            }
            next = round.onAttempt(attempt(n, hc));
            if (next == HealthCheckRound.Next.HEALTHY) {
                LOG.info("health check retrying on DB node: {} succeeded", node);
            }
        }
        boolean ok = next == HealthCheckRound.Next.HEALTHY;
        int retries = round.retries();
        if (closed) {
            return; // close() interrupted the attempt: that says nothing about the node
        }
        s.record(ok, retries, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        rt.probes().reachable(node, ok);
        if (ok) {
            return;
        }
        if (!n.allowToFailover()) {
            LOG.info("health check failed on node {} but failover is disallowed for the node", node);
            return;
        }
        LOG.atInfo().addKeyValue(io.jpgpool.core.logging.LogContext.DETAIL, n.address() + ", after " + retries
                + " retries").log("health check failed on node {} (timeout:{})", node, 0);
        try {
            coordinator.degenerate(node, FailoverCoordinator.Reason.HEALTH_CHECK);
        } catch (FailoverRequestException e) {
            LOG.info("no failover for node {}: {}", node, e.getMessage());
        }
    }

    /** auto_failback: a down standby that streams from the primary again comes back (SEMANTICS C.7). */
    private void autoFailback(ClusterSnapshot c, BackendNode n, HealthCheckSettings hc) {
        if (!rt.config().autoFailback() || !c.isStreaming() || n.id() == c.primaryNodeId()
                || !"streaming".equals(n.replicationState())) {
            return;
        }
        Stats s = stats.get(n.id());
        long interval = TimeUnit.SECONDS.toNanos(rt.config().autoFailbackInterval());
        if (s.lastAutoFailbackNanos != 0 && System.nanoTime() - s.lastAutoFailbackNanos < interval) {
            return;
        }
        if (attempt(n, hc)) {
            s.lastAutoFailbackNanos = System.nanoTime();
            LOG.atInfo().addKeyValue(io.jpgpool.core.logging.LogContext.DETAIL, "it streams from the primary again")
                    .log("request auto failback, node id:{}", n.id());
            try {
                coordinator.failback(n.id(), "auto_failback");
            } catch (FailoverRequestException e) {
                LOG.warn("auto_failback of node {} refused: {}", n.id(), e.getMessage());
            }
        }
    }

    /** One login attempt, as the health check makes it (used by failover_on_backend_error too). */
    public boolean probe(int node) {
        ClusterSnapshot c = rt.cluster().snapshot();
        HealthCheckSettings hc = rt.config().healthCheck(node);
        return attempt(c.node(node), hc);
    }

    private boolean attempt(BackendNode n, HealthCheckSettings hc) {
        String password = PgQueries.password(hc.password(), hc.user(), rt.poolPasswd());
        int timeout = hc.timeoutSeconds() > 0 ? hc.timeoutSeconds() : 20;
        try (Connection c = PgQueries.connect(n, hc.database(), hc.user(), password, hc.connectTimeoutMillis(),
                timeout, rt.connector().tls())) {
            return c.isValid(Math.max(1, Math.min(timeout, 5)));
        } catch (SQLException e) {
            LOG.debug("health check login to node {} failed: {}", n.id(), e.getMessage());
            return false;
        }
    }

    public HealthCheckStats stats(int node) {
        return stats.get(node).snapshot(rt.config().healthCheck(node).periodSeconds() > 0);
    }

    private static void sleepSeconds(int seconds) {
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(0, seconds)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    /**
     * The numbers of SHOW pool_health_check_stats for one node. The counts and durations are meters
     * ({@code jpgpool_health_checks_total{result}}, {@code jpgpool_health_check_retries_total},
     * {@code jpgpool_health_check_duration_seconds}); the extremes and times, which no meter keeps for good, are
     * fields.
     */
    private static final class Stats {
        private final Counter success;
        private final Counter fail;
        private final Counter skip;
        private final Counter retry;
        private final Timer duration;
        private int maxRetry;
        private long maxDuration;
        private long minDuration;
        private Instant last;
        private Instant lastSuccess;
        private Instant lastSkip;
        private Instant lastFail;
        volatile long lastAutoFailbackNanos;

        Stats(MeterRegistry registry, BackendNode n) {
            Tags tags = NodeTags.of(n);
            String checks = "jpgpool.health.checks";
            String what = "Health checks of the node, by result (a retried check counts once)";
            success = Counter.builder(checks).tags(tags).tag("result", "success").description(what).register(registry);
            fail = Counter.builder(checks).tags(tags).tag("result", "failure").description(what).register(registry);
            skip = Counter.builder(checks).tags(tags).tag("result", "skipped").description(what).register(registry);
            retry = Counter.builder("jpgpool.health.check.retries").tags(tags)
                    .description("Login attempts after a failed one (health_check_max_retries)").register(registry);
            duration = Timer.builder("jpgpool.health.check.duration").tags(tags)
                    .serviceLevelObjectives(DURATION_BUCKETS)
                    .description("Time a health check took, its retries included").register(registry);
        }

        synchronized void skip() {
            skip.increment();
            lastSkip = Instant.now();
            last = lastSkip;
        }

        synchronized void record(boolean ok, int retries, long durationMillis) {
            Instant now = Instant.now();
            last = now;
            if (ok) {
                success.increment();
                lastSuccess = now;
            } else {
                fail.increment();
                lastFail = now;
            }
            retry.increment(retries);
            maxRetry = Math.max(maxRetry, retries);
            maxDuration = Math.max(maxDuration, durationMillis);
            minDuration = minDuration == 0 ? durationMillis : Math.min(minDuration, durationMillis);
            // whole milliseconds, as pgpool sums them: average_duration stays what it prints
            duration.record(durationMillis, TimeUnit.MILLISECONDS);
        }

        synchronized HealthCheckStats snapshot(boolean enabled) {
            long checked = duration.count();
            long total = checked + (long) skip.count();
            long retries = (long) retry.count();
            double avgRetry = enabled && checked > 0 ? (double) retries / checked : 0;
            double avgDuration = enabled && checked > 0 ? duration.totalTime(TimeUnit.MILLISECONDS) / checked : 0;
            return new HealthCheckStats(total, (long) success.count(), (long) fail.count(), (long) skip.count(),
                    retries, maxRetry, maxDuration, minDuration, avgDuration, avgRetry, last, lastSuccess, lastSkip,
                    lastFail);
        }
    }
}
