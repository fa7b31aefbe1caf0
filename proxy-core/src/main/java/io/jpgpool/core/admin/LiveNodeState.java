package io.jpgpool.core.admin;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeProbes;
import io.jpgpool.core.health.PgQueries;
import io.jpgpool.core.runtime.ProxyRuntime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each node says of itself at the moment SHOW pool_nodes or pcp_node_info asks, as Pgpool-II reads it then
 * (pool_process_reporting.c): {@code pg_status} is a login as the health check makes it ({@code unknown} when
 * the node's {@code health_check_period} is 0), {@code pg_role} is {@code pg_is_in_recovery()} asked as
 * {@code sr_check_user} ({@code unknown} when {@code sr_check_period} is 0 or the node is not {@code up}). The
 * nodes are asked at the same time, on threads of their own (never on an event loop), and each answer is also
 * kept in {@link NodeProbes} as the checks' last word.
 */
final class LiveNodeState {
    private static final Logger LOG = LoggerFactory.getLogger(LiveNodeState.class);

    /** What one node answered. */
    record Answer(String pgStatus, String pgRole) {
    }

    private final ProxyRuntime rt;
    private final IntPredicate login;
    private final ExecutorService askers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jpgpool-node-status");
        t.setDaemon(true);
        return t;
    });

    /** @param login the health check's login attempt (true when the node let it in) */
    LiveNodeState(ProxyRuntime rt, IntPredicate login) {
        this.rt = rt;
        this.login = login;
    }

    /** Every configured node's answer, by node id; blocks until all have answered or timed out. */
    List<Answer> ask(ClusterSnapshot c) {
        List<CompletableFuture<Answer>> asked = new ArrayList<>();
        for (BackendNode n : c.nodes()) {
            asked.add(CompletableFuture.supplyAsync(() -> ask(c, n), askers));
        }
        List<Answer> answers = new ArrayList<>();
        for (CompletableFuture<Answer> a : asked) {
            answers.add(a.join());
        }
        return answers;
    }

    private Answer ask(ClusterSnapshot c, BackendNode n) {
        PgpoolConfig cfg = rt.config();
        String status = pgStatus(cfg, n);
        if (!c.isStreaming()) {
            return new Answer(status, c.role(n.id()).label());
        }
        return new Answer(status, "up".equals(status) ? pgRole(cfg, n) : NodeProbes.UNKNOWN);
    }

    private String pgStatus(PgpoolConfig cfg, BackendNode n) {
        if (cfg.healthCheck(n.id()).periodSeconds() <= 0) {
            return NodeProbes.UNKNOWN;
        }
        boolean up = login.test(n.id());
        rt.probes().reachable(n.id(), up);
        return up ? "up" : "down";
    }

    private String pgRole(PgpoolConfig cfg, BackendNode n) {
        if (cfg.srCheckPeriod() <= 0) {
            return NodeProbes.UNKNOWN;
        }
        String password = PgQueries.password(cfg.srCheckPassword(), cfg.srCheckUser(), rt.poolPasswd());
        int connectTimeout = cfg.healthCheck(n.id()).connectTimeoutMillis();
        try (Connection conn = PgQueries.connect(n, cfg.srCheckDatabase(), cfg.srCheckUser(), password,
                connectTimeout, 10, rt.connector().tls());
                ResultSet rs = conn.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
            Boolean inRecovery = rs.next() ? rs.getBoolean(1) : null;
            rt.probes().role(n.id(), inRecovery);
            return inRecovery == null ? NodeProbes.UNKNOWN : inRecovery ? "standby" : "primary";
        } catch (SQLException e) {
            LOG.debug("pg_is_in_recovery() on node {} failed: {}", n.id(), e.getMessage());
            return NodeProbes.UNKNOWN;
        }
    }

    void close() {
        askers.shutdownNow();
    }
}
