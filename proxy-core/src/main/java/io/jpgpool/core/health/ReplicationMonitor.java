package io.jpgpool.core.health;

import com.zaxxer.hikari.HikariDataSource;
import io.jpgpool.config.LogStandbyDelay;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.ProxyRuntime;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming replication check (pgpool's worker process, SEMANTICS A.10, C.6): finds the primary with
 * {@code pg_is_in_recovery()}, and every {@code sr_check_period} measures each standby's replay delay in bytes
 * of WAL and reads {@code pg_stat_replication} on the primary for replication_state / replication_sync_state.
 */
public final class ReplicationMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);

    private final ProxyRuntime rt;
    private final ScheduledExecutorService executor;
    private final Map<Integer, HikariDataSource> pools = new HashMap<>();
    private ScheduledFuture<?> task;

    public ReplicationMonitor(ProxyRuntime rt, ScheduledExecutorService executor) {
        this.rt = rt;
        this.executor = executor;
    }

    public void start() {
        int period = rt.config().srCheckPeriod();
        if (period > 0 && rt.cluster().snapshot().isStreaming()) {
            task = executor.scheduleWithFixedDelay(this::checkSafely, period, period, TimeUnit.SECONDS);
        }
    }

    /**
     * Finds the primary: a node flagged ALWAYS_PRIMARY, else the one node that is not in recovery; when
     * several are not in recovery the lowest id wins (the others are false primaries, SEMANTICS C.6). -1 when
     * there is none.
     */
    public int findPrimary() {
        ClusterSnapshot c = rt.cluster().snapshot();
        for (BackendNode n : c.nodes()) {
            if (n.alwaysPrimary() && n.isAlive()) {
                return n.id();
            }
        }
        int primary = -1;
        for (BackendNode n : c.nodes()) {
            if (!n.isAlive()) {
                continue;
            }
            Boolean inRecovery = inRecovery(n);
            if (Boolean.FALSE.equals(inRecovery) && primary < 0) {
                primary = n.id();
            }
        }
        return primary;
    }

    /** {@code pg_is_in_recovery()} of a node, or null when it cannot be asked. */
    public Boolean inRecovery(BackendNode n) {
        try (Connection conn = pool(n).getConnection(); Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_catalog.pg_is_in_recovery()")) {
            r.next();
            boolean rec = r.getBoolean(1);
            rt.probes().role(n.id(), rec);
            rt.probes().reachable(n.id(), true);
            return rec;
        } catch (SQLException e) {
            LOG.debug("pg_is_in_recovery() on node {} failed: {}", n.id(), e.getMessage());
            rt.probes().role(n.id(), null);
            return null;
        }
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("streaming replication check failed", e);
        }
    }

    /** One round of the replication check. */
    public void check() {
        ClusterSnapshot c = rt.cluster().snapshot();
        PgpoolConfig cfg = rt.config();
        int primary = c.primaryNodeId();
        long primaryLsn = -1;
        Map<String, String[]> replication = new HashMap<>();
        if (c.isAlive(primary)) {
            try (Connection conn = pool(c.node(primary)).getConnection(); Statement s = conn.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT pg_catalog.pg_is_in_recovery(), "
                        + "CASE WHEN pg_catalog.pg_is_in_recovery() THEN NULL ELSE pg_catalog.pg_current_wal_lsn() END")) {
                    r.next();
                    rt.probes().role(primary, r.getBoolean(1));
                    primaryLsn = PgQueries.lsn(r.getString(2));
                }
                try (ResultSet r = s.executeQuery(
                        "SELECT application_name, state, sync_state FROM pg_catalog.pg_stat_replication")) {
                    while (r.next()) {
                        replication.put(r.getString(1), new String[] {r.getString(2), r.getString(3)});
                    }
                }
                rt.probes().reachable(primary, true);
            } catch (SQLException e) {
                LOG.debug("replication check on primary node {} failed: {}", primary, e.getMessage());
                rt.probes().role(primary, null);
            }
        }
        Map<Integer, long[]> delays = new HashMap<>();
        for (BackendNode n : c.nodes()) {
            if (n.id() == primary || !n.isAlive()) {
                continue;
            }
            try (Connection conn = pool(n).getConnection(); Statement s = conn.createStatement();
                    ResultSet r = s.executeQuery(
                            "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.pg_last_wal_replay_lsn()")) {
                r.next();
                rt.probes().role(n.id(), r.getBoolean(1));
                rt.probes().reachable(n.id(), true);
                long replay = PgQueries.lsn(r.getString(2));
                long delay = primaryLsn >= 0 && replay >= 0 ? Math.max(0, primaryLsn - replay) : 0;
                delays.put(n.id(), new long[] {delay});
                logDelay(cfg, n.id(), delay);
            } catch (SQLException e) {
                LOG.debug("replication check on node {} failed: {}", n.id(), e.getMessage());
                rt.probes().role(n.id(), null);
            }
        }
        rt.cluster().update(s -> {
            ClusterSnapshot next = s;
            for (BackendNode n : s.nodes()) {
                if (n.id() == s.primaryNodeId()) {
                    if (n.replicationDelay() != 0 || n.replicationState() != null) {
                        next = next.withNode(n.withReplication(0, null, null));
                    }
                    continue;
                }
                long[] d = delays.get(n.id());
                String[] rep = replication.get(n.applicationName());
                long delay = d != null ? d[0] : n.replicationDelay();
                String state = rep != null ? rep[0] : null;
                String sync = rep != null ? rep[1] : null;
                if (delay != n.replicationDelay() || !java.util.Objects.equals(state, n.replicationState())
                        || !java.util.Objects.equals(sync, n.replicationSyncState())) {
                    next = next.withNode(next.node(n.id()).withReplication(delay, state, sync));
                }
            }
            return next;
        });
    }

    private void logDelay(PgpoolConfig cfg, int node, long delay) {
        LogStandbyDelay mode = cfg.logStandbyDelay();
        if (mode == LogStandbyDelay.ALWAYS && delay > 0
                || mode == LogStandbyDelay.IF_OVER_THRESHOLD && cfg.delayThreshold() > 0
                        && delay > cfg.delayThreshold()) {
            LOG.info("Replication of node: {} is behind {} bytes from the primary server (node: {})", node, delay,
                    rt.cluster().snapshot().primaryNodeId());
        }
    }

    private synchronized HikariDataSource pool(BackendNode n) {
        return pools.computeIfAbsent(n.id(), id -> {
            PgpoolConfig cfg = rt.config();
            String password = PgQueries.password(cfg.srCheckPassword(), cfg.srCheckUser(), rt.poolPasswd());
            return PgQueries.pool(n, cfg.srCheckDatabase(), cfg.srCheckUser(), password,
                    cfg.connectTimeout(), "jpgpool-sr-check-" + id);
        });
    }

    /** Forgets the connections to a node (its address changed, or it was detached). */
    public synchronized void forget(int node) {
        HikariDataSource ds = pools.remove(node);
        if (ds != null) {
            ds.close();
        }
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}
