package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RecoveryScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Given jpgpool started with only the primary in pgpool.conf, when the standby's backend_* lines are appended and
 * the configuration reloaded (as pgpool_setup does before every test of Pgpool-II's suite): SHOW pool_nodes and
 * the pcp tools list the standby, down (Pgpool-II 4.3 gives a slot that gets a port at a reload CON_DOWN), and
 * only a logged-in pcp_attach_node brings it in; then the health check, the replication check, load balancing
 * and failover all include it, and a session that started before the reload goes on as it was. pgpool_setup's
 * own way, {@code pcp_recovery_node} of the added node, rebuilds it from the primary and brings it in too.
 */
class ReloadAddedBackendTest {
    private static final Pattern NODE_1 = Pattern.compile("^backend_\\w+1 = .*$");

    private PgCluster cluster;
    private JpgpoolFixture jpgpool;
    private PcpFixture pcp;

    @AfterEach
    void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    private static Commands.Result ok(Commands.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).as(r.all()).isEmpty();
        return r;
    }

    /** pgpool.conf without node 1's lines; returns them. */
    private List<String> removeNode1() throws Exception {
        List<String> kept = new ArrayList<>();
        List<String> node1 = new ArrayList<>();
        for (String line : Files.readAllLines(jpgpool.confFile())) {
            (NODE_1.matcher(line).matches() ? node1 : kept).add(line);
        }
        Files.write(jpgpool.confFile(), kept);
        return node1;
    }

    private static int port(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT inet_server_port()")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** pgpool.conf has the primary only; jpgpool and its PCP server run. Returns node 1's lines. */
    private List<String> startWithThePrimaryOnly(Runnable beforeStart, String... extra) throws Exception {
        jpgpool = JpgpoolFixture.prepare(cluster, extra);
        beforeStart.run();
        List<String> node1 = removeNode1();
        assertThat(node1).hasSize(6);
        jpgpool.startServer();
        pcp = PcpFixture.start(jpgpool);
        assertThat(ok(pcp.real("pcp_node_count")).stdout()).isEqualTo("1\n");
        return node1;
    }

    @Test
    void aStandbyAddedByReloadIsDownUntilAttachedThenServesReadsAndFailsOver() throws Exception {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        PgNode primary = cluster.node(0);
        PgNode standby = cluster.node(1);
        List<String> node1 = startWithThePrimaryOnly(() -> { }, "health_check_period = 1",
                "health_check_max_retries = 0", "connect_timeout = 2000");

        try (Connection before = jpgpool.connectSimple("postgres")) {
            assertThat(port(before)).isEqualTo(primary.port());

            // the standby's lines, and every read to it (weights reload for new sessions)
            jpgpool.appendConf(node1.toArray(String[]::new));
            jpgpool.appendConf("backend_weight0 = 0");
            assertThat(ok(pcp.real("pcp_reload_config")).stdout())
                    .isEqualTo("pcp_reload_config -- Command Successful\n");

            assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 up primary, 1 down standby");
            assertThat(ok(pcp.real("pcp_node_count")).stdout()).isEqualTo("2\n");
            assertThat(ok(pcp.real("pcp_node_info", "-n", "1")).stdout())
                    .startsWith("127.0.0.1 " + standby.port() + " 3 1.000000 down ");
            // a down node gets no reads: the new session reads on the primary still
            assertThat(jpgpool.readPorts(3)).containsExactly(primary.port());

            // a wrong PCP password attaches nothing
            Path wrong = jpgpool.dir().resolve("wrong-pcppass");
            Files.writeString(wrong, "*:*:" + PcpFixture.USER + ":not-it\n");
            Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
            List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec -a \"$0\" /usr/sbin/\"$0\" \"$@\""));
            cmd.addAll(pcp.argv("pcp_attach_node", "-n", "1"));
            Commands.Result refused = Commands.run(Duration.ofSeconds(30), Map.of("PCPPASSFILE", wrong.toString()),
                    null, cmd);
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
            assertThat(refused.stderr()).startsWith("FATAL:  authentication failed for user \"pcpadmin\"");
            assertThat(PoolNodes.status(jpgpool, 1)).isEqualTo("down");

            assertThat(ok(pcp.real("pcp_attach_node", "-n", "1")).stdout())
                    .isEqualTo("pcp_attach_node -- Command Successful\n");
            // the health check and the replication check reach it: pg_status up, pg_role standby, streaming
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(ok(pcp.real("pcp_node_info", "-n", "1")).stdout()).matches(
                            "127\\.0\\.0\\.1 " + standby.port() + " [12] 1\\.000000 (waiting|up) up standby standby "
                            + "\\d+ streaming async .*\n"));
            assertThat(ok(pcp.real("pcp_health_check_stats", "1")).stdout())
                    .matches("1 127\\.0\\.0\\.1 " + standby.port() + " (waiting|up) standby .*\n");

            // new sessions read on the standby (weight 0 for the primary), writes still go to the primary
            assertThat(jpgpool.readPorts(5)).containsExactly(standby.port());
            try (Connection after = jpgpool.connect("postgres"); Statement s = after.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS reload_added (i int)");
                s.execute("INSERT INTO reload_added VALUES (1)");
            }
            assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 up primary, 1 up standby");

            // the session of before knows one node and keeps working on it
            assertThat(port(before)).isEqualTo(primary.port());
            try (Statement s = before.createStatement(); ResultSet r = s.executeQuery("SHOW pool_nodes")) {
                int rows = 0;
                while (r.next()) {
                    rows++;
                }
                assertThat(rows).isEqualTo(2);
            }
        }

        // failover: the health check detaches the stopped standby
        standby.stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(30)).until(() -> PoolNodes.status(jpgpool, 1).equals("down"));
        assertThat(jpgpool.readPorts(2)).containsExactly(primary.port());
        assertThat(Files.readString(jpgpool.dir().resolve("pgpool_status"))).isEqualTo("up\ndown\n");
    }

    @Test
    void pcpRecoveryNodeOfANodeAddedByReloadRebuildsItAndBringsItIn() throws Exception {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        RecoveryScripts.install(cluster);
        PgNode standby = cluster.node(1);
        // pgpool_setup has no standby yet when it reloads: recovery makes it
        List<String> node1 = startWithThePrimaryOnly(() -> standby.stop(StopMode.FAST), "health_check_period = 1",
                "connect_timeout = 5000");
        jpgpool.appendConf(RecoveryScripts.conf(cluster, RecoveryScripts.FIRST_STAGE));
        jpgpool.appendConf(node1.toArray(String[]::new));
        assertThat(ok(pcp.real("pcp_reload_config")).stdout())
                .isEqualTo("pcp_reload_config -- Command Successful\n");
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 up primary, 1 down standby");

        Commands.Result r = pcp.real("pcp_recovery_node", "-n", "1");

        assertThat(r.stdout()).as(r.all()).isEqualTo("pcp_recovery_node -- Command Successful\n");
        assertThat(standby.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> PoolNodes.showAttached(jpgpool)
                .equals("0 up primary, 1 up standby"));
        standby.waitForStreamingFrom(cluster.node(0), Duration.ofSeconds(20));
    }
}
