package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import io.jpgpool.pcp.client.MiniJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and two standbys behind jpgpool (node 0's weight 0, so reads go to a standby), node-postgres
 * ({@code src/test/node/pg_test.js}, npm {@code pg}) runs parameterised statements, a named prepared statement,
 * a committed and a rolled-back transaction and an error: it sees what PostgreSQL would answer, the writes and
 * the reads after them run on node 0, the other reads on the session's standby.
 */
class NodePostgresTest {
    /** Surefire runs in the module's directory. */
    private static final Path PROJECT = Path.of("src", "test", "node");
    private static final String DB = "nodeapp";

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() throws SQLException {
        assumeTrue(nodeRuns(), "node is not installed: NodePostgresTest needs Node.js 16 or later on the PATH");
        assumeTrue(Files.isDirectory(PROJECT.resolve("node_modules").resolve("pg")),
                "node-postgres is not installed: run `npm ci` in it-tests/src/test/node");
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        try (Connection c = cluster.node(0).connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE node_items (id int PRIMARY KEY, name text NOT NULL, qty int, price numeric(10,2),"
                    + " active boolean, note text)");
            s.execute("INSERT INTO node_items (id, name, qty) SELECT i, 'item ' || i, 10 * i FROM generate_series(1, 3) i");
        }
        for (PgNode standby : cluster.nodes().subList(1, 3)) {
            standby.waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
        }
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // closed in reverse order: jpgpool, then the cluster
        }
    }

    @Test
    void parameterisedStatementsAndTransactionsRunWherePgpoolRunsThem() throws SQLException {
        Commands.Result run;
        List<RoutingLog.Entry> log;
        try (RoutingLog routing = RoutingLog.capture()) {
            run = Commands.run(Duration.ofSeconds(60), Map.of("PGHOST", jpgpool.host(),
                    "PGPORT", String.valueOf(jpgpool.port()), "PGUSER", "postgres",
                    "PGPASSWORD", cluster.options().superuserPassword(), "PGDATABASE", DB),
                    PROJECT, List.of("node", "pg_test.js"));
            log = routing.entries();
        }
        assertThat(run.exitCode()).as(run.all()).isZero();
        Map<String, Object> seen = object(run.stdout());

        // what the client saw
        assertThat(at(seen, "insert")).isEqualTo(json("{'command': 'INSERT', 'rowCount': 1, 'row': {'id': 101,"
                + " 'name': 'widget', 'qty': 7, 'price': '12.50', 'active': true, 'note': null}}"));
        assertThat(at(seen, "seededRow")).isEqualTo(json("[{'id': 1, 'name': 'item 1', 'qty': 10}]"));
        assertThat(at(seen, "preparedNames")).isEqualTo(json("['item 1', 'item 2', 'item 3', null]"));
        assertThat(at(seen, "committed")).isEqualTo(json("{'readInTransaction': [{'name': 'gadget', 'qty': 3}]}"));
        assertThat(at(seen, "rolledBack")).isEqualTo(json("{'countInTransaction': 1}"));
        assertThat(at(seen, "divisionByZero")).isEqualTo("22012");
        assertThat(at(seen, "afterError")).isEqualTo("still here");

        // where it ran
        int standby = onlyNode(executions(log, "SELECT id, name, qty FROM node_items"));
        assertThat(standby).as("the session's load-balance node").isIn(1, 2);
        assertThat(executions(log, "INSERT INTO node_items")).extracting(RoutingLog.Entry::node)
                .containsExactly(0, 0, 0);
        List<RoutingLog.Entry> preparedParses = log.stream()
                .filter(e -> e.statement().startsWith("Parse: SELECT name FROM node_items")).toList();
        assertThat(preparedParses).as("the named statement is parsed once").hasSize(1);
        assertThat(onlyNode(preparedParses)).isEqualTo(standby);
        assertThat(executions(log, "SELECT name FROM node_items")).hasSize(4)
                .extracting(RoutingLog.Entry::node).containsOnly(standby);
        assertThat(executions(log, "/* in transaction */")).as("a read after a write in the transaction")
                .extracting(RoutingLog.Entry::node).containsExactly(0);
        assertThat(executions(log, "SELECT count(*)::int")).extracting(RoutingLog.Entry::node).containsExactly(0);
        // both transactions write before they read: the standby takes no part in them
        assertThat(executions(log, "BEGIN")).extracting(RoutingLog.Entry::node).containsExactly(0, 0);
        assertThat(executions(log, "COMMIT")).extracting(RoutingLog.Entry::node).containsExactly(0);
        assertThat(executions(log, "ROLLBACK")).extracting(RoutingLog.Entry::node).containsExactly(0);

        // what the primary kept
        try (Connection c = cluster.node(0).connect(DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM node_items WHERE id > 100 ORDER BY id")) {
            List<Integer> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            assertThat(ids).as("101 inserted, 102 committed, 103 rolled back").containsExactly(101, 102);
        }
    }

    private static boolean nodeRuns() {
        try {
            return Commands.run(Duration.ofSeconds(20), Map.of(), "node", "--version").exitCode() == 0;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static List<RoutingLog.Entry> executions(List<RoutingLog.Entry> log, String text) {
        return log.stream().filter(e -> e.isExecution() && e.sql().contains(text)).toList();
    }

    private static int onlyNode(List<RoutingLog.Entry> entries) {
        assertThat(entries).as("statements logged").isNotEmpty();
        List<Integer> nodes = entries.stream().map(RoutingLog.Entry::node).distinct().toList();
        assertThat(nodes).as("nodes of " + entries).hasSize(1);
        return nodes.get(0);
    }

    /** A JSON literal written with single quotes, for readable expectations. */
    private static Object json(String singleQuoted) {
        return MiniJson.parse(singleQuoted.replace('\'', '"'));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String printed) {
        Object json = MiniJson.parse(printed);
        assertThat(json).as("a JSON object: " + printed).isInstanceOf(Map.class);
        return (Map<String, Object>) json;
    }

    private static Object at(Map<String, Object> object, String key) {
        assertThat(object).as("JSON printed by pg_test.js").containsKey(key);
        return object.get(key);
    }
}
