package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given a primary and two standbys behind jpgpool with a 1 s health check, and select-only clients pinned by
 * application name to node 1 ({@code spared}) or node 2 ({@code victim}) (5.4.1 of the PGECons report): when
 * node 2 stops, the health check alone (failover_on_backend_error is off) marks it down within its window,
 * the clients of node 1 never notice, the clients of node 2 are disconnected; once node 2 is rebuilt and
 * attached it serves reads again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandbyFailureTest {
    private static final String DB = "bench";
    private static final int PERIOD = 1;
    private static final int TIMEOUT = 1;
    private static final int RETRIES = 1;
    private static final int RETRY_DELAY = 1;
    /** The longest a health check may take to give up on a node: a period, then every attempt timing out. */
    private static final Duration DETECTION = Duration.ofSeconds(PERIOD + TIMEOUT + RETRIES * (RETRY_DELAY + TIMEOUT));

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        jpgpool = JpgpoolFixture.start(cluster, FailoverScripts.withFastHealthCheck("health_check_period = " + PERIOD,
                "health_check_timeout = " + TIMEOUT, "health_check_max_retries = " + RETRIES,
                "health_check_retry_delay = " + RETRY_DELAY, "failover_on_backend_error = off",
                "app_name_redirect_preference_list = 'spared:1,victim:2'"));
        pcp = PcpFixture.start(jpgpool);
        Commands.Result init = pgbench("", "-i", "-s", "1");
        assertThat(init.exitCode()).as(init.all()).isZero();
        for (PgNode standby : List.of(cluster.node(1), cluster.node(2))) {
            standby.waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    @Test
    @Order(1)
    void aStoppedStandbyIsDetachedWithinTheHealthCheckWindowAndOnlyItsOwnClientsAreDisconnected()
            throws Exception {
        PgNode node2 = cluster.node(2);
        try (RoutingLog log = RoutingLog.capture(); Connection sparedSession = connect("spared");
                Connection victimSession = connect("victim")) {
            assertThat(PoolNodes.loadBalanceNode(sparedSession)).isEqualTo(1);
            assertThat(PoolNodes.loadBalanceNode(victimSession)).isEqualTo(2);
            CompletableFuture<Commands.Result> spared = CompletableFuture.supplyAsync(
                    () -> pgbench("spared", "-n", "-S", "-c", "4", "-j", "2", "-T", "4"));
            CompletableFuture<Commands.Result> victim = CompletableFuture.supplyAsync(
                    () -> pgbench("victim", "-n", "-S", "-c", "2", "-T", "4"));
            await().atMost(Duration.ofSeconds(10)).until(() -> log.executionsPerNode("SELECT abalance").keySet()
                    .containsAll(List.of(1, 2)));

            node2.stop(StopMode.IMMEDIATE);
            long stopped = System.nanoTime();

            await().atMost(DETECTION).until(() -> PoolNodes.summary(jpgpool).endsWith("2 down standby"));
            long detectedMillis = (System.nanoTime() - stopped) / 1_000_000;
            Commands.Result sparedRun = spared.join();
            Commands.Result victimRun = victim.join();

            assertThat(detectedMillis).as("ms from the stop to node 2 down").isLessThanOrEqualTo(DETECTION.toMillis());
            assertThat(sparedRun.exitCode()).as(sparedRun.all()).isZero();
            assertThat(sparedRun.stdout()).contains("number of failed transactions: 0 ");
            assertThat(victimRun.exitCode()).as("pgbench clients of node 2 were aborted: " + victimRun.all())
                    .isEqualTo(2);
            assertThat(log.executionsPerNode("SELECT abalance").keySet()).containsExactlyInAnyOrder(1, 2);
            assertThat(query(sparedSession)).as("the session on node 1 goes on").isEqualTo(cluster.node(1).port());
            SQLException lost = catchThrowableOfType(() -> query(victimSession), SQLException.class);
            assertThat(lost.getSQLState()).as(lost.getMessage()).isIn("57P01", "08006");
        }
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 up primary, 1 up standby, 2 down standby");
    }

    @Test
    @Order(2)
    void aRebuiltStandbyIsAttachedAgainAndServesReads() throws Exception {
        PgNode node2 = cluster.node(2);
        node2.rebuildAsStandbyOf(cluster.node(0));

        FailoverScripts.attach(pcp, 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> PoolNodes.summary(jpgpool).endsWith("2 up standby"));
        try (RoutingLog log = RoutingLog.capture()) {
            Commands.Result run = pgbench("victim", "-n", "-S", "-c", "2", "-t", "200");
            assertThat(run.exitCode()).as(run.all()).isZero();
            assertThat(log.executionsPerNode("SELECT abalance")).containsExactly(Map.entry(2, 400L));
        }
        try (Connection c = connect("victim")) {
            assertThat(query(c)).isEqualTo(node2.port());
        }
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool))).isEqualTo("0 up primary, 1 up standby, 2 up standby");
    }

    /** A session whose load-balance node is chosen by its application name (simple protocol, for SHOW). */
    private static Connection connect(String applicationName) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("assumeMinServerVersion", "10"); // else pgjdbc sets application_name after the startup
        p.setProperty("preferQueryMode", "simple");
        return jpgpool.connect(DB, p);
    }

    /** The port of the node that ran a load-balanced read. */
    private static int query(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT inet_server_port() FROM pgbench_branches LIMIT 1")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static Commands.Result pgbench(String applicationName, String... args) {
        List<String> cmd = Stream.concat(Stream.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(), "-p",
                String.valueOf(jpgpool.port()), "-U", "postgres"), Stream.concat(Stream.of(args), Stream.of(DB)))
                .toList();
        return Commands.run(Duration.ofSeconds(60), Map.of("PGPASSWORD", cluster.options().superuserPassword(),
                "PGAPPNAME", applicationName), null, cmd);
    }
}
