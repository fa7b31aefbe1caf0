package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
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
import io.jpgpool.it.support.QueryingClients;
import io.jpgpool.it.support.RecoveryScripts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given a primary and two standbys behind jpgpool, conf/recovery_1st_stage and conf/pgpool_remote_start in every
 * data directory and a 1 s health check (the online recovery of the seed documents): standby 2 is stopped and
 * detached, 10,000 rows are written through jpgpool, and the real {@code pcp_recovery_node -n 2} rebuilds it from
 * the primary, starts it and attaches it while pgbench clients keep reading, first with the scripts run by
 * jpgpool itself, then through the {@code pgpool_recovery} extension. The primary cannot be recovered; a failing
 * first stage is reported with its stage and output and leaves the node down; the attach cuts no client.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineRecoveryTest {
    private static final String DB = "bench";
    private static final int ROWS = 10_000;
    private static final String SUCCESS = "pcp_recovery_node -- Command Successful\n";
    private static final String RECOVERY_LOGGER = "io.jpgpool.core.recovery";

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;
    static long rows;

    @BeforeAll
    static void start() throws SQLException {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        RecoveryScripts.install(cluster);
        // a stopped node is seen within a second or two; a node busy starting under load is given time
        jpgpool = JpgpoolFixture.prepare(cluster, FailoverScripts.withFastHealthCheck(
                "health_check_timeout = 5", "connect_timeout = 5000", "health_check_max_retries = 2",
                "app_name_redirect_preference_list = 'reader2:2'"));
        jpgpool.appendConf(RecoveryScripts.conf(cluster, RecoveryScripts.FIRST_STAGE));
        jpgpool.startServer();
        pcp = PcpFixture.start(jpgpool);
        Commands.Result init = pgbench("-i", "-s", "1");
        assertThat(init.exitCode()).as(init.all()).isZero();
        try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE recovered_rows (id bigint PRIMARY KEY)");
            s.execute("CREATE TABLE attach_probe (client int, n bigint)");
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
    void thePrimaryAndAnAttachedNodeAreRefusedAndTheToolsExitZeroAsPgpoolsDo() {
        String primary = "ERROR:  process recovery request failed\n"
                + "DETAIL:  primary server cannot be recovered by online recovery.\n\n";
        for (Commands.Result r : List.of(pcp.real("pcp_recovery_node", "-n", "0"),
                pcp.jpcp("pcp_recovery_node", "-n", "0"))) {
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).isEqualTo(primary);
        }
        Commands.Result alive = pcp.real("pcp_recovery_node", "-n", "1");
        assertThat(alive.stderr()).isEqualTo("ERROR:  node recovery failed, node id: 1 is alive\n\n");
        assertThat(PoolNodes.summary(jpgpool)).isEqualTo("0 up primary, 1 up standby, 2 up standby");
    }

    @Test
    @Order(2)
    void withoutTheExtensionJpgpoolRunsTheScriptsAndTheStandbyComesBackWithEveryRow() throws Exception {
        List<String> log = recoverUnderLoad(cluster.node(2));

        assertThat(log).anyMatch(l -> l.contains("the stage commands run on the jpgpool host from "
                + cluster.node(0).dataDir() + " as OS user ")
                && l.contains("the pgpool_recovery extension is not installed in template1 of node 0"));
        assertThat(log).anyMatch(l -> l.matches("node recovery, 1st stage is done in \\d+ ms"))
                .anyMatch(l -> l.matches("recovery done: node 2 recovered in \\d+ ms \\(.*\\)"));
    }

    @Test
    @Order(3)
    void aFailingFirstStageIsReportedWithItsOutputAndTheNodeStaysDown() throws Exception {
        PgNode node2 = cluster.node(2);
        RecoveryScripts.installFailing(cluster, "recovery_fail", "copying the base backup",
                "pg_basebackup: error: connection to server failed");
        jpgpool.appendConf("recovery_1st_stage_command = 'recovery_fail'");
        assertThat(pcp.real("pcp_reload_config").stdout()).isEqualTo("pcp_reload_config -- Command Successful\n");
        stopAndDetach(node2);
        try {
            String expected = "ERROR:  executing recovery, execution of command failed at \"1st stage\"\n"
                    + "DETAIL:  command:\"recovery_fail\" exited with status 3; its last lines:\n"
                    + "copying the base backup\npg_basebackup: error: connection to server failed\n\n";
            for (Commands.Result r : List.of(pcp.real("pcp_recovery_node", "-n", "2"),
                    pcp.jpcp("pcp_recovery_node", "-n", "2"))) {
                assertThat(r.exitCode()).as(r.all()).isZero();
                assertThat(r.stdout()).isEmpty();
                assertThat(r.stderr()).isEqualTo(expected);
            }
            assertThat(PoolNodes.summary(jpgpool)).isEqualTo("0 up primary, 1 up standby, 2 down standby");
            assertThat(pcp.real("pcp_node_info", "-n", "2").stdout()).contains(" 3 0.333333 down ");
            assertThat(node2.isRunning()).isFalse();
        } finally {
            jpgpool.appendConf("recovery_1st_stage_command = '" + RecoveryScripts.FIRST_STAGE + "'");
            assertThat(pcp.real("pcp_reload_config").exitCode()).isZero();
        }
    }

    @Test
    @Order(4)
    void withTheExtensionThePrimaryRunsTheScriptsAndTheStandbyComesBackWithEveryRow() throws Exception {
        assumeThat(RecoveryScripts.extensionInstalled(cluster)).as("postgresql-15-pgpool2 is installed").isTrue();
        RecoveryScripts.createExtension(cluster.node(0));
        PgNode node2 = cluster.node(2);

        List<String> log = recoverUnderLoad(node2);

        assertThat(log).anyMatch(l -> l.endsWith("the stage commands run through the pgpool_recovery extension on "
                + "node 0"));
        assertThat(log).contains("executing recovery: starting recovery command: \"SELECT pgpool_recovery("
                + "'recovery_1st_stage', '127.0.0.1', '" + node2.dataDir() + "', '" + cluster.node(0).port()
                + "', 2, '" + node2.port() + "', '127.0.0.1')\"", "executing remote start: \"SELECT "
                + "pgpool_remote_start('127.0.0.1', '" + node2.dataDir() + "')\"");
    }

    /** Pgpool-II 4.3.5 ends every session that runs a query while the recovered node is attached. */
    @Test
    @Order(5)
    void theAttachAtTheEndCutsNoClientSession() throws Exception {
        PgNode node2 = cluster.node(2);
        stopAndDetach(node2);
        long attached;
        try (QueryingClients clients = QueryingClients.start(jpgpool, DB, "attach_probe", 6)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.rounds() >= 30);

            Commands.Result r = pcp.real("pcp_recovery_node", "-n", "2");
            attached = System.nanoTime();

            assertThat(r.stdout()).as(r.all()).isEqualTo(SUCCESS);
            await().atMost(Duration.ofSeconds(20)).until(() -> clients.allDoneAfter(attached)
                    && PoolNodes.summary(jpgpool).endsWith("2 up standby"));
            assertThat(clients.failures()).as("what the clients saw across the attach").isEmpty();
        }
        assertThat(readsAsReader2()).isEqualTo(node2.port());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Stops and detaches a standby, writes 10,000 rows through jpgpool, and recovers the standby with the real
     * pcp_recovery_node while pgbench -S reads through jpgpool; returns what recovery logged.
     */
    private static List<String> recoverUnderLoad(PgNode node) throws Exception {
        stopAndDetach(node);
        writeRows();
        try (LogLines log = LogLines.capture(RECOVERY_LOGGER)) {
            CompletableFuture<Commands.Result> load = CompletableFuture.supplyAsync(
                    () -> pgbench("-n", "-S", "-c", "4", "-j", "2", "-T", "10"));

            Commands.Result r = pcp.real("pcp_recovery_node", "-n", String.valueOf(node.id()));

            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).as(r.all()).isEqualTo(SUCCESS);
            assertRecovered(node);
            Commands.Result run = load.join();
            assertThat(run.exitCode()).as(run.all()).isZero();
            assertThat(run.stdout()).as(run.all()).contains("number of failed transactions: 0 ");
            return log.lines();
        }
    }

    /** Stops a standby and waits for the health check to detach it. */
    private static void stopAndDetach(PgNode node) {
        node.stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(20)).until(() -> PoolNodes.summary(jpgpool)
                .endsWith(node.id() + " down standby") && !jpgpool.server().failover().inProgress());
    }

    /** 10,000 more rows, in ten statements through jpgpool. */
    private static void writeRows() throws SQLException {
        try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
            for (int i = 0; i < 10; i++) {
                long from = rows + i * (ROWS / 10) + 1;
                s.executeUpdate("INSERT INTO recovered_rows SELECT g FROM generate_series(" + from + ", "
                        + (from + ROWS / 10 - 1) + ") g");
            }
        }
        rows += ROWS;
    }

    /** Attached, a standby of the primary with every row, and the load-balance node of reader2 again. */
    private static void assertRecovered(PgNode node) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 up primary, 1 up standby, 2 up standby"));
        assertThat(node.isInRecovery()).as("node %d is a standby", node.id()).isTrue();
        node.waitForStreamingFrom(cluster.node(0), Duration.ofSeconds(30));
        node.waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
        try (Connection c = node.connect(DB); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM recovered_rows")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(rows);
        }
        assertThat(readsAsReader2()).as("node 2 gets reads again").isEqualTo(node.port());
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool)).replace("waiting", "up"))
                .isEqualTo("0 up primary, 1 up standby, 2 up standby");
    }

    private static int readsAsReader2() throws SQLException {
        return jpgpool.readPortAs("reader2", DB, "pgbench_branches");
    }

    private static Commands.Result pgbench(String... args) {
        List<String> cmd = Stream.concat(Stream.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(), "-p",
                String.valueOf(jpgpool.port()), "-U", "postgres"), Stream.concat(Stream.of(args), Stream.of(DB)))
                .toList();
        return Commands.run(Duration.ofSeconds(90), Map.of("PGPASSWORD", cluster.options().superuserPassword()),
                null, cmd);
    }
}
