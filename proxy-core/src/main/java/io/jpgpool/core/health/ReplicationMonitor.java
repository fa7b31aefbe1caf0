package io.jpgpool.core.health;

import com.zaxxer.hikari.HikariDataSource;
import io.jpgpool.config.LogStandbyDelay;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.failover.PrimaryDetector;
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
public final class ReplicationMonitor implements PrimaryDetector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationMonitor.class);

    private final ProxyRuntime rt;
    private final ScheduledExecutorService executor;
    private final Map<Integer, HikariDataSource> pools = new HashMap<>();
    private ScheduledFuture<?> task;
    private volatile io.jpgpool.core.failover.FailoverCoordinator coordinator;

    public ReplicationMonitor(ProxyRuntime rt, ScheduledExecutorService executor) {
        this.rt = rt;
        this.executor = executor;
    }

    /** The coordinator that acts on what the check finds (set once the server is wired). */
    public void coordinator(io.jpgpool.core.failover.FailoverCoordinator c) {
        this.coordinator = c;
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
    @Override
    public int findPrimary() {
        ClusterSnapshot c = rt.cluster().snapshot();
        for (BackendNode n : c.nodes()) {
            if (n.alwaysPrimary() && n.isAlive()) {
                LOG.info("find_primary_node: ALWAYS_PRIMARY flag found. Returns node id: {}", n.id());
                return n.id();
            }
        }
        int primary = -1;
        java.util.List<Integer> standbys = new java.util.ArrayList<>();
        for (BackendNode n : c.nodes()) {
            if (!n.isAlive()) {
                continue;
            }
            Boolean inRecovery = inRecovery(n);
            if (Boolean.FALSE.equals(inRecovery) && primary < 0) {
                primary = n.id();
            } else if (Boolean.TRUE.equals(inRecovery)) {
                standbys.add(n.id());
            }
        }
        if (primary >= 0) { // pgpool's words; not for every round of a search that goes on
            LOG.info("find_primary_node: primary node is {}", primary);
            for (int s : standbys) {
                LOG.info("find_primary_node: standby node is {}", s);
            }
        }
        return primary;
    }

    /** {@code pg_is_in_recovery()} of a node, or null when it cannot be asked. */
    @Override
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

    /** What one node answered in a round of the replication check. */
    private record Answer(boolean inRecovery, long lsn, String senderHost, int senderPort, boolean streaming) {
    }

    /**
     * One round of the replication check: asks every alive node whether it is in recovery and where its WAL
     * is, follows a primary that moved outside jpgpool, keeps false primaries away from clients (C.6), and
     * updates each standby's delay and replication state (A.10).
     */
    public void check() {
        ClusterSnapshot c = rt.cluster().snapshot();
        PgpoolConfig cfg = rt.config();
        Map<Integer, Answer> answers = new HashMap<>();
        for (BackendNode n : c.nodes()) {
            if (n.isAlive()) {
                Answer a = ask(n);
                if (a != null) {
                    answers.put(n.id(), a);
                }
            }
        }
        int primary = c.primaryNodeId();
        if (coordinator == null || !coordinator.inProgress()) {
            followPrimary(c, answers, primary);
        }
        primary = rt.cluster().snapshot().primaryNodeId();
        Map<String, String[]> replication = new HashMap<>();
        Answer p = answers.get(primary);
        if (p != null && !p.inRecovery()) {
            replication = replicationStates(c.node(primary));
        }
        long primaryLsn = p != null && !p.inRecovery() ? p.lsn() : -1;
        Map<Integer, Long> delays = new HashMap<>();
        for (Map.Entry<Integer, Answer> e : answers.entrySet()) {
            if (e.getKey() != primary && e.getValue().inRecovery() && primaryLsn >= 0 && e.getValue().lsn() >= 0) {
                long delay = Math.max(0, primaryLsn - e.getValue().lsn());
                delays.put(e.getKey(), delay);
                logDelay(cfg, e.getKey(), delay);
            }
        }
        Map<String, String[]> states = replication;
        rt.cluster().update(s -> {
            ClusterSnapshot next = s;
            for (BackendNode n : s.nodes()) {
                if (n.id() == s.primaryNodeId()) {
                    if (n.replicationDelay() != 0 || n.replicationState() != null) {
                        next = next.withNode(next.node(n.id()).withReplication(0, null, null));
                    }
                    continue;
                }
                Long d = delays.get(n.id());
                String[] rep = states.get(n.applicationName());
                long delay = d != null ? d : n.replicationDelay();
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

    /**
     * Two or more nodes out of recovery: the true primary is the one every streaming standby follows; the
     * others are false primaries. They never get client traffic; with {@code detach_false_primary} they are
     * detached (C.6). One node out of recovery that is not our primary, while our primary is gone or in
     * recovery: somebody promoted it, and routing follows.
     */
    private void followPrimary(ClusterSnapshot c, Map<Integer, Answer> answers, int primary) {
        java.util.List<Integer> candidates = new java.util.ArrayList<>();
        answers.forEach((id, a) -> {
            if (!a.inRecovery()) {
                candidates.add(id);
            }
        });
        java.util.Collections.sort(candidates);
        Answer current = answers.get(primary);
        boolean primaryGone = primary < 0 || current == null || current.inRecovery();
        if (candidates.size() == 1 && candidates.get(0) != primary && primaryGone) {
            if (!mayMoveTo(c, primary, current)) {
                return;
            }
            if (coordinator != null) {
                coordinator.primaryChanged(candidates.get(0), primary < 0 ? "a primary appeared"
                        : "node " + primary + (current == null ? " is unreachable" : " is in recovery")
                        + " and node " + candidates.get(0) + " is not");
            }
            return;
        }
        long falsePrimaries = 0;
        if (candidates.size() > 1) {
            int truePrimary = followedByAllStandbys(c, answers, candidates);
            if (truePrimary < 0) {
                truePrimary = candidates.contains(primary) ? primary : candidates.get(0);
            }
            for (int cand : candidates) {
                if (cand == truePrimary) {
                    continue;
                }
                falsePrimaries |= 1L << cand;
                if ((c.falsePrimaries() & (1L << cand)) == 0) { // say it once, not every round
                    LOG.warn("node {} is not in recovery while node {} is the primary: a false primary; it gets "
                            + "no client traffic{}", cand, truePrimary,
                            rt.config().detachFalsePrimary() ? " and is detached" : "");
                }
                if (rt.config().detachFalsePrimary() && coordinator != null) {
                    try {
                        coordinator.degenerate(cand, io.jpgpool.core.failover.FailoverCoordinator.Reason.FALSE_PRIMARY);
                    } catch (io.jpgpool.core.failover.FailoverRequestException e) {
                        LOG.info("false primary {} not detached: {}", cand, e.getMessage());
                    }
                }
            }
            if (truePrimary != primary && primaryGone && coordinator != null) {
                coordinator.primaryChanged(truePrimary, "node " + truePrimary + " is followed by the standbys");
            }
        }
        long mask = falsePrimaries;
        rt.cluster().update(s -> s.withFalsePrimaries(mask));
    }

    /**
     * Routing follows a primary that moved without jpgpool, but not away from an unreachable primary that may not
     * be failed over (DISALLOW_TO_FAILOVER: Pgpool-II keeps it the primary, and its sessions fail).
     */
    private static boolean mayMoveTo(ClusterSnapshot c, int primary, Answer current) {
        return !(current == null && primary >= 0 && c.isAlive(primary) && !c.node(primary).allowToFailover());
    }

    /** The candidate that every streaming standby receives WAL from, or -1. */
    private static int followedByAllStandbys(ClusterSnapshot c, Map<Integer, Answer> answers,
            java.util.List<Integer> candidates) {
        for (int cand : candidates) {
            BackendNode p = c.node(cand);
            boolean all = true;
            boolean any = false;
            for (Map.Entry<Integer, Answer> e : answers.entrySet()) {
                Answer a = e.getValue();
                if (!a.inRecovery()) {
                    continue;
                }
                any = true;
                boolean follows = a.streaming() && a.senderPort() == p.port()
                        && (a.senderHost() == null || a.senderHost().equals(p.host())
                                || ("localhost".equals(a.senderHost()) && p.host().startsWith("127.")));
                all &= follows;
            }
            if (any && all) {
                return cand;
            }
        }
        return -1;
    }

    private Answer ask(BackendNode n) {
        try (Connection conn = pool(n).getConnection(); Statement s = conn.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_catalog.pg_is_in_recovery(), CASE WHEN "
                        + "pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_last_wal_replay_lsn() ELSE "
                        + "pg_catalog.pg_current_wal_lsn() END, w.status, w.sender_host, w.sender_port "
                        + "FROM (SELECT 1) AS one LEFT JOIN pg_catalog.pg_stat_wal_receiver w ON true")) {
            r.next();
            boolean rec = r.getBoolean(1);
            rt.probes().role(n.id(), rec);
            rt.probes().reachable(n.id(), true);
            return new Answer(rec, PgQueries.lsn(r.getString(2)), r.getString(4), r.getInt(5),
                    "streaming".equals(r.getString(3)));
        } catch (SQLException e) {
            LOG.debug("replication check on node {} failed: {}", n.id(), e.getMessage());
            rt.probes().role(n.id(), null);
            return null;
        }
    }

    private Map<String, String[]> replicationStates(BackendNode primary) {
        Map<String, String[]> states = new HashMap<>();
        try (Connection conn = pool(primary).getConnection(); Statement s = conn.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT application_name, state, sync_state FROM pg_catalog.pg_stat_replication")) {
            while (r.next()) {
                states.put(r.getString(1), new String[] {r.getString(2), r.getString(3)});
            }
        } catch (SQLException e) {
            LOG.debug("pg_stat_replication on node {} failed: {}", primary.id(), e.getMessage());
        }
        return states;
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
                    cfg.connectTimeout(), "jpgpool-sr-check-" + id, rt.connector().tls());
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
