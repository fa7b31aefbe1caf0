package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.core.admin.NodeInfo;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import io.jpgpool.it.support.RoutingLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What psql users see around a standby that stops, the way Pgpool-II's own suite looks at it (its tests 003, 027
 * and 078): a health check that would take long to notice (every 10 s), no replication check, and
 * failover_on_backend_error on. The first client after the stop either does not need the standby or ends with
 * pgpool's FATAL once the standby is failed over; either way its SHOW pool_nodes, or the next client's, shows the
 * standby {@code down} with {@code pg_status} down and {@code pg_role} unknown, read at that moment. Before the
 * stop, a statement in a failed transaction gets pgpool's 25P02 with the statement as DETAIL, and no node sees
 * it. Each step is logged in pgpool's words, which scripts grep: the primary search at start, the
 * degeneration and its end, the failback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoppedNodeTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static List<String> startLog;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        try (LogLines log = LogLines.capture("io.jpgpool.core")) {
            jpgpool = startJpgpool();
            startLog = log.lines();
        }
    }

    private static JpgpoolFixture startJpgpool() {
        return JpgpoolFixture.start(cluster, "sr_check_period = 0", "health_check_period = 10",
                "health_check_max_retries = 3", "health_check_retry_delay = 1", "connect_timeout = 1000",
                "failover_on_backend_error = on", "backend_weight0 = 1", "backend_weight1 = 1");
    }

    @Test
    @Order(0)
    void theStartLogsThePrimarySearchAsPgpoolDoes() {
        assertThat(startLog).containsSubsequence("find_primary_node_repeatedly: waiting for finding a primary node",
                "find_primary_node: primary node is 0", "find_primary_node: standby node is 1");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    @Order(1)
    void aStatementInAFailedTransactionIsAnsweredByJpgpoolWithTheStatementAsDetail() {
        try (RoutingLog log = RoutingLog.capture()) {
            Commands.Result r = psql("-e", "-c", "BEGIN", "-c", "SELECT * FROM no_such_table_here;",
                    "-c", "SELECT 4242;", "-c", "END", "-c", "SELECT 4343;");
            assertThat(r.all()).contains("ERROR:  current transaction is aborted, commands ignored until end of "
                    + "transaction block\nDETAIL:  statement: SELECT 4242;");
            assertThat(r.stdout()).contains("ROLLBACK").contains("4343");
            assertThat(log.executionsOf("SELECT 4242")).as("refused by jpgpool, not by a node").isEmpty();
            assertThat(log.executionsOf("SELECT 4343")).hasSize(1);
        }
    }

    @Test
    @Order(2)
    void aStoppedStandbyIsDownInTheNextShowPoolNodesWithItsLiveStatus() {
        assertThat(nodes()).containsExactly("0|up|up|primary|unknown", "1|up|up|standby|unknown");
        LogLines log = LogLines.capture("io.jpgpool.core.failover");

        cluster.node(1).stop(StopMode.FAST);

        // as pgpool's wait_for_pgpool_startup: clients until one gets in; a refused one must say why as pgpool does
        List<Commands.Result> refused = new ArrayList<>();
        Commands.Result shown = null;
        for (int i = 0; i < 5 && shown == null; i++) {
            Commands.Result r = psql("-At", "-F", "|", "-c", "SHOW pool_nodes");
            if (r.exitCode() == 0) {
                shown = r;
            } else {
                refused.add(r);
            }
        }
        assertThat(shown).as("a client got in: %s", refused).isNotNull();
        for (Commands.Result r : refused) {
            assertThat(r.stderr()).contains("FATAL:  failed to create a backend connection")
                    .contains("DETAIL:  executing failover on backend");
        }
        assertThat(rows(shown.stdout())).as("the first SHOW that runs already sees the failover")
                .containsExactly("0|up|up|primary|unknown", "1|down|down|standby|unknown");
        NodeInfo viaPcp = jpgpool.server().admin().nodes().get(1);
        assertThat(viaPcp.pgStatus() + " " + viaPcp.pgRole()).isEqualTo("down unknown");
        log.close();
        String host = cluster.node(1).host() + "(" + cluster.node(1).port() + ")";
        assertThat(log.lines()).containsSubsequence("starting degeneration. shutdown host " + host
                + "\nDETAIL:  reason: backend error", "failover: set new primary node: 0",
                "failover: set new main node: 0").anyMatch(l -> l.startsWith("failover done. shutdown host " + host
                        + "\nDETAIL:  reason: backend error; took "));
    }

    @Test
    @Order(3)
    void theRestartedStandbyAnswersUpAgainWhileStillDetachedAndIsAttachedBack() throws Exception {
        cluster.node(1).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodes().get(1).equals("1|down|up|standby|unknown"));

        String host = cluster.node(1).host() + "(" + cluster.node(1).port() + ")";
        try (LogLines log = LogLines.capture("io.jpgpool.core.failover")) {
            jpgpool.server().admin().attachNode(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
                    .anyMatch(l -> l.startsWith("failback done. reconnect host " + host)));
            assertThat(log.lines()).first().isEqualTo("starting fail back. reconnect host " + host
                    + "\nDETAIL:  reason: attach request");
        }
    }

    /** node_id|status|pg_status|role|pg_role of SHOW pool_nodes in a new psql session. */
    private static List<String> nodes() {
        Commands.Result r = psql("-At", "-F", "|", "-c", "SHOW pool_nodes");
        assertThat(r.exitCode()).as(r.all()).isZero();
        return rows(r.stdout());
    }

    private static List<String> rows(String out) {
        List<String> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split("\\|", -1);
            rows.add(String.join("|", f[0], f[3], f[4], f[6], f[7]));
        }
        return rows;
    }

    private static Commands.Result psql(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("psql"), "-X", "-h", jpgpool.host(), "-p",
                String.valueOf(jpgpool.port()), "-U", "postgres", "-d", "postgres"));
        command.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(60), Map.of("PGPASSWORD", cluster.options().superuserPassword()),
                null, command);
    }
}
