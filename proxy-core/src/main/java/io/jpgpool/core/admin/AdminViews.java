package io.jpgpool.core.admin;

import io.jpgpool.core.ProxyRuntime;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStats;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of the pgpool views, from the runtime's state. */
public final class AdminViews {
    /** Pgpool-II version this jpgpool behaves like, and our own. */
    public static final String POOL_VERSION = "4.3.5 (jpgpool " + version() + ")";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private AdminViews() {
    }

    public static String version() {
        String v = AdminViews.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }

    public static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    public static String percent(double v) {
        return String.format(Locale.ROOT, "%f", v);
    }

    /** SHOW pool_nodes (PCP_SPEC 10.3): 14 columns, one row per configured node. */
    public static ResultTable poolNodes(ProxyRuntime rt, int sessionLoadBalanceNode) {
        ClusterSnapshot c = rt.cluster().snapshot();
        List<List<String>> rows = new ArrayList<>();
        for (BackendNode n : c.nodes()) {
            boolean standby = c.isStreaming() && n.id() != c.primaryNodeId();
            rows.add(List.of(
                    String.valueOf(n.id()),
                    n.host(),
                    String.valueOf(n.port()),
                    n.status().label(),
                    pgStatus(rt, n),
                    percent(c.normalizedWeight(n.id())),
                    c.role(n.id()).label(),
                    pgRole(rt, c, n),
                    String.valueOf(rt.stats().get(n.id(), NodeStats.Kind.SELECT)),
                    String.valueOf(n.id() == sessionLoadBalanceNode),
                    String.valueOf(standby ? n.replicationDelay() : 0),
                    standby ? nullToEmpty(n.replicationState()) : "",
                    standby ? nullToEmpty(n.replicationSyncState()) : "",
                    time(n.lastStatusChange())));
        }
        return new ResultTable(List.of("node_id", "hostname", "port", "status", "pg_status", "lb_weight", "role",
                "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
                "replication_sync_state", "last_status_change"), rows);
    }

    /** SHOW pool_version (PCP_SPEC 10.7). */
    public static ResultTable poolVersion() {
        return new ResultTable(List.of("pool_version"), List.of(List.of(POOL_VERSION)));
    }

    /** The node as PostgreSQL itself last answered (a live probe in pgpool; our last check here). */
    static String pgStatus(ProxyRuntime rt, BackendNode n) {
        return rt.probes().pgStatus(n.id());
    }

    static String pgRole(ProxyRuntime rt, ClusterSnapshot c, BackendNode n) {
        if (!c.isStreaming()) {
            return c.role(n.id()).label();
        }
        return rt.probes().pgRole(n.id());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
