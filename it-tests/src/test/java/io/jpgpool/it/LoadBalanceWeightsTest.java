package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given a primary and two standbys with {@code backend_weight0 = 0}, {@code backend_weight1 = 1} and
 * {@code backend_weight2 = 3}: reads are spread 0 % / 25 % / 75 % (SEMANTICS A.6), per session by default and
 * per statement with {@code statement_level_load_balance = on} (A.7). With n = 1,200 draws the standard
 * deviation of a share is about 1.3 points, so a 5-point tolerance fails by chance about once in 10,000 runs.
 */
class LoadBalanceWeightsTest {
    private static final String DB = "lb";
    private static final String[] WEIGHTS = {"backend_weight0 = 0", "backend_weight1 = 1", "backend_weight2 = 3"};
    private static final int DRAWS = 1_200;
    private static final String READ = "SELECT name FROM lb_items WHERE id = ";

    static PgCluster cluster;
    JpgpoolFixture jpgpool;

    @BeforeAll
    static void startCluster() throws SQLException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        PgNode primary = cluster.node(0);
        try (Connection c = primary.connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE lb_items (id int PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO lb_items SELECT i, 'item ' || i FROM generate_series(1, 100) i");
        }
        for (PgNode standby : cluster.nodes().subList(1, 3)) {
            standby.waitForReplayOf(primary, Duration.ofSeconds(30));
        }
    }

    @AfterEach
    void stopJpgpool() {
        if (jpgpool != null) {
            jpgpool.close();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachNewSessionGoesToANodeDrawnByWeight() throws SQLException {
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS);
        Properties simple = props("simple");
        try (RoutingLog log = RoutingLog.capture()) {
            for (int i = 0; i < DRAWS; i++) {
                int id = i % 100 + 1;
                try (Connection c = jpgpool.connect(DB, simple); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(READ + id)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("item " + id);
                }
            }
            assertShares(log.executionsPerNode("FROM lb_items"));
        }
    }

    @Test
    void withoutStatementLevelBalancingOneSessionStaysOnItsNode() throws SQLException {
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS);
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB, props("simple"));
                Statement s = c.createStatement()) {
            for (int i = 0; i < 200; i++) {
                try (ResultSet rs = s.executeQuery(READ + (i % 100 + 1))) {
                    assertThat(rs.next()).isTrue();
                }
            }
            Map<Integer, Long> perNode = log.executionsPerNode("FROM lb_items");
            assertThat(perNode).hasSize(1).containsValue(200L).doesNotContainKey(0);
        }
    }

    @ParameterizedTest(name = "preferQueryMode={0}")
    @ValueSource(strings = {"simple", "extended"})
    void withStatementLevelBalancingEachReadOfOneSessionIsDrawnByWeight(String queryMode) throws SQLException {
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS[0], WEIGHTS[1], WEIGHTS[2],
                "statement_level_load_balance = on");
        // prepareThreshold = 0: every execution is a fresh Parse, so each one is routed afresh (SEMANTICS A.13)
        Properties p = props(queryMode);
        p.setProperty("prepareThreshold", "0");
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB, p);
                PreparedStatement ps = c.prepareStatement("SELECT name FROM lb_items WHERE id = ?")) {
            for (int i = 0; i < DRAWS; i++) {
                int id = i % 100 + 1;
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("item " + id);
                }
            }
            assertShares(log.executionsPerNode("FROM lb_items"));
        }
    }

    private static Properties props(String queryMode) {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", queryMode);
        return p;
    }

    private static void assertShares(Map<Integer, Long> perNode) {
        long total = perNode.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("reads counted once each: " + perNode).isEqualTo(DRAWS);
        assertThat(perNode).as("node 0 has weight 0").doesNotContainKey(0);
        assertThat(percent(perNode, 1)).as("node 1's share of " + perNode).isCloseTo(25.0, within(5.0));
        assertThat(percent(perNode, 2)).as("node 2's share of " + perNode).isCloseTo(75.0, within(5.0));
    }

    private static double percent(Map<Integer, Long> perNode, int node) {
        return 100.0 * perNode.getOrDefault(node, 0L) / DRAWS;
    }
}
