package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Given a primary and two standbys behind jpgpool: a client reads and writes through it. */
class SmokeTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // closed in reverse order: jpgpool, then the cluster
        }
    }

    @Test
    void writesGoToThePrimaryAndReadsToAStandby() throws Exception {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE smoke (id int primary key, v text)");
            s.execute("INSERT INTO smoke VALUES (1, 'one')");
            cluster.node(1).waitForReplayOf(cluster.node(0), Duration.ofSeconds(10));
            cluster.node(2).waitForReplayOf(cluster.node(0), Duration.ofSeconds(10));
            try (ResultSet r = s.executeQuery("SELECT v FROM smoke WHERE id = 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("one");
            }
            assertThat(log.nodesOf("INSERT INTO smoke")).containsOnly(0);
            assertThat(log.nodesOf("SELECT v FROM smoke")).isNotEmpty().doesNotContain(0);
        }
    }
}
