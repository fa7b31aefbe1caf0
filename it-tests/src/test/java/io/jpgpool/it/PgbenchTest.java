package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given a primary and two standbys behind jpgpool, with node 0's weight 0 so that every load-balanced read goes
 * to a standby: pgbench initialises its tables through jpgpool, then runs its select-only and its TPC-B scripts
 * in each query mode. Every write runs on node 0 only, every select-only read on a standby, no transaction
 * fails, and the nodes' own statistics and data agree with jpgpool's routing log.
 */
class PgbenchTest {
    private static final String DB = "bench";
    private static final int SCALE = 2;
    private static final int CLIENTS = 4;
    private static final int SELECT_ONLY_PER_CLIENT = 400;
    private static final int TPCB_PER_CLIENT = 100;
    private static final Duration REPLAY = Duration.ofSeconds(30);
    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "COPY", "CREATE", "DROP",
            "ALTER", "TRUNCATE", "VACUUM");

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static Commands.Result init;
    static List<RoutingLog.Entry> initLog;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        // connection_cache = off: a backend exits when its client leaves, which flushes its statistics at once
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0", "connection_cache = off");
        try (RoutingLog log = RoutingLog.capture()) {
            init = pgbench("-i", "-s", String.valueOf(SCALE));
            initLog = log.entries();
        }
        for (PgNode standby : standbys()) {
            standby.waitForReplayOf(cluster.node(0), REPLAY);
        }
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // closed in reverse order: jpgpool, then the cluster
        }
    }

    @Test
    void initialisationRunsItsDdlAndCopyOnThePrimaryOnly() throws SQLException {
        assertThat(init.exitCode()).as(init.all()).isZero();
        assertThat(init.stderr()).contains("done in");

        List<RoutingLog.Entry> writes = initLog.stream().filter(e -> WRITES.contains(firstWord(e.sql()))).toList();
        assertThat(writes).extracting(e -> firstWord(e.sql()))
                .as("pgbench -i drops, creates, truncates, copies, vacuums and alters")
                .contains("DROP", "CREATE", "TRUNCATE", "COPY", "VACUUM", "ALTER");
        assertThat(writes).as("every write of pgbench -i").allSatisfy(e -> assertThat(e.node()).isZero());

        int accounts = 100_000 * SCALE;
        for (PgNode node : cluster.nodes()) {
            assertThat(count(node, "SELECT count(*) FROM pgbench_accounts")).as(node.name()).isEqualTo(accounts);
            assertThat(count(node, "SELECT count(*) FROM pgbench_branches")).as(node.name()).isEqualTo(SCALE);
        }
    }

    @ParameterizedTest(name = "-M {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void selectOnlyReadsRunOnTheStandbys(String mode) throws SQLException {
        Map<PgNode, TableStats> before = quietStatsOfAccounts();
        int expected = CLIENTS * SELECT_ONLY_PER_CLIENT;
        Commands.Result run;
        List<RoutingLog.Entry> selects;
        try (RoutingLog log = RoutingLog.capture()) {
            run = pgbench("-n", "-S", "-M", mode, "-c", String.valueOf(CLIENTS), "-j", "2",
                    "-t", String.valueOf(SELECT_ONLY_PER_CLIENT));
            selects = log.executionsOf("SELECT abalance FROM pgbench_accounts");
        }

        PgbenchReport report = PgbenchReport.of(run);
        assertThat(report.processed()).isEqualTo(expected);
        assertThat(report.failed()).isZero();
        assertThat(selects).as("each select-only transaction is one SELECT, run once").hasSize(expected);
        assertThat(selects).extracting(RoutingLog.Entry::node).doesNotContain(0);

        // the standbys' own counters: every one of those index lookups happened there, none on the primary
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<PgNode, TableStats> after = statsOfAccounts();
            long onStandbys = 0;
            for (PgNode standby : standbys()) {
                onStandbys += after.get(standby).indexScans() - before.get(standby).indexScans();
            }
            assertThat(onStandbys).as("index scans of pgbench_accounts on the standbys").isEqualTo(expected);
            PgNode primary = cluster.node(0);
            assertThat(after.get(primary).indexScans() - before.get(primary).indexScans())
                    .as("index scans of pgbench_accounts on the primary").isZero();
        });
    }

    @ParameterizedTest(name = "-M {0}")
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void tpcbWritesAndTheReadAfterThemRunOnThePrimary(String mode) throws SQLException {
        Map<PgNode, TableStats> before = quietStatsOfAccounts();
        long historyBefore = count(cluster.node(0), "SELECT count(*) FROM pgbench_history");
        int expected = CLIENTS * TPCB_PER_CLIENT;
        Commands.Result run;
        List<List<RoutingLog.Entry>> writes = new ArrayList<>();
        List<RoutingLog.Entry> readAfterWrite;
        List<RoutingLog.Entry> begins;
        try (RoutingLog log = RoutingLog.capture()) {
            run = pgbench("-n", "-M", mode, "-c", String.valueOf(CLIENTS), "-j", "2",
                    "-t", String.valueOf(TPCB_PER_CLIENT));
            for (String write : List.of("UPDATE pgbench_accounts", "UPDATE pgbench_tellers",
                    "UPDATE pgbench_branches", "INSERT INTO pgbench_history")) {
                writes.add(log.executionsOf(write));
            }
            readAfterWrite = log.executionsOf("SELECT abalance FROM pgbench_accounts");
            begins = log.executionsOf("BEGIN");
        }

        PgbenchReport report = PgbenchReport.of(run);
        assertThat(report.processed()).isEqualTo(expected);
        assertThat(report.failed()).isZero();
        for (List<RoutingLog.Entry> write : writes) {
            assertThat(write).as("one run per transaction").hasSize(expected);
            assertThat(write).extracting(RoutingLog.Entry::node).as(write.get(0).sql()).containsOnly(0);
        }
        assertThat(readAfterWrite).as("the SELECT after the UPDATE in the same transaction").hasSize(expected)
                .extracting(RoutingLog.Entry::node).containsOnly(0);
        // TPC-B never reads on a standby inside its transaction: the standbys are spared its BEGIN and END
        assertThat(begins).as("BEGIN runs on the primary only").hasSize(expected)
                .extracting(RoutingLog.Entry::node).containsOnly(0);

        // the primary's own counters and data agree, and the standbys replayed the same balances
        PgNode primary = cluster.node(0);
        assertThat(count(primary, "SELECT count(*) FROM pgbench_history") - historyBefore).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<PgNode, TableStats> after = statsOfAccounts();
            assertThat(after.get(primary).updates() - before.get(primary).updates())
                    .as("rows of pgbench_accounts updated on the primary").isEqualTo(expected);
        });
        for (PgNode standby : standbys()) {
            standby.waitForReplayOf(primary, REPLAY);
        }
        String balances = "SELECT (SELECT sum(abalance) FROM pgbench_accounts) || ' ' || "
                + "(SELECT sum(tbalance) FROM pgbench_tellers) || ' ' || (SELECT sum(bbalance) FROM pgbench_branches)"
                + " || ' ' || (SELECT coalesce(sum(delta), 0) FROM pgbench_history)";
        String onPrimary = text(primary, balances);
        String[] sums = onPrimary.split(" ");
        assertThat(sums).as("accounts, tellers, branches and history balance").containsOnly(sums[3]);
        for (PgNode standby : standbys()) {
            assertThat(text(standby, balances)).as(standby.name()).isEqualTo(onPrimary);
        }
    }

    /**
     * A pipeline sends a whole transaction (here pgbench's TPC-B with a read before and after the first write)
     * before its first Sync. The writing flag is set when the UPDATE's Execute is sent (SEMANTICS A.13), so the
     * read before it runs on the standby and the one after it on the primary: routed so at Parse (-M extended),
     * or moved there by parse-before-bind when pgbench prepared both up front (-M prepared).
     */
    @ParameterizedTest(name = "-M {0}")
    @ValueSource(strings = {"extended", "prepared"})
    void inAPipelinedTransactionReadsAfterTheWriteRunOnThePrimary(String mode) throws IOException {
        Path script = Files.createTempFile("jpgpool-pipeline", ".sql");
        try {
            Files.writeString(script, String.join("\n",
                    "\\set aid random(1, " + 100_000 * SCALE + ")",
                    "\\set bid random(1, " + SCALE + ")",
                    "\\set tid random(1, " + 10 * SCALE + ")",
                    "\\set delta random(-5000, 5000)",
                    "\\startpipeline",
                    "BEGIN;",
                    "SELECT abalance AS before_write FROM pgbench_accounts WHERE aid = :aid;",
                    "UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;",
                    "SELECT abalance AS after_write FROM pgbench_accounts WHERE aid = :aid;",
                    "UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;",
                    "UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;",
                    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
                            + " VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);",
                    "END;",
                    "\\endpipeline",
                    "\\startpipeline",
                    "SELECT abalance AS autocommit_read FROM pgbench_accounts WHERE aid = :aid;",
                    "\\endpipeline", ""));
            int expected = CLIENTS * TPCB_PER_CLIENT;
            try (RoutingLog log = RoutingLog.capture()) {
                PgbenchReport report = PgbenchReport.of(pgbench("-n", "-M", mode, "-f", script.toString(),
                        "-c", String.valueOf(CLIENTS), "-j", "2", "-t", String.valueOf(TPCB_PER_CLIENT)));
                assertThat(report.processed()).isEqualTo(expected);
                assertThat(report.failed()).isZero();

                assertThat(log.executionsOf("UPDATE pgbench_accounts")).hasSize(expected)
                        .extracting(RoutingLog.Entry::node).containsOnly(0);
                assertThat(log.executionsOf("AS before_write")).hasSize(expected)
                        .extracting(RoutingLog.Entry::node).doesNotContain(0);
                assertThat(log.executionsOf("AS after_write")).hasSize(expected)
                        .extracting(RoutingLog.Entry::node).containsOnly(0);
                assertThat(log.executionsOf("AS autocommit_read")).hasSize(expected)
                        .extracting(RoutingLog.Entry::node).doesNotContain(0);
            }
        } finally {
            Files.deleteIfExists(script);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Commands.Result pgbench(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(),
                "-p", String.valueOf(jpgpool.port()), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add(DB);
        return Commands.run(Duration.ofMinutes(2),
                Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"), null, command);
    }

    /** What pgbench printed about a run. */
    record PgbenchReport(long processed, long failed) {
        private static final Pattern PROCESSED =
                Pattern.compile("number of transactions actually processed: (\\d+)(?:/(\\d+))?");
        private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

        static PgbenchReport of(Commands.Result run) {
            assertThat(run.exitCode()).as("pgbench exit code; output:\n" + run.all()).isZero();
            Matcher processed = PROCESSED.matcher(run.stdout());
            Matcher failed = FAILED.matcher(run.stdout());
            assertThat(processed.find()).as(run.all()).isTrue();
            assertThat(failed.find()).as(run.all()).isTrue();
            return new PgbenchReport(Long.parseLong(processed.group(1)), Long.parseLong(failed.group(1)));
        }
    }

    /** pg_stat_user_tables of pgbench_accounts on one node (each node counts only what it ran itself). */
    record TableStats(long indexScans, long updates) {
    }

    /** The statistics once no session of an earlier run is left on any node (a backend flushes them as it exits). */
    private static Map<PgNode, TableStats> quietStatsOfAccounts() throws SQLException {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            long sessions = 0;
            for (PgNode node : cluster.nodes()) {
                sessions += count(node, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DB
                        + "' AND backend_type = 'client backend' AND pid <> pg_backend_pid()");
            }
            return sessions == 0;
        });
        return statsOfAccounts();
    }

    private static Map<PgNode, TableStats> statsOfAccounts() throws SQLException {
        Map<PgNode, TableStats> stats = new HashMap<>();
        for (PgNode node : cluster.nodes()) {
            try (Connection c = node.connect(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT coalesce(idx_scan, 0), n_tup_upd FROM pg_stat_user_tables WHERE relname = 'pgbench_accounts'")) {
                assertThat(rs.next()).isTrue();
                stats.put(node, new TableStats(rs.getLong(1), rs.getLong(2)));
            }
        }
        return stats;
    }

    private static List<PgNode> standbys() {
        return cluster.nodes().subList(1, cluster.nodes().size());
    }

    private static long count(PgNode node, String sql) throws SQLException {
        return Long.parseLong(text(node, sql));
    }

    private static String text(PgNode node, String sql) throws SQLException {
        try (Connection c = node.connect(DB); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static String firstWord(String sql) {
        String t = sql.strip();
        int end = 0;
        while (end < t.length() && Character.isLetter(t.charAt(end))) {
            end++;
        }
        return t.substring(0, end).toUpperCase();
    }
}
