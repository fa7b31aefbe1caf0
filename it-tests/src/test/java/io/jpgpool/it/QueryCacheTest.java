package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.RawPgClient;
import io.jpgpool.it.support.RoutingLog;
import io.jpgpool.it.support.TempDirs;
import io.jpgpool.pcp.client.PcpClient;
import io.jpgpool.pcp.client.PcpResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and a standby and {@code memory_cache_enabled = on} (SEMANTICS F), with reads on the primary
 * (so that a write is visible to the next read whatever the standby's replay delay): the answer of a cacheable
 * SELECT is kept and the same SELECT in later sessions runs on no backend ({@code log_per_node_statement} shows
 * one run), until a write through jpgpool to its table commits; what may change by itself is never cached.
 */
class QueryCacheTest {
    private static final String DB = "qcache";
    private static final String ITEM = "SELECT v FROM items WHERE id = 1";

    static PgCluster cluster;
    JpgpoolFixture jpgpool;

    @BeforeAll
    static void startCluster() throws SQLException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).initDatabase(DB).build());
        PgNode primary = cluster.node(0);
        try (Connection c = primary.connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id int PRIMARY KEY, v text)");
            s.execute("CREATE TABLE secrets (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO secrets VALUES (1, 's1')");
            s.execute("CREATE VIEW items_view AS SELECT id, v FROM items");
            s.execute("CREATE VIEW other_view AS SELECT id, v FROM items");
        }
        cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void startJpgpool() throws SQLException {
        try (Connection c = cluster.node(0).connect(DB); Statement s = c.createStatement()) {
            s.execute("TRUNCATE items");
            s.execute("INSERT INTO items SELECT i, 'v' || i FROM generate_series(1, 3) i");
        }
        jpgpool = JpgpoolFixture.start(cluster, "memory_cache_enabled = on", "backend_weight0 = 1",
                "backend_weight1 = 0", "cache_unsafe_memqcache_table_list = 'secrets'",
                "cache_safe_memqcache_table_list = 'items_view'");
    }

    @AfterEach
    void stopJpgpool() {
        if (jpgpool != null) {
            jpgpool.close();
        }
    }

    @Test
    void theSameSelectInFiveNewSessionsRunsOnceOnTheBackends() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                try (Connection c = jpgpool.connectSimple(DB)) {
                    seen.add(single(c, ITEM));
                }
            }
            assertThat(seen).containsOnly("v1").hasSize(5);
            assertThat(log.executionsOf(ITEM)).as("runs of the SELECT on any backend").hasSize(1);
        }
        try (Connection c = jpgpool.connectSimple(DB)) {
            Map<String, String> cache = showPoolCache(c);
            System.out.println("SHOW pool_cache after 5 sessions: " + cache);
            assertThat(cache.get("num_cache_hits")).isEqualTo("4");
            assertThat(cache.get("num_selects")).isEqualTo("1");
            assertThat(cache.get("cache_hit_ratio")).isEqualTo("0.80");
            assertThat(cache.get("num_cache_entries")).isEqualTo("1");
            assertThat(Long.parseLong(cache.get("used_cache_entries_size"))).isPositive();
        }
    }

    @Test
    void anUpdateThroughJpgpoolMakesTheNextSelectShowTheNewValue() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1"); // from the cache
                execute(c, "UPDATE items SET v = 'new' WHERE id = 1");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("new");
            }
            assertThat(log.executionsOf(ITEM)).as("runs: the first, and the one after the UPDATE").hasSize(2);
        }
    }

    @Test
    void anUpdateInATransactionThatRollsBackInvalidatesNothing() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
                execute(c, "BEGIN");
                execute(c, "UPDATE items SET v = 'rolled back' WHERE id = 1");
                execute(c, "ROLLBACK");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
            }
            assertThat(log.executionsOf(ITEM)).as("runs: only the first, the second came from the cache").hasSize(1);
        }
    }

    @Test
    void aWriteThatFailsInvalidatesNothing() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
                assertThatThrownBy(() -> execute(c, "UPDATE items SET id = 2, v = 'dup' WHERE id = 1"))
                        .hasMessageContaining("duplicate key");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
            }
            assertThat(log.executionsOf(ITEM)).as("runs: only the first").hasSize(1);
        }
    }

    @Test
    void aSelectInATransactionAfterAWriteIsNeverServedFromTheCache() throws SQLException {
        try (RoutingLog log = RoutingLog.capture()) {
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).isEqualTo("v1");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                execute(c, "BEGIN");
                assertThat(single(c, ITEM)).as("a read before the write may be served").isEqualTo("v1");
                execute(c, "UPDATE items SET v = 'mine' WHERE id = 1");
                assertThat(single(c, ITEM)).as("the transaction sees its own write").isEqualTo("mine");
                execute(c, "ROLLBACK");
            }
            assertThat(log.executionsOf(ITEM)).as("runs: the first, and the one after the write").hasSize(2);
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, ITEM)).as("what the rolled-back transaction read was not kept").isEqualTo("v1");
            }
            assertThat(log.executionsOf(ITEM)).hasSize(2);
        }
    }

    @Test
    void aResultReadInATransactionIsKeptOnlyWhenItCommits() throws SQLException {
        String query = "SELECT v FROM items WHERE id = 2";
        try (RoutingLog log = RoutingLog.capture()) {
            try (Connection c = jpgpool.connectSimple(DB)) {
                execute(c, "BEGIN");
                assertThat(single(c, query)).isEqualTo("v2");
                execute(c, "ROLLBACK");
                assertThat(single(c, query)).isEqualTo("v2");
                execute(c, "BEGIN");
                assertThat(single(c, "SELECT v FROM items WHERE id = 3")).isEqualTo("v3");
                execute(c, "COMMIT");
            }
            try (Connection c = jpgpool.connectSimple(DB)) {
                assertThat(single(c, query)).isEqualTo("v2");
                assertThat(single(c, "SELECT v FROM items WHERE id = 3")).isEqualTo("v3");
            }
            assertThat(log.executionsOf(query)).as("the rolled-back read was not kept, the next was").hasSize(2);
            assertThat(log.executionsOf("SELECT v FROM items WHERE id = 3")).as("kept at COMMIT").hasSize(1);
        }
    }

    @Test
    void whatMayChangeByItselfIsNeverCachedAndTheSafeListIs() throws SQLException {
        List<String> never = List.of("SELECT now()", "SELECT random()", "SELECT v FROM secrets WHERE id = 1",
                "SELECT v FROM other_view WHERE id = 1", "SELECT i FROM tmp", "SELECT v FROM items FOR UPDATE",
                "SELECT current_timestamp");
        try (RoutingLog log = RoutingLog.capture()) {
            for (int round = 0; round < 2; round++) {
                try (Connection c = jpgpool.connectSimple(DB)) {
                    execute(c, "CREATE TEMP TABLE tmp (i int)");
                    execute(c, "INSERT INTO tmp VALUES (" + round + ")");
                    for (String q : never) {
                        single(c, q);
                    }
                    assertThat(single(c, "SELECT i FROM tmp")).isEqualTo(String.valueOf(round));
                    assertThat(single(c, "SELECT v FROM items_view WHERE id = 1")).isEqualTo("v1");
                }
            }
            for (String q : never) {
                assertThat(log.executionsOf(q)).as("runs of %s in two sessions", q)
                        .hasSize(q.endsWith("tmp") ? 4 : 2);
            }
            assertThat(log.executionsOf("SELECT v FROM items_view WHERE id = 1")).as("a safe-listed view is cached")
                    .hasSize(1);
        }
    }

    @Test
    void serverSidePreparedStatementsGetTheRowOfTheirParameters() throws SQLException {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        String sql = "SELECT v FROM items WHERE id = ?";
        try (RoutingLog log = RoutingLog.capture()) {
            for (int session = 0; session < 2; session++) {
                try (Connection c = jpgpool.connect(DB, p); PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int round = 0; round < 3; round++) {
                        for (int id : new int[] {1, 2, 3, 2}) {
                            ps.setInt(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                assertThat(rs.next()).isTrue();
                                assertThat(rs.getString(1)).as("session %d, id %d", session, id).isEqualTo("v" + id);
                                assertThat(rs.next()).isFalse();
                            }
                        }
                    }
                }
            }
            assertThat(log.executionsOf("SELECT v FROM items WHERE id = $1")).as("one run per parameter value")
                    .hasSize(3);
            try (Connection c = jpgpool.connect(DB, p)) {
                execute(c, "UPDATE items SET v = 'w2' WHERE id = 2");
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, 2);
                    assertThat(single(ps)).isEqualTo("w2");
                    ps.setInt(1, 1);
                    assertThat(single(ps)).isEqualTo("v1");
                }
            }
        }
    }

    /**
     * A Bind whose Execute the cache answers stays in jpgpool, and so does its Sync: a hit of a prepared statement
     * costs no backend round trip. Described, executed with a row limit or needed after its Sync, the portal is
     * the backend's again, with the answers PostgreSQL gives.
     */
    @Test
    void aCachedPreparedReadSendsNothingToTheBackends() {
        byte[] parse = message('P', cstrings("s1", "SELECT v FROM items WHERE id = $1"), new byte[] {0, 0});
        byte[] bind = message('B', cstrings("", "s1"), new byte[] {0, 0, 0, 1, 0, 0, 0, 1, '2', 0, 0});
        byte[] execute = message('E', cstrings(""), new byte[] {0, 0, 0, 0});
        byte[] executeOneRow = message('E', cstrings(""), new byte[] {0, 0, 0, 1});
        byte[] describe = message('D', new byte[] {'P'}, cstrings(""));
        byte[] sync = RawPgClient.message('S', new byte[0]);
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), Duration.ofSeconds(30))
                .login("postgres", DB); RoutingLog log = RoutingLog.capture()) {
            assertThat(types(c.send(parse, sync).readUntilReady())).isEqualTo("1Z");
            assertThat(types(c.send(bind, execute, sync).readUntilReady())).as("the miss").isEqualTo("2DCZ");
            assertThat(log.executionsOf("FROM items WHERE id = $1")).hasSize(1);
            log.clear();

            List<RawPgClient.Message> hit = c.send(bind, execute, sync).readUntilReady();
            assertThat(types(hit)).as("the hit").isEqualTo("2DCZ");
            assertThat(new String(hit.get(1).body(), java.nio.charset.StandardCharsets.UTF_8)).endsWith("v2");
            assertThat(hit.get(3).body()).containsExactly('I');
            assertThat(log.entries()).as("what reached a backend for the hit").isEmpty();

            assertThat(types(c.send(bind, describe, execute, sync).readUntilReady())).as("described")
                    .isEqualTo("2TDCZ");
            assertThat(log.matching(st -> st.startsWith("Bind: "))).as("the described portal's Bind").hasSize(1);
            assertThat(log.executionsOf("FROM items WHERE id = $1")).as("its rows still come from the cache")
                    .isEmpty();
            log.clear();

            assertThat(types(c.send(bind, executeOneRow, sync).readUntilReady())).as("a row limit")
                    .isEqualTo("2DsZ");
            assertThat(log.executionsOf("FROM items WHERE id = $1")).hasSize(1);

            List<RawPgClient.Message> gone = c.send(execute, sync).readUntilReady();
            assertThat(types(gone)).as("the unnamed portal after its Sync").isEqualTo("EZ");
            assertThat(gone.get(0).fields().get('C')).isEqualTo("34000");
        }
    }

    private static byte[] message(char type, byte[]... parts) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        return RawPgClient.message(type, body.toByteArray());
    }

    private static byte[] cstrings(String... strings) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (String s : strings) {
            b.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            b.write(0);
        }
        return b.toByteArray();
    }

    private static String types(List<RawPgClient.Message> messages) {
        StringBuilder t = new StringBuilder();
        messages.forEach(m -> t.append(m.type()));
        return t.toString();
    }

    /**
     * pgbench's TPC-B keeps sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta). Those sums, cached before
     * the run, read through jpgpool after it in both protocols, equal each other and the primary's.
     */
    @Test
    void pgbenchWritesThroughJpgpoolLeaveNoStaleSum() throws SQLException {
        assertThat(jpgpool.pgbench(DB, "-i", "-q", "-s", "1").exitCode()).isZero();
        List<String> sums = List.of("SELECT sum(abalance) FROM pgbench_accounts",
                "SELECT sum(bbalance) FROM pgbench_branches", "SELECT sum(tbalance) FROM pgbench_tellers",
                "SELECT coalesce(sum(delta), 0) FROM pgbench_history");
        try (Connection c = jpgpool.connectSimple(DB)) {
            for (String q : sums) {
                assertThat(single(c, q)).isEqualTo("0");
            }
        }
        for (String mode : List.of("simple", "prepared")) {
            var run = jpgpool.pgbench(DB, "-n", "-M", mode, "-c", "4", "-j", "2", "-t", "100");
            assertThat(run.exitCode()).as("pgbench -M %s: %s", mode, run.stderr()).isZero();
            String direct;
            try (Connection c = cluster.node(0).connect(DB)) {
                direct = single(c, sums.get(0));
            }
            assertThat(direct).isNotEqualTo("0");
            for (boolean simple : new boolean[] {true, false}) {
                try (Connection c = simple ? jpgpool.connectSimple(DB) : jpgpool.connect(DB)) {
                    for (String q : sums) {
                        assertThat(single(c, q)).as("%s after pgbench -M %s", q, mode).isEqualTo(direct);
                    }
                }
            }
        }
    }

    /**
     * pgbench select-only over a few keys, as bench/query_cache_bench.sh runs it, in each protocol: after the first
     * read of a key by a client, every read of it is a hit (SHOW pool_cache counts them) and runs on no backend.
     */
    @Test
    void pgbenchReadsOfAFewKeysAreServedFromTheCache() throws Exception {
        assertThat(jpgpool.pgbench(DB, "-i", "-q", "-s", "1").exitCode()).isZero();
        int clients = 4;
        int perClient = 200;
        int keys = 10;
        Path dir = Files.createTempDirectory("jpgpool-qcache-pgbench");
        try {
            Path script = dir.resolve("select_keys.sql");
            Files.writeString(script, "\\set aid random(1, " + keys + ")\n"
                    + "SELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n");
            for (String mode : List.of("simple", "extended", "prepared")) {
                long hitsBefore;
                try (Connection c = jpgpool.connectSimple(DB)) {
                    hitsBefore = Long.parseLong(showPoolCache(c).get("num_cache_hits"));
                }
                try (RoutingLog log = RoutingLog.capture()) {
                    var run = jpgpool.pgbench(DB, "-n", "-M", mode, "-c", String.valueOf(clients), "-j", "2", "-t",
                            String.valueOf(perClient), "-f", script.toString());
                    assertThat(run.exitCode()).as("pgbench -M %s: %s", mode, run.stderr()).isZero();
                    assertThat(run.stdout()).contains("number of transactions actually processed: "
                            + clients * perClient + "/" + clients * perClient);
                    // each client misses each key at most once (clients may miss the same key side by side)
                    assertThat(log.executionsOf("FROM pgbench_accounts WHERE aid = ")).as("backend runs, -M %s", mode)
                            .hasSizeLessThanOrEqualTo(clients * keys);
                    if (mode.equals("prepared")) {
                        // a hit's Bind and Sync stay in jpgpool too (the keys are cached since -M extended)
                        assertThat(log.matching(st -> st.startsWith("Bind: ") && st.contains("pgbench_accounts")))
                                .as("Binds that reached a backend, -M prepared").hasSizeLessThanOrEqualTo(clients * keys);
                        assertThat(log.matching(st -> st.equals("D message")))
                                .as("Describes that reached a backend, -M prepared")
                                .hasSizeLessThanOrEqualTo(clients * keys);
                    }
                }
                try (Connection c = jpgpool.connectSimple(DB)) {
                    long hits = Long.parseLong(showPoolCache(c).get("num_cache_hits")) - hitsBefore;
                    System.out.printf("pgbench -M %s over %d keys: %d hits of %d reads%n", mode, keys, hits,
                            clients * perClient);
                    assertThat(hits).as("hits, -M %s", mode).isGreaterThanOrEqualTo(clients * (perClient - keys));
                }
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Test
    void theCacheIsBoundedByMemqcacheTotalSize() throws Exception {
        jpgpool.close();
        long total = 16L * 1024 * 1024;
        jpgpool = JpgpoolFixture.start(cluster, "memory_cache_enabled = on", "memqcache_total_size = " + total,
                "memqcache_cache_block_size = 1048576", "memqcache_maxcache = 65536");
        long before = heapInUse();
        int queries = 4096;
        int resultBytes = 8192;
        try (Connection c = jpgpool.connectSimple(DB); Statement s = c.createStatement()) {
            for (int i = 0; i < queries; i++) {
                try (ResultSet rs = s.executeQuery("SELECT repeat('x', " + resultBytes + "), " + i)) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(2)).isEqualTo(i);
                }
            }
            long after = heapInUse();
            Map<String, String> cache = showPoolCache(c);
            long entries = Long.parseLong(cache.get("num_cache_entries"));
            long used = Long.parseLong(cache.get("used_cache_entries_size"));
            System.out.printf("query cache bound: %d results of %d bytes (%d MB) into memqcache_total_size %d MB: "
                    + "%d entries, %d bytes used; heap in use %d MB before, %d MB after (+%d MB)%n", queries,
                    resultBytes, (long) queries * resultBytes >> 20, total >> 20, entries, used, before >> 20,
                    after >> 20, (after - before) >> 20);
            assertThat(entries).as("entries kept of %d", queries).isLessThan(queries).isPositive()
                    .isLessThanOrEqualTo(total / resultBytes);
            assertThat(used).isLessThanOrEqualTo(total);
            assertThat(after - before).as("heap grown while filling the cache").isLessThan(total + 48L * 1024 * 1024);
            // the newest result is still there; of the others, at least those evicted run again
            try (RoutingLog log = RoutingLog.capture()) {
                s.executeQuery("SELECT repeat('x', " + resultBytes + "), " + (queries - 1)).close();
                assertThat(log.executionsOf("SELECT repeat")).as("the newest result is answered from the cache")
                        .isEmpty();
                for (int i = 0; i < queries - 1; i++) {
                    s.executeQuery("SELECT repeat('x', " + resultBytes + "), " + i).close();
                }
                assertThat((long) log.executionsOf("SELECT repeat").size()).as("evicted results run again")
                        .isGreaterThanOrEqualTo(queries - entries);
            }
        }
    }

    @Test
    void pcpInvalidateQueryCacheEmptiesIt() throws SQLException {
        try (Connection c = jpgpool.connectSimple(DB)) {
            single(c, ITEM);
            assertThat(showPoolCache(c).get("num_cache_entries")).isEqualTo("1");
        }
        try (PcpFixture pcp = PcpFixture.start(jpgpool)) {
            PcpClient client = PcpClient.connect("127.0.0.1", pcp.port(), PcpFixture.USER, PcpFixture.PASSWORD, null,
                    null, null);
            PcpResult r = client.invalidateQueryCache();
            assertThat(r.status()).isEqualTo(PcpResult.Status.COMMAND_OK);
            client.disconnect();
        }
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connectSimple(DB)) {
            assertThat(showPoolCache(c).get("num_cache_entries")).isEqualTo("0");
            assertThat(single(c, ITEM)).isEqualTo("v1");
            assertThat(log.executionsOf(ITEM)).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long heapInUse() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100); // let the collector finish; this measures, it does not wait for an outcome
            least = Math.min(least, rt.totalMemory() - rt.freeMemory());
        }
        return least;
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static String single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Map<String, String> showPoolCache(Connection c) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW pool_cache")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
            }
        }
        return row;
    }
}
