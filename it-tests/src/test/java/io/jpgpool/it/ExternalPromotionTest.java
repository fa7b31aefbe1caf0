package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RetryingWriter;
import io.jpgpool.it.support.RoutingLog;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and two standbys behind jpgpool with neither failover_command nor follow_primary_command (an
 * operator or an outside tool does the promoting) and a 1 s search for a new primary: when node 0 stops,
 * jpgpool detaches it and, finding no primary, keeps going without one; when the operator then runs
 * {@code pg_ctl promote} on node 1, the replication check finds it and writes go there.
 */
class ExternalPromotionTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static RetryingWriter writer;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        jpgpool = JpgpoolFixture.start(cluster, FailoverScripts.withFastHealthCheck("failover_command = ''",
                "follow_primary_command = ''", "search_primary_node_timeout = 1"));
        cluster.node(0).execute("CREATE TABLE written (id bigint PRIMARY KEY)");
        writer = RetryingWriter.start(jpgpool, "written", Duration.ofMillis(20), Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; RetryingWriter w = writer) {
            // the writer, jpgpool, then the cluster
        }
    }

    @Test
    void aStandbyPromotedOutsideJpgpoolBecomesThePrimaryItWritesTo() throws Exception {
        PgNode node1 = cluster.node(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.acks().size() >= 10);
        node1.waitForReplayOf(cluster.node(0), Duration.ofSeconds(10)); // asynchronous: the table must be there

        cluster.node(0).stop(StopMode.IMMEDIATE);

        await().atMost(Duration.ofSeconds(10)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up standby, 2 up standby") && !jpgpool.server().failover().inProgress());
        long promoted = System.nanoTime();
        try (RoutingLog log = RoutingLog.capture()) {
            node1.promote();

            await().atMost(Duration.ofSeconds(10)).until(() -> PoolNodes.summary(jpgpool)
                    .equals("0 down standby, 1 up primary, 2 up standby"));
            long followed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acksOn(node1.port(), followed).size() >= 10);
            assertThat(log.executionsPerNode("INSERT INTO written").keySet()).containsExactly(1);
        }
        assertThat(PoolNodes.showAttached(jpgpool)).isEqualTo("0 down standby, 1 up primary, 2 up standby");
        assertThat(writer.acks()).as("no write acknowledged by a node that was not the primary")
                .allSatisfy(a -> assertThat(a.port()).isIn(cluster.node(0).port(), node1.port()));
        assertThat(writer.failures()).as("while there is no primary, writes go to the main node, a standby")
                .extracting(RetryingWriter.Failure::sqlState)
                .isSubsetOf("57P01", "08006", "08001", "25006");
    }
}
