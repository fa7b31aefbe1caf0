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
