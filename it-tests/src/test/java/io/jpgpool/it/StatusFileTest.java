package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.JpgpoolServer;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RoutingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and a standby behind jpgpool with conf/failover.sh, after node 0 failed and node 1 was
 * promoted: pgpool_status records node 0 down, a restarted jpgpool keeps it down even though node 0 runs
 * again (rebuilt as a standby of node 1), and a jpgpool started with {@code -D} discards the file and uses
 * every configured node again (SEMANTICS C.1).
 */
class StatusFileTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    /** The jpgpool started as {@code jpgpool -D} would be. */
    static JpgpoolServer discarding;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster,
                FailoverScripts.withFastHealthCheck(FailoverScripts.failoverCommand(cluster)));
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; JpgpoolServer d = discarding) {
            // the -D server, the fixture's, then the cluster
        }
    }

    @Test
    void aRestartKeepsAFailedNodeDownUntilStartedWithDiscardStatus() throws Exception {
        PgNode node0 = cluster.node(0);
        PgNode node1 = cluster.node(1);
        Path status = jpgpool.dir().resolve("pgpool_status");
        assertThat(Files.readAllLines(status)).containsExactly("up", "up");
        node0.stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(15)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up primary") && !jpgpool.server().failover().inProgress());
        assertThat(Files.readAllLines(status)).containsExactly("down", "up");
        node0.rebuildAsStandbyOf(node1);

        jpgpool.stopServer();
        jpgpool.startServer();

        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 down standby, 1 up primary");
        try (RoutingLog log = RoutingLog.capture()) {
            assertThat(jpgpool.readPorts(20)).containsExactly(node1.port());
            assertThat(log.entries()).noneMatch(e -> e.node() == 0);
        }
        assertThat(Files.readAllLines(status)).containsExactly("down", "up");

        jpgpool.stopServer();
        discarding = JpgpoolServer.start(PgpoolConfig.load(jpgpool.confFile()), new JpgpoolServer.Options(true));

        assertThat(PoolNodes.showAttached(jpgpool)).isEqualTo("0 up standby, 1 up primary");
        assertThat(Files.readAllLines(status)).containsExactly("up", "up");
        try (RoutingLog log = RoutingLog.capture()) {
            assertThat(jpgpool.readPorts(20)).containsExactlyInAnyOrder(node0.port(), node1.port());
            assertThat(log.executionsPerNode("SELECT inet_server_port()")).containsKeys(0, 1);
        }
    }
}
