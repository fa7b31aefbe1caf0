package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RetryingWriter;
import io.jpgpool.it.support.RoutingLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and a standby behind jpgpool with conf/failover.sh: node 0 stops and node 1 is promoted;
 * then node 0 is started again as it was, a primary that never went through recovery, and the operator
 * attaches it. Two nodes now take writes: jpgpool keeps writing to node 1 only, sends node 0 no reads either,
 * and reports it (SHOW pool_nodes: role standby, pg_role primary); with detach_false_primary it detaches it.
 */
class FalsePrimaryTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;
    static RetryingWriter writer;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster,
                FailoverScripts.withFastHealthCheck(FailoverScripts.failoverCommand(cluster)));
        pcp = PcpFixture.start(jpgpool);
        cluster.node(0).execute("CREATE TABLE written (id bigint PRIMARY KEY)");
        writer = RetryingWriter.start(jpgpool, "written", Duration.ofMillis(20), Duration.ofMillis(100));
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp; RetryingWriter w = writer) {
            // the writer, PCP, jpgpool, then the cluster
        }
    }

    @Test
    void anOldPrimaryRestartedWithoutRecoveryGetsNoTrafficAndIsReported() throws Exception {
        PgNode node0 = cluster.node(0);
        PgNode node1 = cluster.node(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.acks().size() >= 10);
        node1.waitForReplayOf(node0, Duration.ofSeconds(10)); // asynchronous: the table must be there first
        node0.stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(15)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up primary") && !jpgpool.server().failover().inProgress());

        node0.start(); // as a primary again: two nodes out of recovery
        assertThat(node0.isInRecovery()).isFalse();
        try (RoutingLog log = RoutingLog.capture()) {
            FailoverScripts.attach(pcp, 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> PoolNodes.summary(jpgpool)
                    .equals("0 up standby, 1 up primary"));
            long attached = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.acksOn(node1.port(), attached).size() >= 20);

            assertThat(jpgpool.readPorts(20)).as("ports of the nodes that answered reads")
                    .containsExactly(node1.port());
            assertThat(log.entries()).as("statements on node 0").noneMatch(e -> e.node() == 0);
        }
        assertThat(writer.acks()).filteredOn(a -> a.port() == node0.port()).allSatisfy(a -> assertThat(a.id())
                .isLessThan(writer.acksOn(node1.port(), 0).get(0).id()));
        assertThat(node0.query("SELECT count(*) FROM written WHERE id >= " + writer.acksOn(node1.port(), 0).get(0).id()))
                .as("rows written after the failover that reached node 0").containsExactly(List.of("0"));
        PoolNodes.Row reported = PoolNodes.show(jpgpool).get(0);
        assertThat(reported.role()).isEqualTo("standby");
        assertThat(reported.pgRole()).as("what node 0 itself says").isEqualTo("primary");

        jpgpool.appendConf("detach_false_primary = on");
        jpgpool.server().admin().reloadConfig();

        await().atMost(Duration.ofSeconds(10)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up primary"));
    }
}
