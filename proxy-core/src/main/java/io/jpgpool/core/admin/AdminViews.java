package io.jpgpool.core.admin;

import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.config.Param;
import io.jpgpool.config.Params;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.cache.CacheStats;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of pgpool's SQL views (SHOW pool_*, PGPOOL SHOW), built from the {@link AdminApi} so they agree with
 * what the PCP tools print. Columns and formats are Pgpool-II 4.3's (PCP_SPEC 10).
 */
public final class AdminViews {
    /** Pgpool-II version this jpgpool behaves like, and our own. */
    public static final String POOL_VERSION = "4.3.5 (jpgpool " + version() + ")";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    /** The members of PGPOOL SHOW's "backend" group, in the order they are listed per node. */
    private static final List<Param<?>> BACKEND_GROUP = List.of(Params.BACKEND_HOSTNAME, Params.BACKEND_PORT,
            Params.BACKEND_WEIGHT, Params.BACKEND_DATA_DIRECTORY, Params.BACKEND_FLAG,
            Params.BACKEND_APPLICATION_NAME);

    private AdminViews() {
    }

    public static String version() {
        String v = AdminViews.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    /** pgpool's {@code "%Y-%m-%d %H:%M:%S"} in the server's time zone; empty for "never". */
    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** C's {@code "%f"}. */
    public static String percent(double v) {
        return CFormat.f(v);
    }

    /** SHOW pool_nodes (PCP_SPEC 10.3): 14 columns, one row per configured node. */
    public static ResultTable poolNodes(AdminApi admin, int sessionLoadBalanceNode) {
        return poolNodes(admin.nodes(), sessionLoadBalanceNode);
    }

    /** SHOW pool_nodes of these nodes. */
    public static ResultTable poolNodes(List<NodeInfo> nodes, int sessionLoadBalanceNode) {
        List<List<String>> rows = new ArrayList<>();
        for (NodeInfo n : nodes) {
            rows.add(List.of(
                    String.valueOf(n.id()),
                    n.host(),
                    String.valueOf(n.port()),
                    n.statusName(),
                    n.pgStatus(),
                    CFormat.f(n.weight()),
                    n.role().label(),
                    n.pgRole(),
                    Long.toUnsignedString(n.selectCount()),
                    String.valueOf(n.id() == sessionLoadBalanceNode),
                    Long.toUnsignedString(n.replicationDelay()),
                    n.replicationState(),
                    n.replicationSyncState(),
                    time(n.lastStatusChange())));
        }
        return new ResultTable(List.of("node_id", "hostname", "port", "status", "pg_status", "lb_weight", "role",
                "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
                "replication_sync_state", "last_status_change"), rows);
    }

    /** SHOW pool_processes (PCP_SPEC 10.4): one row per client session (see {@link ProcessSlots}). */
    public static ResultTable poolProcesses(AdminApi admin) {
        List<List<String>> rows = new ArrayList<>();
        for (SessionInfo s : admin.sessions()) {
            rows.add(ProcessSlots.processRow(s));
        }
        for (io.jpgpool.core.runtime.SessionRegistry.QueuedClient q : admin.queuedClients()) {
            rows.add(ProcessSlots.queuedRow(q));
        }
        return new ResultTable(List.of("pool_pid", "start_time", "client_connection_count", "database", "username",
                "backend_connection_time", "pool_counter", "status"), rows);
    }

    /** SHOW pool_pools (PCP_SPEC 10.5): the same slots pcp_proc_info reports. */
    public static ResultTable poolPools(AdminApi admin) {
        List<List<String>> rows = new ArrayList<>();
        try {
            for (PoolSlot slot : admin.poolSlots(0)) {
                rows.add(slot.values());
            }
        } catch (AdminException e) {
            throw new IllegalStateException("process 0 means every session", e);
        }
        return new ResultTable(PoolSlot.COLUMNS, rows);
    }

    /** SHOW pool_status (PCP_SPEC 10.6): the pcp_pool_status items. */
    public static ResultTable poolStatus(AdminApi admin) {
        List<List<String>> rows = new ArrayList<>();
        for (PoolStatusItems.Row r : admin.poolStatus()) {
            rows.add(List.of(r.item(), r.value(), r.description()));
        }
        return new ResultTable(List.of("item", "value", "description"), rows);
    }

    /** SHOW pool_version (PCP_SPEC 10.7): one RowDescription, not 4.3.5's two. */
    public static ResultTable poolVersion(AdminApi admin) {
        return new ResultTable(List.of("pool_version"), List.of(List.of(admin.version())));
    }

    /** SHOW pool_version without a running server. */
    public static ResultTable poolVersion() {
        return new ResultTable(List.of("pool_version"), List.of(List.of(POOL_VERSION)));
    }

    /**
     * SHOW pool_cache (PCP_SPEC 10.8), 4.3's nine columns: hits, SELECTs a backend answered, the ratio ({@code %.2f}),
     * the hash table size (memqcache_max_num_cache rounded up to a power of 2), entries in use (twice, as pgpool's
     * hash entries and cache entries are one each), bytes used and free; one row of zeros while the cache is off.
     */
    public static ResultTable poolCache(CacheStats s) {
        return new ResultTable(List.of("num_cache_hits", "num_selects", "cache_hit_ratio", "num_hash_entries",
                "used_hash_entries", "num_cache_entries", "used_cache_entries_size", "free_cache_entries_size",
                "fragment_cache_entries_size"), List.of(List.of(
                        Long.toString(s.cacheHits()),
                        Long.toString(s.selects()),
                        String.format(Locale.ROOT, "%.2f", s.hitRatio()),
                        Integer.toString(s.hashEntries()),
                        Long.toString(s.entries()),
                        Long.toString(s.entries()),
                        Long.toString(s.usedBytes()),
                        Long.toString(s.freeBytes()),
                        // blocks are pgpool's: Caffeine frees an entry's memory when it goes
                        "0")));
    }

    /** SHOW pool_health_check_stats (PCP_SPEC 10.9): one row per node, the values of pcp_health_check_stats. */
    public static ResultTable poolHealthCheckStats(AdminApi admin) {
        List<List<String>> rows = new ArrayList<>();
        for (NodeInfo n : admin.nodes()) {
            try {
                rows.add(healthCheckRow(n, admin.healthCheckStats(n.id())));
            } catch (AdminException e) {
                throw new IllegalStateException("node " + n.id() + " is configured", e);
            }
        }
        return new ResultTable(List.of("node_id", "hostname", "port", "status", "role", "last_status_change",
                "total_count", "success_count", "fail_count", "skip_count", "retry_count", "average_retry_count",
                "max_retry_count", "max_duration", "min_duration", "average_duration", "last_health_check",
                "last_successful_health_check", "last_skip_health_check", "last_failed_health_check"), rows);
    }

    /** The 20 values of one node's health-check statistics, in PCP wire order (PCP_SPEC 5.4). */
    public static List<String> healthCheckRow(NodeInfo n, HealthCheckStats h) {
        return List.of(
                String.valueOf(n.id()),
                n.host(),
                String.valueOf(n.port()),
                n.statusName(),
                n.role().label(),
                time(n.lastStatusChange()),
                Long.toUnsignedString(h.totalCount()),
                Long.toUnsignedString(h.successCount()),
                Long.toUnsignedString(h.failCount()),
                Long.toUnsignedString(h.skipCount()),
                Long.toUnsignedString(h.retryCount()),
                CFormat.f(h.averageRetryCount()),
                String.valueOf(h.maxRetryCount()),
                String.valueOf(h.maxDurationMillis()),
                String.valueOf(h.minDurationMillis()),
                CFormat.f(h.averageDurationMillis()),
                time(h.lastHealthCheck()),
                time(h.lastSuccessfulHealthCheck()),
                time(h.lastSkipHealthCheck()),
                time(h.lastFailedHealthCheck()));
    }

    /** SHOW pool_backend_stats (PCP_SPEC 10.10). */
    public static ResultTable poolBackendStats(AdminApi admin) {
        List<List<String>> rows = new ArrayList<>();
        for (NodeInfo n : admin.nodes()) {
            BackendStatistics b;
            try {
                b = admin.backendStatistics(n.id());
            } catch (AdminException e) {
                throw new IllegalStateException("node " + n.id() + " is configured", e);
            }
            rows.add(List.of(String.valueOf(n.id()), n.host(), String.valueOf(n.port()), n.statusName(),
                    n.role().label(), Long.toUnsignedString(b.selectCount()), Long.toUnsignedString(b.insertCount()),
                    Long.toUnsignedString(b.updateCount()), Long.toUnsignedString(b.deleteCount()),
                    Long.toUnsignedString(b.ddlCount()), Long.toUnsignedString(b.otherCount()),
                    Long.toUnsignedString(b.panicCount()), Long.toUnsignedString(b.fatalCount()),
                    Long.toUnsignedString(b.errorCount())));
        }
        return new ResultTable(List.of("node_id", "hostname", "port", "status", "role", "select_cnt", "insert_cnt",
                "update_cnt", "delete_cnt", "ddl_cnt", "other_cnt", "panic_cnt", "fatal_cnt", "error_cnt"), rows);
    }

    /**
     * {@code PGPOOL SHOW name} (PCP_SPEC 10.11): one column named after the parameter with its value; for
     * {@code all}, a parameter group ({@code backend}, {@code health_check}) or a per-node parameter without
     * its index ({@code backend_hostname}), rows of {@code item, value, description}.
     *
     * @param name as written, lower-cased unless it was quoted
     * @throws AdminException {@code config variable "x" not found}
     */
    public static ResultTable pgpoolShow(PgpoolConfig config, String name) throws AdminException {
        List<String> detail = List.of("item", "value", "description");
        if (name.equals("all")) {
            List<List<String>> rows = new ArrayList<>();
            backendGroup(config, rows);
            for (Param<?> p : Params.all()) {
                if (!BACKEND_GROUP.contains(p)) {
                    perParam(config, p, rows);
                }
            }
            return new ResultTable(detail, rows);
        }
        if (name.equals("backend")) {
            List<List<String>> rows = new ArrayList<>();
            backendGroup(config, rows);
            return new ResultTable(detail, rows);
        }
        if (name.equals("health_check")) {
            List<List<String>> rows = new ArrayList<>();
            for (Param<?> p : Params.all()) {
                if (p.scope() == Param.Scope.GLOBAL_AND_PER_NODE) {
                    perParam(config, p, rows);
                }
            }
            return new ResultTable(detail, rows);
        }
        Param<?> p = Params.byName(name).orElse(null);
        if (p != null && p.scope() == Param.Scope.PER_NODE) {
            List<List<String>> rows = new ArrayList<>();
            perParam(config, p, rows);
            return new ResultTable(detail, rows);
        }
        try {
            return new ResultTable(List.of(name), List.of(List.of(config.format(name))));
        } catch (IllegalArgumentException e) {
            throw new AdminException("config variable \"" + name + "\" not found", null);
        }
    }

    private static void backendGroup(PgpoolConfig config, List<List<String>> rows) {
        for (var b : config.backends()) {
            for (Param<?> p : BACKEND_GROUP) {
                String item = p.nameFor(b.nodeId());
                rows.add(List.of(item, config.format(item), p.description(b.nodeId())));
            }
        }
    }

    /** The global value (if there is one), then every node's own value that the file sets. */
    private static void perParam(PgpoolConfig config, Param<?> p, List<List<String>> rows) {
        if (p.scope() != Param.Scope.PER_NODE) {
            rows.add(List.of(p.name(), config.format(p.name()), p.description()));
        }
        if (p.perNode()) {
            for (int i = 0; i < PgpoolConfig.MAX_BACKENDS; i++) {
                String item = p.nameFor(i);
                if (config.isSet(item)) {
                    rows.add(List.of(item, config.format(item), p.description(i)));
                }
            }
        }
    }
}
