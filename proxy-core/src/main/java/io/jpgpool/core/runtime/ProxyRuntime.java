package io.jpgpool.core.runtime;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.core.auth.HbaRules;
import io.jpgpool.core.backend.BackendConnector;
import io.jpgpool.core.backend.ConnectionPool;
import io.jpgpool.core.cache.QueryCache;
import io.jpgpool.core.cache.QueryCacheSettings;
import io.jpgpool.core.catalog.CatalogCache;
import io.jpgpool.core.cluster.ClusterState;
import io.jpgpool.core.cluster.NodeProbes;
import io.jpgpool.core.cluster.NodeStats;
import io.jpgpool.core.metrics.ClusterMeters;
import io.jpgpool.core.metrics.Metrics;
import io.jpgpool.core.routing.StatementCache;
import io.netty.channel.EventLoop;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The services every session shares: the current configuration, the node table, caches, the backend
 * connector, the per-event-loop connection pools and the session registry.
 */
public final class ProxyRuntime {
    private final Metrics metrics = new Metrics();
    private volatile PgpoolConfig config;
    private volatile PoolPasswd poolPasswd;
    private volatile HbaRules hba = HbaRules.none();
    private final ClusterState cluster;
    private final NodeStats stats;
    private final NodeProbes probes;
    private final StatementCache statements = new StatementCache(20_000, metrics.registry());
    private final CatalogCache catalog;
    private final QueryCache queryCache;
    private final BackendConnector connector;
    private final SessionRegistry sessions = new SessionRegistry(metrics.registry());
    private final ConcurrentHashMap<EventLoop, ConnectionPool> pools = new ConcurrentHashMap<>();
    private final int eventLoops;
    private final Instant startTime = Instant.now();
    private volatile NodeFailures failures = NodeFailures.NONE;
    private final AdmissionGate gate = new AdmissionGate();
    private volatile LocalCommands localCommands = LocalCommands.NONE;

    public ProxyRuntime(PgpoolConfig config, PoolPasswd poolPasswd, ClusterState cluster,
            BackendConnector connector, int eventLoops) {
        this.config = config;
        this.poolPasswd = poolPasswd;
        this.cluster = cluster;
        this.stats = new NodeStats(metrics.registry(), cluster.snapshot().nodes());
        this.probes = new NodeProbes(io.jpgpool.core.routing.NodeSet.MAX_NODES); // room for nodes a reload adds
        this.catalog = new CatalogCache(config.get(io.jpgpool.config.Params.RELCACHE_EXPIRE));
        this.queryCache = config.memoryCacheEnabled() ? new QueryCache(QueryCacheSettings.of(config))
                : QueryCache.disabled();
        this.connector = connector;
        this.eventLoops = Math.max(1, eventLoops);
        cluster.subscribe(sessions::onClusterEvent);
        cluster.onNodeAdded(stats::add);
        cluster.onNodeAdded(n -> RuntimeMeters.bindNode(this, n));
        new ClusterMeters(metrics.registry(), cluster);
        RuntimeMeters.bind(this);
    }

    /** The meters of this jpgpool (what SHOW pool_*, PCP and the Prometheus endpoint report). */
    public Metrics metrics() {
        return metrics;
    }

    public PgpoolConfig config() {
        return config;
    }

    public void config(PgpoolConfig newConfig) {
        this.config = newConfig;
    }

    public PoolPasswd poolPasswd() {
        return poolPasswd;
    }

    public void poolPasswd(PoolPasswd p) {
        this.poolPasswd = p;
    }

    /** pool_hba.conf's rules, used while enable_pool_hba is on. */
    public HbaRules hba() {
        return hba;
    }

    public void hba(HbaRules rules) {
        this.hba = rules;
    }

    public ClusterState cluster() {
        return cluster;
    }

    public NodeStats stats() {
        return stats;
    }

    public NodeProbes probes() {
        return probes;
    }

    public StatementCache statements() {
        return statements;
    }

    public CatalogCache catalog() {
        return catalog;
    }

    /** The query cache every session shares (memory_cache_enabled; a cache that is off when it is off). */
    public QueryCache queryCache() {
        return queryCache;
    }

    public BackendConnector connector() {
        return connector;
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public Instant startTime() {
        return startTime;
    }

    /**
     * The pool of an event loop. pgpool keeps up to num_init_children x max_pool connections per node; that
     * total is shared out between the event loops.
     */
    public ConnectionPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> {
            PgpoolConfig c = config;
            int total = c.connectionCache() ? c.numInitChildren() * c.maxPool() * cluster.snapshot().size() : 0;
            int perLoop = (total + eventLoops - 1) / eventLoops;
            return new ConnectionPool(l, perLoop, c.connectionLifeTime());
        });
    }

    public Collection<ConnectionPool> pools() {
        return pools.values();
    }

    /** Runs an action on every pool, each on its own event loop. */
    public void forEachPool(java.util.function.Consumer<ConnectionPool> action) {
        for (ConnectionPool p : pools.values()) {
            p.loop().execute(() -> action.accept(p));
        }
    }

    /** Where sessions report broken backend connections, and what new clients wait for during a failover. */
    public NodeFailures failures() {
        return failures;
    }

    public void failures(NodeFailures f) {
        this.failures = f;
    }

    /** A backend connection to {@code node} broke: probe it and fail over if it is gone. */
    public java.util.concurrent.CompletableFuture<Void> suspect(int node) {
        return failures.suspect(node);
    }

    /** Holds clients during a native replication mode recovery's second stage. */
    public AdmissionGate gate() {
        return gate;
    }

    /** The SHOW pool_* commands of the SQL port. */
    public LocalCommands localCommands() {
        return localCommands;
    }

    public void localCommands(LocalCommands commands) {
        this.localCommands = commands;
    }
}
