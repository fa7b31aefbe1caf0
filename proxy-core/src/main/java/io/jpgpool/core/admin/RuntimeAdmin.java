package io.jpgpool.core.admin;

import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.cache.CacheStats;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.BackendReload;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStats;
import io.jpgpool.core.failover.FailoverCoordinator;
import io.jpgpool.core.failover.FailoverRequestException;
import io.jpgpool.core.health.HealthChecker;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.core.recovery.OnlineRecovery;
import io.jpgpool.core.recovery.RecoveryException;
import io.jpgpool.core.recovery.RuntimeRecoveryEdges;
import io.jpgpool.core.routing.NodeSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin API over a running jpgpool. */
public final class RuntimeAdmin implements AdminApi {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeAdmin.class);
    /** pgpool's MAX_NUM_BACKENDS: node ids below it are slots, configured or not. */
    private static final int MAX_NUM_BACKENDS = 128;

    private final ProxyRuntime rt;
    private final FailoverCoordinator failover;
    private final HealthChecker health;
    private final Consumer<ShutdownMode> stopper;
    private final Supplier<PgpoolConfig> reloader;
    private final OnlineRecovery recovery;
    private final LiveNodeState live;

    /**
     * @param reloader reads pgpool.conf again and applies it (throws {@link IllegalStateException} with the
     *     reason when the file is invalid)
     */
    public RuntimeAdmin(ProxyRuntime rt, FailoverCoordinator failover, HealthChecker health,
            Consumer<ShutdownMode> stopper, Supplier<PgpoolConfig> reloader) {
        this.rt = rt;
        this.failover = failover;
        this.health = health;
        this.stopper = stopper;
        this.reloader = reloader;
        this.live = new LiveNodeState(rt, health == null ? node -> false : health::probe);
        this.recovery = new OnlineRecovery(() -> rt.cluster().snapshot(), rt::config,
                new RuntimeRecoveryEdges(rt, failover), OnlineRecovery.Timing.SYSTEM);
        recovery.clientGate(new io.jpgpool.core.recovery.SessionsGate(rt));
    }

    @Override
    public ClusteringMode clusteringMode() {
        return rt.cluster().snapshot().mode();
    }

    @Override
    public int nodeCount() {
        return rt.cluster().snapshot().size();
    }

    @Override
    public NodeInfo node(int id) throws AdminException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (id < 0 || id >= c.size()) {
            throw new AdminException("informing node info failed", "invalid node ID : " + id);
        }
        return info(c, c.node(id), live.ask(c).get(id));
    }

    @Override
    public List<NodeInfo> nodes() {
        ClusterSnapshot c = rt.cluster().snapshot();
        return infos(c, live.ask(c));
    }

    /**
     * A Pgpool-II session connects to every node at its start, and one that cannot reach an attached node fails
     * it over (failover_on_backend_error) before anything else runs; so its SHOW pool_nodes never shows such a
     * node {@code up}. A jpgpool session connects to the nodes it uses only: here the nodes the live look finds
     * unreachable while attached are suspected as a session's broken connection would have them, and the view
     * is read once that is over.
     */
    @Override
    public List<NodeInfo> nodesForSession() {
        ClusterSnapshot c = rt.cluster().snapshot();
        List<LiveNodeState.Answer> answers = live.ask(c);
        List<CompletableFuture<Void>> suspected = new ArrayList<>();
        for (BackendNode n : c.nodes()) {
            if (c.isAlive(n.id()) && "down".equals(answers.get(n.id()).pgStatus())) {
                suspected.add(rt.suspect(n.id()));
            }
        }
        if (suspected.isEmpty()) {
            return infos(c, answers);
        }
        try {
            CompletableFuture.allOf(suspected.toArray(CompletableFuture[]::new))
                    .get(Math.max(10, rt.config().searchPrimaryNodeTimeout()), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("SHOW pool_nodes: the failover of an unreachable node did not finish: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return infos(rt.cluster().snapshot(), answers);
    }

    @Override
    public List<io.jpgpool.core.runtime.SessionRegistry.QueuedClient> queuedClients() {
        return rt.sessions().queued();
    }

    private List<NodeInfo> infos(ClusterSnapshot c, List<LiveNodeState.Answer> answers) {
        List<NodeInfo> list = new ArrayList<>();
        for (BackendNode n : c.nodes()) {
            list.add(info(c, n, answers.get(n.id())));
        }
        return list;
    }

    private NodeInfo info(ClusterSnapshot c, BackendNode n, LiveNodeState.Answer answer) {
        boolean standby = c.isStreaming() && n.id() != c.primaryNodeId();
        String flags = (n.allowToFailover() ? "ALLOW_TO_FAILOVER" : "DISALLOW_TO_FAILOVER")
                + (n.alwaysPrimary() ? "|ALWAYS_PRIMARY" : "");
        double scaled = scaledWeight(c, n);
        return new NodeInfo(n.id(), n.host(), n.port(), n.status(), false, answer.pgStatus(),
                scaled, scaled / NodeInfo.RAND_MAX, c.role(n.id()), answer.pgRole(),
                rt.stats().get(n.id(), NodeStats.Kind.SELECT),
                standby ? n.replicationDelay() : 0,
                standby && n.replicationState() != null ? n.replicationState() : "",
                standby && n.replicationSyncState() != null ? n.replicationSyncState() : "",
                n.lastStatusChange(), flags);
    }

    /** pgpool's {@code RAND_MAX * weightN / total}, in that order so the last digit of %f matches. */
    private static double scaledWeight(ClusterSnapshot c, BackendNode n) {
        double total = 0;
        for (BackendNode b : c.nodes()) {
            total += b.weight();
        }
        return total <= 0 ? 0 : NodeInfo.RAND_MAX * n.weight() / total;
    }

    @Override
    public HealthCheckStats healthCheckStats(int id) throws AdminException {
        int n = nodeCount();
        if (id < 0 || id > n) {
            throw new AdminException("informing health check stats info failed", "invalid node ID " + id);
        }
        if (id == n) {
            throw new AdminException("informing health check stats info failed",
                    "stats data for node ID " + id + " does not exist");
        }
        return health == null ? HealthCheckStats.NONE : health.stats(id);
    }

    @Override
    public List<SessionInfo> sessions() {
        List<SessionInfo> list = new ArrayList<>();
        for (SessionHandle s : rt.sessions().all()) {
            if (!s.isReady()) {
                continue;
            }
            List<SessionInfo.BackendInfo> backends = new ArrayList<>();
            for (BackendConnection c : s.backendConnections()) {
                if (c != null) {
                    backends.add(new SessionInfo.BackendInfo(c.nodeId(), c.processId(), c.createdAt(),
                            c.reuseCount()));
                }
            }
            list.add(new SessionInfo(s.id(), s.connectedAt(), s.database(), s.user(), s.applicationName(),
                    s.connectedAt(), s.idleSeconds(), s.status(), s.loadBalanceNode(), backends));
        }
        list.sort(Comparator.comparingInt(SessionInfo::id));
        return list;
    }

    @Override
    public List<PoolSlot> poolSlots(int processId) throws AdminException {
        int nodes = nodeCount();
        int idleLimit = rt.config().clientIdleLimit();
        List<PoolSlot> slots = new ArrayList<>();
        for (SessionInfo s : sessions()) {
            if (processId == 0 || s.id() == processId) {
                slots.addAll(ProcessSlots.of(s, maxPool(), nodes, idleLimit));
            }
        }
        if (processId != 0 && slots.isEmpty()) {
            throw new AdminException("informing process info failed", "invalid process ID : " + processId);
        }
        return slots;
    }

    @Override
    public BackendStatistics backendStatistics(int id) throws AdminException {
        if (id < 0 || id >= nodeCount()) {
            throw new AdminException("invalid node ID : " + id, null);
        }
        NodeStats st = rt.stats();
        return new BackendStatistics(st.get(id, NodeStats.Kind.SELECT), st.get(id, NodeStats.Kind.INSERT),
                st.get(id, NodeStats.Kind.UPDATE), st.get(id, NodeStats.Kind.DELETE), st.get(id, NodeStats.Kind.DDL),
                st.get(id, NodeStats.Kind.OTHER), st.get(id, NodeStats.Kind.PANIC), st.get(id, NodeStats.Kind.FATAL),
                st.get(id, NodeStats.Kind.ERROR));
    }

    @Override
    public int maxPool() {
        return rt.config().maxPool();
    }

    @Override
    public int numInitChildren() {
        return rt.config().numInitChildren();
    }

    @Override
    public List<PoolStatusItems.Row> poolStatus() {
        ClusterSnapshot c = rt.cluster().snapshot();
        CacheStats cache = queryCacheStats();
        return PoolStatusItems.rows(rt.config(), new PoolStatusItems.RuntimeState() {
            @Override
            public String backendStatus(int node) {
                return node < c.size() ? c.node(node).status().label() : "unused";
            }

            @Override
            public long standbyDelay(int node) {
                return node < c.size() ? c.node(node).replicationDelay() : 0;
            }

            @Override
            public Instant memqcacheStatsStartTime() {
                return rt.startTime();
            }

            @Override
            public long memqcacheNoCacheHits() {
                return cache.selects();
            }

            @Override
            public long memqcacheCacheHits() {
                return cache.cacheHits();
            }

            @Override
            public ZoneId zone() {
                return ZoneId.systemDefault();
            }
        });
    }

    @Override
    public String showParameter(String name) throws AdminException {
        try {
            return rt.config().format(name);
        } catch (IllegalArgumentException e) {
            throw new AdminException("config variable \"" + name + "\" not found", null);
        }
    }

    @Override
    public void detachNode(int id, boolean gracefully) throws AdminException {
        checkDetachable(id);
        if (gracefully) {
            waitForSessionsToEnd();
        }
        CompletableFuture<Void> done;
        try {
            done = failover.degenerate(id, FailoverCoordinator.Reason.OPERATOR);
        } catch (FailoverRequestException e) {
            throw refused(e);
        }
        if (gracefully) {
            done.orTimeout(Math.max(10, rt.config().recoveryTimeout()), TimeUnit.SECONDS).exceptionally(e -> null)
                    .join();
        }
    }

    /**
     * pgpool checks a detach before it waits for sessions (-g); an id below MAX_NUM_BACKENDS that is not
     * configured is an unused slot, status 0 (pool_internal_comms.c, degenerate_backend_set_ex).
     */
    private void checkDetachable(int id) throws AdminException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (id >= c.size() && id < MAX_NUM_BACKENDS) {
            throw new AdminException("invalid degenerate backend request, node id : " + id
                    + " status: [0] is not valid for failover", null);
        }
        if (id >= 0 && id < c.size() && !c.isAlive(id)) {
            throw new AdminException("invalid degenerate backend request, node id : " + id + " status: ["
                    + c.node(id).status().code() + "] is not valid for failover", null);
        }
    }

    @Override
    public void attachNode(int id) throws AdminException {
        ClusterSnapshot c = rt.cluster().snapshot();
        if (id >= 0 && id < MAX_NUM_BACKENDS && (id >= c.size() || c.isAlive(id))) {
            if (c.mode() == ClusteringMode.RAW && id < c.size()) {
                throw new AdminException("invalid failback request, node id : " + id + " status: ["
                        + c.node(id).status().code() + "] not valid for failback", null);
            }
            // pgpool queues the request and its failover process drops it as invalid; the client sees success
            LOG.info("failback request for node {} ignored: {}", id, id >= c.size() ? "no such node"
                    : "the node is already attached");
            return;
        }
        try {
            failover.failback(id);
        } catch (FailoverRequestException e) {
            throw refused(e);
        }
    }

    /** The coordinator's refusal, as PCP reports it. */
    private static AdminException refused(FailoverRequestException e) {
        return new AdminException(e.getMessage(), e.detail(), e.fatal());
    }

    @Override
    public void promoteNode(int id, boolean switchover, boolean gracefully) throws AdminException {
        if (gracefully) {
            waitForSessionsToEnd();
        }
        CompletableFuture<Void> done;
        try {
            done = failover.promote(id, switchover);
        } catch (FailoverRequestException e) {
            throw refused(e);
        }
        if (gracefully) {
            done.orTimeout(Math.max(10, rt.config().recoveryTimeout()), TimeUnit.SECONDS).exceptionally(e -> null)
                    .join();
        }
    }

    /** -g: wait (up to recovery_timeout) until no client is connected, as pgpool 4.3 does. */
    private void waitForSessionsToEnd() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, rt.config().recoveryTimeout()));
        while (rt.sessions().connectedClients() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void recoverNode(int id) throws AdminException {
        try {
            recovery.recover(id);
        } catch (RecoveryException e) {
            throw new AdminException(e.getMessage(), e.detail(), e.fatal());
        }
    }

    /** pcp_recovery_node's orchestrator (the session layer gives it its client gate for native replication mode). */
    public OnlineRecovery onlineRecovery() {
        return recovery;
    }

    @Override
    public void reloadConfig() throws AdminException {
        try {
            reloader.get();
        } catch (IllegalStateException e) {
            throw new AdminException("reloading config file failed", e.getMessage());
        }
    }

    @Override
    public Optional<String> operationInProgress() {
        return failover.currentOperation().map(FailoverCoordinator.Operation::inProgress);
    }

    @Override
    public void stop(ShutdownMode mode) {
        LOG.info("stop requested ({} shutdown)", mode.name().toLowerCase());
        stopper.accept(mode);
    }

    @Override
    public String version() {
        return AdminViews.POOL_VERSION;
    }

    @Override
    public CacheStats queryCacheStats() {
        return rt.queryCache().stats();
    }

    @Override
    public void invalidateQueryCache() throws AdminException {
        if (!rt.queryCache().enabled()) {
            throw new AdminException("query cache is not enabled", null);
        }
        LOG.info("query cache invalidation requested through PCP");
        rt.queryCache().invalidateAll();
    }

    /** Applies a newly read configuration (pcp_reload_config, SIGHUP): returns what needs a restart. */
    public static List<String> apply(ProxyRuntime rt, PgpoolConfig newer) {
        PgpoolConfig older = rt.config();
        var diff = older.diffForReload(newer);
        rt.config(newer);
        BackendReload plan = BackendReload.plan(rt.cluster().snapshot().nodes(), newer.backends(), NodeSet.MAX_NODES,
                Instant.now());
        rt.cluster().update(s -> {
            ClusterSnapshot next = s;
            for (BackendNode n : plan.nodes()) {
                if (n.id() < next.size() && !n.equals(next.node(n.id()))) {
                    BackendNode now = next.node(n.id()); // its status as it is now, the reloaded settings
                    next = next.withNode(now.withConfig(n.weight(), n.allowToFailover(), n.alwaysPrimary(),
                            n.applicationName(), n.dataDirectory()));
                }
            }
            return next;
        });
        rt.cluster().addNodes(plan.added());
        for (BackendNode n : plan.added()) {
            LOG.info("DB node {} ({}) added by the reload, down until pcp_attach_node brings it in", n.id(),
                    n.address());
        }
        plan.ignored().forEach(LOG::warn);
        // pgpool only warns at a reload (config_post_processor with WARNING); at start it stops
        newer.recoveryConfigProblem().ifPresent(e -> LOG.warn("{}", e.getMessage()));
        newer.poolPasswdPath().ifPresent(p -> {
            try {
                rt.poolPasswd(io.jpgpool.config.PoolPasswd.load(p));
            } catch (ConfigException e) {
                LOG.warn("pool_passwd not reloaded: {}", e.getMessage());
            }
        });
        for (String name : diff.restartRequired()) {
            LOG.warn("parameter \"{}\" changed but takes effect only after a restart", name);
        }
        if (!diff.reloadable().isEmpty()) {
            LOG.atInfo().addKeyValue(io.jpgpool.core.logging.LogContext.DETAIL, "changed: " + diff.reloadable())
                    .log("reload config files.");
        }
        return diff.restartRequired();
    }
}
