package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Native replication mode on three independent servers (SEMANTICS B): every write runs on every node, the
 * nodes' answers are compared and the minority is detached; the failure scenarios of the seed document
 * (a table missing on one node, a table with other rows on another).
 */
class NativeReplicationTest {
    private static final String DB = "test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.independent(ClusterOptions.builder().servers(3).initDatabase(DB).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void cleanTables() {
        for (PgNode n : cluster.nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
            n.execute(DB, "DROP TABLE IF EXISTS t, missing_on_2, rows_differ");
        }
    }

    private static JpgpoolFixture jpgpool(String... extra) {
        return JpgpoolFixture.start(cluster, extra);
    }

    @Test
    void writesRunOnEveryNodeAndReadsOnOne() throws Exception {
        try (JpgpoolFixture j = jpgpool(); RoutingLog log = RoutingLog.capture();
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
            assertThat(s.executeUpdate("UPDATE t SET v = 'c' WHERE id = 2")).isEqualTo(1);
            try (ResultSet r = s.executeQuery("SELECT v FROM t WHERE id = 2")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("c");
            }
            for (PgNode n : cluster.nodes()) {
                assertThat(n.query(DB, "SELECT id, v FROM t ORDER BY id")).as(n.name())
                        .containsExactly(List.of("1", "a"), List.of("2", "c"));
            }
            assertThat(log.executionsOf("UPDATE t SET v = 'c'")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, 1, 2);
            assertThat(log.executionsOf("SELECT v FROM t")).hasSize(1);
        }
    }

    @Test
    void aTableMissingOnOneNodeDetachesItWhenAnUpdateFailsThere() throws Exception {
        for (int n = 0; n < 2; n++) {
            cluster.node(n).execute(DB, "CREATE TABLE missing_on_2 (id int, v int)");
            cluster.node(n).execute(DB, "INSERT INTO missing_on_2 VALUES (1, 1)");
        }
        try (JpgpoolFixture j = jpgpool("replication_stop_on_mismatch = on", "health_check_period = 0");
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("UPDATE missing_on_2 SET v = 2"));
            assertThat((Object) e).isNotNull();
            assertThat(e.getMessage()).contains("kind mismatch among backends");
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 2)).isEqualTo("down"));
            assertThat(PoolNodes.status(j, 0)).isIn("up", "waiting");
            // the write was rolled back everywhere: the session ended inside its internal transaction
            assertThat(cluster.node(0).query(DB, "SELECT v FROM missing_on_2")).containsExactly(List.of("1"));
            assertThat(cluster.node(1).query(DB, "SELECT v FROM missing_on_2")).containsExactly(List.of("1"));
        } finally {
            resetStatus();
        }
    }

    private static void resetStatus() {
        // pgpool_status lives in the fixture's directory, which each test gets anew
    }
}
