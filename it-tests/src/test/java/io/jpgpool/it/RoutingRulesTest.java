package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a primary and a standby that takes every read ({@code backend_weight0 = 0}, {@code backend_weight1 = 1}),
 * psql's statements as it sends them: {@code primary_routing_query_pattern_list} matches the text with its
 * semicolon (Pgpool-II's 001.load_balance scenario), and under {@code disable_load_balance_on_write =
 * 'dml_adaptive'} a transaction reads on the primary only what it wrote or what the relationship list ties to it
 * (032.dml_adaptive_load_balance).
 */
class RoutingRulesTest {
    private static final String DB = "rules";
    private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] WEIGHTS = {"backend_weight0 = 0", "backend_weight1 = 1"};

    static PgCluster cluster;
    @TempDir
    static Path work;
    JpgpoolFixture jpgpool;

    @BeforeAll
    static void startCluster() throws SQLException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).initDatabase(DB).build());
        PgNode primary = cluster.node(0);
        try (Connection c = primary.connect(DB); Statement s = c.createStatement()) {
            for (String table : List.of("orders", "order_lines", "stock", "audit", "totals")) {
                s.execute("CREATE TABLE " + table + " (i int)");
            }
            s.execute("CREATE FUNCTION book(int) RETURNS int AS 'SELECT $1' LANGUAGE SQL");
            s.execute("CREATE FUNCTION peek(int) RETURNS int AS 'SELECT $1' LANGUAGE SQL STABLE");
        }
        cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(30));
    }

    @AfterEach
    void stopJpgpool() {
        if (jpgpool != null) {
            jpgpool.close();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aQueryMatchingAPatternWithItsSemicolonRunsOnThePrimary() {
        // written in pgpool.conf as pgpool's users write it: each ';' inside a pattern escaped
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS[0], WEIGHTS[1],
                "primary_routing_query_pattern_list = 'SELECT \\* FROM orders\\;;SELECT \\'x\\'\\;;"
                        + "^.*stock.*\\;$;^.*peek.*$'");
        try (RoutingLog log = RoutingLog.capture()) {
            for (String query : List.of("SELECT * FROM orders;", "SELECT 'x';", "SELECT i FROM stock WHERE i > 0;",
                    "SELECT peek(1);")) {
                psql("-c", query);
                assertThat(log.nodesOf(query)).as(query).containsExactly(0);
            }
            psql("-c", "SELECT * FROM audit;");
            assertThat(log.nodesOf("FROM audit")).as("a query matching no pattern").containsExactly(1);
            log.clear();
            psql("-c", "select * from ORDERS;");
            assertThat(log.nodesOf("from ORDERS")).as("patterns ignore case").containsExactly(0);
        }
    }

    @Test
    void dmlAdaptiveReadsWhatTheTransactionWroteOnThePrimaryAndTheRestOnTheStandby() throws IOException {
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS[0], WEIGHTS[1],
                "disable_load_balance_on_write = 'dml_adaptive'",
                "dml_adaptive_object_relationship_list = 'orders:order_lines'");
        try (RoutingLog log = RoutingLog.capture()) {
            psqlScript("BEGIN;",
                    "SELECT i, 'step 1' FROM order_lines;",
                    "INSERT INTO orders VALUES (1);",
                    "SELECT i, 'step 2' FROM orders;",
                    "SELECT i, 'step 3' FROM stock;",
                    "SELECT i, 'step 4' FROM order_lines;",
                    "COMMIT;",
                    "SELECT i, 'step 5' FROM orders;");
            assertThat(log.nodesOf("'step 1'")).as("before any write").containsExactly(1);
            assertThat(log.nodesOf("INSERT INTO orders")).containsExactly(0);
            assertThat(log.nodesOf("'step 2'")).as("the table written").containsExactly(0);
            assertThat(log.nodesOf("'step 3'")).as("a table not written").containsExactly(1);
            assertThat(log.nodesOf("'step 4'")).as("related to the table written").containsExactly(0);
            assertThat(log.nodesOf("'step 5'")).as("after COMMIT").containsExactly(1);
        }
    }

    @Test
    void dmlAdaptiveCountsAFunctionsRelatedTableAsWrittenForTheRestOfTheTransaction() throws IOException {
        // book() is listed as writing, so its call runs on the primary; totals is tied to it
        jpgpool = JpgpoolFixture.start(cluster, WEIGHTS[0], WEIGHTS[1],
                "disable_load_balance_on_write = 'dml_adaptive'", "write_function_list = 'book'",
                "dml_adaptive_object_relationship_list = 'book():totals'");
        try (RoutingLog log = RoutingLog.capture()) {
            psqlScript("BEGIN;",
                    "SELECT i, 'call 1' FROM totals;",
                    "SELECT book(7), 'call 2';",
                    "SELECT i, 'call 3' FROM totals;",
                    "SELECT i, 'call 4' FROM orders;",
                    "COMMIT;",
                    "BEGIN;",
                    "SELECT i, 'call 5' FROM totals;",
                    "COMMIT;");
            assertThat(log.nodesOf("'call 1'")).containsExactly(1);
            assertThat(log.nodesOf("'call 2'")).as("a writing function").containsExactly(0);
            assertThat(log.nodesOf("'call 3'")).as("tied to the function called").containsExactly(0);
            assertThat(log.nodesOf("'call 4'")).as("other reads still balance after the write").containsExactly(1);
            assertThat(log.nodesOf("'call 5'")).as("the next transaction starts clean").containsExactly(1);
        }
    }

    private void psqlScript(String... lines) throws IOException {
        Path script = Files.createTempFile(work, "script-", ".sql");
        Files.writeString(script, String.join("\n", lines) + "\n");
        psql("-v", "ON_ERROR_STOP=1", "-f", script.toString());
    }

    private void psql(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("psql"), "-X", "-h", "127.0.0.1",
                "-p", String.valueOf(jpgpool.port()), "-U", "postgres", "-d", DB));
        command.addAll(List.of(args));
        Commands.Result r = Commands.run(PSQL_TIMEOUT, Map.of("PGCONNECT_TIMEOUT", "10"), null, command);
        assertThat(r.exitCode()).as(r.all()).isZero();
    }
}
