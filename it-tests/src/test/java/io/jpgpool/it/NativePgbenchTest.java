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
