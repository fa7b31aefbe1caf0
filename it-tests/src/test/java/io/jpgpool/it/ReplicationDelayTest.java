package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PoolNodes;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and a standby whose replay is paused while the primary writes: every {@code sr_check_period}
 * jpgpool measures the standby's delay in bytes of WAL, {@code SHOW pool_nodes} shows it, and once it is beyond
 * {@code delay_threshold} reads go to the primary, although its weight is 0 (SEMANTICS A.10); when replay
 * catches up, reads go back to the standby.
 */
class ReplicationDelayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0", "delay_threshold = 100000",
                "sr_check_period = 1");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // closed in reverse order: jpgpool, then the cluster
        }
    }

    @Test
    void aStandbyBeyondDelayThresholdGetsNoReadsUntilItCatchesUp() throws Exception {
        PgNode primary = cluster.node(0);
        PgNode standby = cluster.node(1);
        assertThat(jpgpool.readPorts(5)).isEqualTo(Set.of(standby.port()));

        standby.execute("SELECT pg_wal_replay_pause()");
        try {
            primary.execute("CREATE TABLE wal_filler AS SELECT g AS id, repeat('x', 100) AS pad "
                    + "FROM generate_series(1, 20000) AS g");
            await().atMost(WAIT).untilAsserted(() -> assertThat(delayOfNode1()).isGreaterThan(100_000));
            assertThat(jpgpool.readPorts(5)).isEqualTo(Set.of(primary.port()));
        } finally {
            standby.execute("SELECT pg_wal_replay_resume()");
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(delayOfNode1()).isLessThanOrEqualTo(100_000));
        await().atMost(WAIT).until(() -> jpgpool.readPorts(3).equals(Set.of(standby.port())));
    }

    /** replication_delay of node 1 in SHOW pool_nodes: bytes of WAL, as Pgpool-II shows it. */
    private static long delayOfNode1() throws Exception {
        return PoolNodes.show(jpgpool).stream().filter(row -> row.id() == 1).findFirst().orElseThrow()
                .replicationDelay();
    }
}
