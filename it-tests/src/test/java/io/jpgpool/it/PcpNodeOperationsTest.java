package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RoutingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a primary and two standbys behind jpgpool, reads on the standbys only ({@code backend_weight0 = 0}):
 * the real pcp_detach_node / pcp_attach_node take a standby out of routing and back, and pcp_reload_config
 * applies a new weight to new sessions without a restart.
 */
class PcpNodeOperationsTest {
    private static final int SESSIONS = 40;

    static PgCluster cluster;
    JpgpoolFixture jpgpool;
    PcpFixture pcp;

    @BeforeAll
    static void startCluster() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void start() {
        PcpFixture.assumeRealToolsInstalled();
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0", "backend_weight1 = 1", "backend_weight2 = 1");
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterEach
    void stop() {
        try (JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, then jpgpool
        }
    }

    /** {@code n} new sessions that each run one read; which node ran how many. */
    private Map<Integer, Long> readsOfNewSessions(String tag) throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            for (int i = 0; i < SESSIONS; i++) {
                try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SELECT '" + tag + "'")) {
                    assertThat(r.next()).isTrue();
                }
            }
            return log.executionsPerNode(tag);
        }
    }

    private String nodeInfo(int node) {
        Commands.Result r = pcp.real("pcp_node_info", String.valueOf(node));
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r.stdout();
    }

    @Test
    void detachTakesAStandbyOutOfRoutingAndAttachBringsItBack() throws SQLException {
        assertThat(readsOfNewSessions("before-detach")).containsOnlyKeys(1, 2);

        Commands.Result detach = pcp.real("pcp_detach_node", "2");
        assertThat(detach.stdout()).isEqualTo("pcp_detach_node -- Command Successful\n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(nodeInfo(2)).matches("127\\.0\\.0\\.1 " + cluster.node(2).port() + " 3 0\\.500000 down .*\n");
            assertThat(PoolNodes.statuses(jpgpool)).containsEntry(2, "down").containsEntry(1, "up");
        });
        assertThat(readsOfNewSessions("while-detached")).containsOnlyKeys(1);

        Commands.Result attach = pcp.real("pcp_attach_node", "-n", "2");
        assertThat(attach.stdout()).isEqualTo("pcp_attach_node -- Command Successful\n");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(nodeInfo(2)).matches("127\\.0\\.0\\.1 " + cluster.node(2).port()
                        + " [12] 0\\.500000 (waiting|up) .*\n"));
        assertThat(readsOfNewSessions("after-attach")).containsOnlyKeys(1, 2);
        assertThat(PoolNodes.statuses(jpgpool)).containsEntry(2, "up");
    }

    @Test
    void gracefulDetachWaitsForTheSessionsThenDetaches() throws SQLException {
        Commands.Result detach = pcp.real("pcp_detach_node", "-g", "1");
        assertThat(detach.stdout()).isEqualTo("pcp_detach_node -- Command Successful\n");
        assertThat(nodeInfo(1)).contains(" 3 0.500000 down ");
        assertThat(readsOfNewSessions("after-graceful-detach")).containsOnlyKeys(2);
        assertThat(pcp.real("pcp_attach_node", "1").stdout()).isEqualTo("pcp_attach_node -- Command Successful\n");
    }

    @Test
    void reloadConfigAppliesANewWeightToNewSessions() throws SQLException {
        assertThat(readsOfNewSessions("weights-1-1")).containsOnlyKeys(1, 2);
        assertThat(nodeInfo(1)).contains(" 0.500000 ");

        jpgpool.appendConf("backend_weight1 = 0");
        Commands.Result reload = pcp.real("pcp_reload_config");
        assertThat(reload.stdout()).isEqualTo("pcp_reload_config -- Command Successful\n");

        assertThat(nodeInfo(1)).contains(" 0.000000 ");
        assertThat(nodeInfo(2)).contains(" 1.000000 ");
        assertThat(readsOfNewSessions("weights-0-1")).containsOnlyKeys(2);
        assertThat(pcp.real("pcp_pool_status").stdout()).contains(
                "name : backend_weight1\nvalue: 0.000000\ndesc : weight of backend #1\n");
    }

    @Test
    void stopAndRecoveryAreRefusedWhileAFailoverRuns(@TempDir Path tmp) throws Exception {
        Path release = tmp.resolve("release");
        jpgpool.appendConf("failover_command = 'while [ ! -e " + release + " ]; do sleep 0.05; done'");
        assertThat(pcp.real("pcp_reload_config").stdout()).isEqualTo("pcp_reload_config -- Command Successful\n");
        try {
            assertThat(pcp.real("pcp_detach_node", "2").stdout()).isEqualTo("pcp_detach_node -- Command Successful\n");
            String refused = "ERROR:  failed to process PCP request at the moment\nDETAIL:  failover is in progress\n\n";
            assertThat(pcp.real("pcp_stop_pgpool", "-v", "-m", "fast").stderr()).isEqualTo(refused);
            assertThat(pcp.real("pcp_recovery_node", "-v", "2").stderr()).isEqualTo(refused);
            assertThat(readsOfNewSessions("during-failover")).as("jpgpool serves on").containsOnlyKeys(1);
        } finally {
            Files.createFile(release);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !jpgpool.server().failover().inProgress());
        // recovery_user is pgpool's default "nobody", which cannot log in
        assertThat(pcp.real("pcp_recovery_node", "2").stderr())
                .startsWith("ERROR:  node recovery failed, unable to connect to main node: 0 \nDETAIL:  ");
    }

    @Test
    void theNodeListsOfEveryDoorAgree() throws SQLException {
        // the SHOW session itself puts its nodes in use ("up"); read it first
        Map<Integer, String> show = PoolNodes.statuses(jpgpool);
        List<String> lines = pcp.real("pcp_node_info").stdout().lines().toList();
        for (int i = 0; i < 3; i++) {
            String statusName = lines.get(i).split(" ")[4];
            assertThat(show.get(i)).as("node " + i).isEqualTo(statusName);
        }
    }
}
