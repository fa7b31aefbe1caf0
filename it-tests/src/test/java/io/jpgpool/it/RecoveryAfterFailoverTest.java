package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RecoveryScripts;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 5.4.2 of the PGECons report, to its end: the primary (node 0) stops, conf/failover.sh promotes node 1 and
 * conf/follow_primary.sh makes node 2 follow it; then the failed primary is brought back as a standby of the new
 * primary with {@code pcp_recovery_node -n 0}: node 0 is now a standby and node 1 the primary, and nothing in
 * the recovery may take node 0 for the primary. The stage commands run through the pgpool_recovery extension
 * when it is installed (created in template1 before the failover, so the new primary has it too), with
 * recovery_1st_stage set to rewind a former primary with pg_rewind.
 */
class RecoveryAfterFailoverTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() throws SQLException {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        RecoveryScripts.install(cluster, "rewind"); // a former primary: pg_rewind, not a full copy
        if (RecoveryScripts.extensionInstalled(cluster)) {
            RecoveryScripts.createExtension(cluster.node(0));
        }
        jpgpool = JpgpoolFixture.prepare(cluster, FailoverScripts.withFastHealthCheck(
                FailoverScripts.failoverCommand(cluster), "app_name_redirect_preference_list = 'reader0:0'"));
        jpgpool.appendConf(FailoverScripts.followPrimaryCommand(jpgpool));
        jpgpool.appendConf(RecoveryScripts.conf(cluster, RecoveryScripts.FIRST_STAGE));
        jpgpool.startServer();
        pcp = PcpFixture.start(jpgpool);
        try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE written (id bigint)");
            s.execute("INSERT INTO written SELECT generate_series(1, 1000)");
        }
        // asynchronous standbys: what node 0 wrote must be on them before it stops
        cluster.node(1).waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
        cluster.node(2).waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    @Test
    void theFailedPrimaryComesBackAsAStandbyOfTheNewPrimary() throws Exception {
        PgNode node0 = cluster.node(0);
        PgNode node1 = cluster.node(1);
        PgNode node2 = cluster.node(2);
        node0.stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(45)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up primary, 2 up standby") && !jpgpool.server().failover().inProgress());
        node2.waitForStreamingFrom(node1, Duration.ofSeconds(30));
        try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO written SELECT generate_series(1001, 2000)"); // after the failover, on node 1
        }
        assertThat(pcp.real("pcp_recovery_node", "-n", "1").stderr()).as("the new primary cannot be recovered")
                .isEqualTo("ERROR:  process recovery request failed\n"
                        + "DETAIL:  primary server cannot be recovered by online recovery.\n\n");

        Commands.Result r;
        List<String> jpgpoolRan;
        try (LogLines log = LogLines.capture("io.jpgpool.core.failover.CommandRunner")) {
            r = pcp.real("pcp_recovery_node", "-n", "0");
            jpgpoolRan = log.lines();
        }

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).as(r.all()).isEqualTo("pcp_recovery_node -- Command Successful\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 up standby, 1 up primary, 2 up standby"));
        assertThat(node0.isInRecovery()).as("node 0 is a standby now").isTrue();
        // the extension runs the script in node 1's server, which logs its output; else jpgpool logs it
        String stageOutput = RecoveryScripts.extensionInstalled(cluster) ? Files.readString(node1.logFile())
                : String.join("\n", jpgpoolRan);
        assertThat(stageOutput).contains("recovery_1st_stage: node 0: rewound with pg_rewind");
        assertThat(node1.isInRecovery()).as("node 1 is still the primary").isFalse();
        node0.waitForStreamingFrom(node1, Duration.ofSeconds(30));
        node0.waitForReplayOf(node1, Duration.ofSeconds(30));
        assertThat(node0.query("SELECT count(*) FROM written")).isEqualTo(List.of(List.of("2000")));
        assertThat(jpgpool.readPortAs("reader0", "postgres", "written")).as("node 0 gets reads again")
                .isEqualTo(node0.port());
        try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("INSERT INTO written VALUES (2001)");
        }
        node0.waitForReplayOf(node1, Duration.ofSeconds(30));
        assertThat(node0.query("SELECT max(id) FROM written")).as("writes go to node 1 and reach node 0")
                .isEqualTo(List.of(List.of("2001")));
    }
}
