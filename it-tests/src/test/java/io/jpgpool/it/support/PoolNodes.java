package io.jpgpool.it.support;

import io.jpgpool.core.admin.NodeInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The node table as an operator sees it: {@code SHOW pool_nodes} through jpgpool's SQL port, or the same rows
 * from the admin API (which that command prints) when a test needs to look while no client may connect.
 */
public final class PoolNodes {
    /** One row, the columns failover and replication tests look at ({@code replication_delay}: bytes of WAL). */
    public record Row(int id, String status, String role, String pgRole, boolean loadBalanceNode,
            String replicationState, long replicationDelay) {
        /** {@code "1 up primary"}: what a test compares. */
        public String summary() {
            return id + " " + status + " " + role;
        }
    }

    private PoolNodes() {
    }

    /** {@code SHOW pool_nodes} through a new client session. */
    public static List<Row> show(JpgpoolFixture jpgpool) throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            return show(c);
        }
    }

    /** Node id to status ({@code waiting}, {@code up}, {@code down}): {@code SHOW pool_nodes} in a new session. */
    public static Map<Integer, String> statuses(JpgpoolFixture jpgpool) throws SQLException {
        return show(jpgpool).stream().collect(Collectors.toMap(Row::id, Row::status));
    }

    /** One node's status as SHOW pool_nodes prints it, from the admin API (no client session needed). */
    public static String status(JpgpoolFixture jpgpool, int node) throws Exception {
        return jpgpool.server().admin().node(node).status().label();
    }

    /** {@code SHOW pool_nodes} in this session (load_balance_node is this session's); it needs the simple protocol. */
    public static List<Row> show(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW pool_nodes")) {
            while (r.next()) {
                rows.add(new Row(r.getInt("node_id"), r.getString("status"), r.getString("role"),
                        r.getString("pg_role"), "true".equals(r.getString("load_balance_node")),
                        r.getString("replication_state"), Long.parseUnsignedLong(r.getString("replication_delay"))));
            }
        }
        return rows;
    }

    /** {@link #summary} of {@code SHOW pool_nodes}, with {@code waiting} (attached, unused so far) read as {@code up}. */
    public static String showAttached(JpgpoolFixture jpgpool) throws SQLException {
        return summary(show(jpgpool)).replace("waiting", "up");
    }

    /** The same table from the admin API, without a client session. */
    public static List<Row> admin(JpgpoolFixture jpgpool) {
        List<Row> rows = new ArrayList<>();
        for (NodeInfo n : jpgpool.server().admin().nodes()) {
            rows.add(new Row(n.id(), n.statusName(), n.role().label(), n.pgRole(), false, n.replicationState(),
                    n.replicationDelay()));
        }
        return rows;
    }

    /** {@code "0 down standby, 1 up primary, 2 up standby"}. */
    public static String summary(List<Row> rows) {
        return rows.stream().map(Row::summary).collect(Collectors.joining(", "));
    }

    /** The admin view's summary, with {@code waiting} (attached, not used yet) read as {@code up}. */
    public static String summary(JpgpoolFixture jpgpool) {
        return summary(admin(jpgpool)).replace("waiting", "up");
    }

    /** The session's load-balance node, from its own {@code SHOW pool_nodes}. */
    public static int loadBalanceNode(Connection c) throws SQLException {
        return show(c).stream().filter(Row::loadBalanceNode).mapToInt(Row::id).findFirst().orElse(-1);
    }
}
