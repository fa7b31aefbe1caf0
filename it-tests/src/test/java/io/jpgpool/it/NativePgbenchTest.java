package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * pgbench through jpgpool in native replication mode on three independent servers: {@code pgbench -i} (COPY
 * FROM STDIN to every node), then TPC-B with concurrent clients (pgbench_history's mtime comes from
 * CURRENT_TIMESTAMP): afterwards every node holds the same rows, compared by a hash of the ordered rows.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class NativePgbenchTest {
    private static final String DB = "bench";
    private static final List<String> TABLES = List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers",
            "pgbench_history");

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.independent(ClusterOptions.builder().servers(3).initDatabase(DB).build());
        jpgpool = JpgpoolFixture.start(cluster, "health_check_period = 0", "replication_stop_on_mismatch = on",
                "failover_if_affected_tuples_mismatch = on");
    }

    @AfterAll
    static void stop() {
        if (jpgpool != null) {
            jpgpool.close();
        }
        cluster.close();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void pgbenchInitialisesEveryNodeAndTpcBLeavesThemIdentical() {
        Commands.Result init = pgbench("-i", "-s", "2");
        assertThat(init.exitCode()).as(init.all()).isZero();
        assertIdentical();
        for (PgNode n : cluster.nodes()) {
            assertThat(n.query(DB, "SELECT count(*) FROM pgbench_accounts")).containsExactly(List.of("200000"));
        }

        Commands.Result run = pgbench("-c", "10", "-j", "2", "-t", "50", "-M", "simple");
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.stdout()).contains("number of failed transactions: 0");
        for (PgNode n : cluster.nodes()) {
            assertThat(n.query(DB, "SELECT count(*) FROM pgbench_history")).containsExactly(List.of("500"));
        }
        assertIdentical();

        Commands.Result prepared = pgbench("-c", "4", "-j", "2", "-t", "25", "-M", "prepared");
        assertThat(prepared.exitCode()).as(prepared.all()).isZero();
        assertIdentical();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void concurrentInsertsIntoSerialAndClockDefaultColumnsLeaveEveryNodeIdentical() throws Exception {
        for (String mode : List.of("simple", "extended", "prepared")) {
            Commands.Result ddl = psql("DROP TABLE IF EXISTS events; CREATE TABLE events (id serial PRIMARY KEY,"
                    + " client int, note text, created timestamptz DEFAULT CURRENT_TIMESTAMP,"
                    + " day date DEFAULT CURRENT_DATE, t time DEFAULT LOCALTIME, ts timestamp DEFAULT LOCALTIMESTAMP,"
                    + " later timestamptz DEFAULT now() + interval '1 hour')");
            assertThat(ddl.exitCode()).as(ddl.all()).isZero();
            java.nio.file.Path script = java.nio.file.Files.createTempFile("events", ".sql");
            java.nio.file.Files.writeString(script, String.join("\n",
                    "INSERT INTO events (client, note) VALUES (:client_id, 'plain');",
                    "INSERT INTO events (client, note, created) VALUES (:client_id, 'default item', DEFAULT);",
                    "INSERT INTO events VALUES (DEFAULT, :client_id, 'positional');",
                    "UPDATE events SET ts = DEFAULT WHERE id = (SELECT max(id) FROM events);", ""));
            Commands.Result run = pgbench("-n", "-c", "10", "-j", "2", "-t", "20", "-M", mode, "-f", script.toString());
            java.nio.file.Files.deleteIfExists(script);
            assertThat(run.exitCode()).as(mode + ": " + run.all()).isZero();
            assertThat(run.stdout()).contains("number of failed transactions: 0");
            String sql = "SELECT count(*), count(DISTINCT created), md5(string_agg(e::text, ',' ORDER BY id)) FROM events e";
            List<List<String>> first = cluster.node(0).query(DB, sql);
            assertThat(first.get(0).get(0)).isEqualTo("600");
            for (PgNode n : cluster.nodes()) {
                assertThat(n.query(DB, sql)).as(mode + " on " + n.name()).isEqualTo(first);
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void readsSpreadOverTheNodesByWeightAndWritesRunOnEvery() throws Exception {
        try (JpgpoolFixture j = JpgpoolFixture.start(cluster, "health_check_period = 0", "backend_weight0 = 0",
                "backend_weight1 = 1", "backend_weight2 = 1");
                io.jpgpool.it.support.RoutingLog log = io.jpgpool.it.support.RoutingLog.capture()) {
            for (int i = 0; i < 40; i++) {
                try (java.sql.Connection c = j.connect(DB); java.sql.Statement s = c.createStatement()) {
                    s.executeQuery("SELECT count(*) FROM pgbench_branches /* read " + i + " */").close();
                    s.executeUpdate("UPDATE pgbench_branches SET filler = 'w" + i + "' WHERE bid = 1");
                }
            }
            Map<Integer, Long> reads = log.executionsPerNode("SELECT count(*) FROM pgbench_branches /* read");
            assertThat(reads.getOrDefault(0, 0L)).as("weight 0: no reads").isZero();
            assertThat(reads.getOrDefault(1, 0L) + reads.getOrDefault(2, 0L)).isEqualTo(40);
            assertThat(reads.getOrDefault(1, 0L)).as("node 1 of 1:1").isBetween(8L, 32L);
            assertThat(log.executionsPerNode("UPDATE pgbench_branches SET filler")).containsOnlyKeys(0, 1, 2)
                    .allSatisfy((node, n) -> assertThat(n).isEqualTo(40));
        }
        assertIdentical();
    }

    /** Last: node 2 misses the writes made while it is down. */
    @Test
    @org.junit.jupiter.api.Order(4)
    void aNodeStoppedUnderLoadIsDetachedByTheHealthCheckAndTheOthersKeepServing() throws Exception {
        PgNode stopped = cluster.node(2);
        try (JpgpoolFixture j = JpgpoolFixture.start(cluster, "health_check_period = 1", "health_check_timeout = 2",
                "health_check_max_retries = 0", "connect_timeout = 2000")) {
            Commands.Result warm = pgbench(j, "-c", "4", "-j", "2", "-T", "2");
            assertThat(warm.exitCode()).as(warm.all()).isZero();
            long stoppedAt;
            try (io.jpgpool.it.support.PgbenchWaves waves = io.jpgpool.it.support.PgbenchWaves.start(j, DB, "-c", "4",
                    "-j", "2", "-T", "2")) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !waves.waves().isEmpty());
                stoppedAt = System.nanoTime();
                stopped.stop(io.jpgpool.cluster.StopMode.IMMEDIATE);
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(io.jpgpool.it.support.PoolNodes.status(j, 2)).isEqualTo("down"));
                long detachedAt = System.nanoTime();
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                        waves.startedAfter(detachedAt).size() >= 2);
                assertThat(waves.startedAfter(detachedAt)).as("pgbench runs begun after the detach")
                        .allSatisfy(w -> assertThat(w.clean()).as(w.result().all()).isTrue());
            }
            assertThat(io.jpgpool.it.support.PoolNodes.status(j, 0)).isIn("up", "waiting");
            assertThat(io.jpgpool.it.support.PoolNodes.status(j, 1)).isIn("up", "waiting");
            for (String table : TABLES) {
                String sql = "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM "
                        + table + " t";
                assertThat(cluster.node(1).query(DB, sql)).as(table).isEqualTo(cluster.node(0).query(DB, sql));
            }
        } finally {
            stopped.start();
        }
    }

    private static Commands.Result pgbench(JpgpoolFixture j, String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-n", "-h", j.host(),
                "-p", String.valueOf(j.port()), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add(DB);
        return Commands.run(Duration.ofMinutes(3),
                Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"), null, command);
    }

    private static Commands.Result psql(String sql) {
        return Commands.run(Duration.ofMinutes(1),
                Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"),
                Commands.pgTool("psql"), "-h", jpgpool.host(), "-p", String.valueOf(jpgpool.port()), "-U", "postgres",
                "-d", DB, "-X", "-v", "ON_ERROR_STOP=1", "-c", sql);
    }

    /** Each table hashes the same on every node: its rows in key order, every column. */
    private static void assertIdentical() {
        for (String table : TABLES) {
            String sql = "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM "
                    + table + " t";
            List<List<String>> first = cluster.node(0).query(DB, sql);
            for (PgNode n : cluster.nodes()) {
                assertThat(n.query(DB, sql)).as(table + " on " + n.name()).isEqualTo(first);
            }
        }
    }

    private static Commands.Result pgbench(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(),
                "-p", String.valueOf(jpgpool.port()), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add(DB);
        return Commands.run(Duration.ofMinutes(3),
                Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"), null, command);
    }
}
