package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given native replication on two independent servers and {@code memory_cache_enabled = on}: a write runs on
 * both nodes as one unit, and when it commits it drops the cached results of its table, in the simple and in the
 * extended protocol, so the next SELECT runs again and shows the new value.
 */
class NativeQueryCacheTest {
    private static final String DB = "nqcache";
    private static final String ITEM = "SELECT v FROM items WHERE id = 1";

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() throws SQLException {
        cluster = PgCluster.independent(ClusterOptions.builder().servers(2).initDatabase(DB).build());
        jpgpool = JpgpoolFixture.start(cluster, "memory_cache_enabled = on");
        try (Connection c = jpgpool.connectSimple(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO items VALUES (1, 'v1')");
        }
    }

    @AfterAll
    static void stop() {
        if (jpgpool != null) {
            jpgpool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void writesOfANativeUnitInvalidateInBothProtocols() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            for (int i = 0; i < 3; i++) {
                try (Connection c = jpgpool.connectSimple(DB)) {
                    assertThat(single(c, ITEM)).isEqualTo("v1");
                }
            }
            assertThat(log.executionsOf(ITEM)).as("three sessions, one run").hasSize(1);

            try (Connection c = jpgpool.connectSimple(DB)) {
                try (Statement s = c.createStatement()) {
                    s.execute("UPDATE items SET v = 'simple' WHERE id = 1");
                }
                assertThat(log.executionsOf("UPDATE items").stream().map(RoutingLog.Entry::node).distinct())
                        .as("the UPDATE ran on both nodes").containsExactlyInAnyOrder(0, 1);
                assertThat(single(c, ITEM)).isEqualTo("simple");
            }
            assertThat(log.executionsOf(ITEM)).hasSize(2);

            try (Connection c = jpgpool.connect(DB);
                    PreparedStatement ps = c.prepareStatement("UPDATE items SET v = ? WHERE id = 1")) {
                ps.setString(1, "extended");
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("extended");
            }
            assertThat(log.executionsOf(ITEM)).hasSize(3);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
