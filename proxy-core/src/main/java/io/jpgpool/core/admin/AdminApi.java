package io.jpgpool.core.admin;

import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.cache.CacheStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What operators can see and do, whatever the door: the PCP server (pcp_* tools, jpcp) and the SQL port
 * (SHOW pool_*) both go through this, so every view agrees.
 */
public interface AdminApi {
    /** How jpgpool stops (pcp_stop_pgpool -m). */
    enum ShutdownMode { SMART, FAST, IMMEDIATE }

    ClusteringMode clusteringMode();

    int nodeCount();

    /** @throws AdminException {@code informing node info failed} / {@code invalid node ID : n} */
    NodeInfo node(int id) throws AdminException;

    List<NodeInfo> nodes();

    /**
     * The nodes as a client session's SHOW pool_nodes sees them: where that differs from {@link #nodes()}, the
     * implementation says how (a running jpgpool first fails over the attached nodes it cannot reach).
     */
    default List<NodeInfo> nodesForSession() {
        return nodes();
    }

    /** Clients beyond num_init_children waiting for a slot, oldest first (jpgpool's queue). */
    default List<io.jpgpool.core.runtime.SessionRegistry.QueuedClient> queuedClients() {
        return List.of();
    }

    HealthCheckStats healthCheckStats(int id) throws AdminException;

    /** The live client sessions, by id: jpgpool's "processes" (see {@link ProcessSlots}). */
    List<SessionInfo> sessions();

    /**
     * pcp_proc_info / SHOW pool_pools: the pool slots of one session, or of every session for {@code 0}.
     *
     * @throws AdminException {@code informing process info failed} / {@code invalid process ID : n}
     */
    List<PoolSlot> poolSlots(int processId) throws AdminException;

    /** SHOW pool_backend_stats: statement and error counters of one node. */
    BackendStatistics backendStatistics(int id) throws AdminException;

    /** num_init_children x max_pool x backends slots in pgpool; here: max_pool and the backends. */
    int maxPool();

    int numInitChildren();

    /** The pcp_pool_status / SHOW pool_status rows. */
    List<PoolStatusItems.Row> poolStatus();

    /** A parameter as {@code PGPOOL SHOW name} prints it. */
    String showParameter(String name) throws AdminException;

    /** pcp_detach_node [-g]. Returns once the request is queued (or, gracefully, done). */
    void detachNode(int id, boolean gracefully) throws AdminException;

    /** pcp_attach_node. */
    void attachNode(int id) throws AdminException;

    /** pcp_promote_node [-s] [-g]. */
    void promoteNode(int id, boolean switchover, boolean gracefully) throws AdminException;

    /** pcp_recovery_node. */
    void recoverNode(int id) throws AdminException;

    /** pcp_reload_config: re-read pgpool.conf and apply what can change without a restart. */
    void reloadConfig() throws AdminException;

    /**
     * What the failover coordinator is busy with ({@code failover is in progress}...), or empty. pcp_stop_pgpool
     * and pcp_recovery_node are refused meanwhile, as in pgpool.
     */
    Optional<String> operationInProgress();

    /** pcp_stop_pgpool. The answer is sent before the stop begins. */
    void stop(ShutdownMode mode);

    String version();

    /** SHOW pool_cache: the query cache's numbers, zeros while it is off. */
    default CacheStats queryCacheStats() {
        return new CacheStats(0, 0, 0, 0, 0, 0, Instant.EPOCH);
    }

    /**
     * pcp_invalidate_query_cache (Pgpool-II 4.6): drops every cached result.
     *
     * @throws AdminException {@code query cache is not enabled}
     */
    default void invalidateQueryCache() throws AdminException {
        throw new AdminException("query cache is not enabled", null);
    }
}
