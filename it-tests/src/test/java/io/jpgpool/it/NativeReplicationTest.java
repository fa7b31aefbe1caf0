package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Native replication mode on three independent servers (SEMANTICS B): every write runs on every node, the
 * nodes' answers are compared and the minority is detached; the failure scenarios of the seed document
 * (a table missing on one node, a table with other rows on another).
 */
class NativeReplicationTest {
    private static final String DB = "test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.independent(ClusterOptions.builder().servers(3).initDatabase(DB).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @BeforeEach
    void cleanTables() {
        for (PgNode n : cluster.nodes()) {
            if (!n.isRunning()) {
                n.start();
            }
            n.execute(DB, "DROP TABLE IF EXISTS t, missing_on_2, rows_differ");
        }
    }

    private static JpgpoolFixture jpgpool(String... extra) {
        return JpgpoolFixture.start(cluster, extra);
    }

    @Test
    void writesRunOnEveryNodeAndReadsOnOne() throws Exception {
        try (JpgpoolFixture j = jpgpool(); RoutingLog log = RoutingLog.capture();
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
            assertThat(s.executeUpdate("UPDATE t SET v = 'c' WHERE id = 2")).isEqualTo(1);
            try (ResultSet r = s.executeQuery("SELECT v FROM t WHERE id = 2")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("c");
            }
            for (PgNode n : cluster.nodes()) {
                assertThat(n.query(DB, "SELECT id, v FROM t ORDER BY id")).as(n.name())
                        .containsExactly(List.of("1", "a"), List.of("2", "c"));
            }
            assertThat(log.executionsOf("UPDATE t SET v = 'c'")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, 1, 2);
            assertThat(log.executionsOf("SELECT v FROM t")).hasSize(1);
        }
    }

    @Test
    void aTableMissingOnOneNodeDetachesItWhenAnUpdateFailsThere() throws Exception {
        for (int n = 0; n < 2; n++) {
            cluster.node(n).execute(DB, "CREATE TABLE missing_on_2 (id int, v int)");
            cluster.node(n).execute(DB, "INSERT INTO missing_on_2 VALUES (1, 1)");
        }
        try (JpgpoolFixture j = jpgpool("replication_stop_on_mismatch = on", "health_check_period = 0");
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("UPDATE missing_on_2 SET v = 2"));
            assertThat((Object) e).isNotNull();
            assertThat(e.getMessage()).contains("kind mismatch among backends");
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 2)).isEqualTo("down"));
            assertThat(PoolNodes.status(j, 0)).isIn("up", "waiting");
            // the write was rolled back everywhere: the session ended inside its internal transaction
            assertThat(cluster.node(0).query(DB, "SELECT v FROM missing_on_2")).containsExactly(List.of("1"));
            assertThat(cluster.node(1).query(DB, "SELECT v FROM missing_on_2")).containsExactly(List.of("1"));
        }
    }

    @Test
    void aTableWithOtherRowsOnOneNodeDetachesItWhenAnUpdateCountsOtherRows() throws Exception {
        createRowsDiffer();
        try (JpgpoolFixture j = jpgpool("failover_if_affected_tuples_mismatch = on", "health_check_period = 0");
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("UPDATE rows_differ SET v = v + 1"));
            assertThat((Object) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("XX001");
            assertThat(e.getMessage()).contains("pgpool detected difference of the number of inserted, updated or "
                    + "deleted tuples");
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 1)).isEqualTo("down"));
            assertThat(PoolNodes.status(j, 0)).isIn("up", "waiting");
            assertThat(PoolNodes.status(j, 2)).isIn("up", "waiting");
        }
    }

    @Test
    void withBothParametersOffTheClientGetsTheErrorNothingIsDetachedAndTheWriteIsRolledBackEverywhere()
            throws Exception {
        createRowsDiffer();
        for (int n = 0; n < 2; n++) {
            cluster.node(n).execute(DB, "CREATE TABLE missing_on_2 (id int, v int); INSERT INTO missing_on_2 VALUES (1, 1)");
        }
        try (JpgpoolFixture j = jpgpool("health_check_period = 0");
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("UPDATE rows_differ SET v = v + 1"));
            assertThat(e.getSQLState()).isEqualTo("XX001");
            // the session goes on, and nothing of the update survives anywhere
            try (ResultSet r = s.executeQuery("SELECT 1")) {
                assertThat(r.next()).isTrue();
            }
            assertSameEverywhere("SELECT sum(v) FROM rows_differ WHERE id <= 2", List.of(List.of("3")));

            SQLException k = catchThrowableOfType(SQLException.class,
                    () -> s.executeUpdate("UPDATE missing_on_2 SET v = 2"));
            assertThat(k.getMessage()).contains("kind mismatch among backends");
        }
        try (JpgpoolFixture j = jpgpool("health_check_period = 0")) {
            assertThat(PoolNodes.statuses(j).values()).doesNotContain("down");
        }
        assertThat(cluster.node(0).query(DB, "SELECT v FROM missing_on_2")).containsExactly(List.of("1"));
    }

    @Test
    void aReloadTurnsTheVotesOnAndOff() throws Exception {
        createRowsDiffer();
        try (JpgpoolFixture j = jpgpool("health_check_period = 0")) {
            try (Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> s.executeUpdate("DELETE FROM rows_differ")).getSQLState()).isEqualTo("XX001");
            }
            assertThat(PoolNodes.statuses(j).values()).doesNotContain("down");
            j.appendConf("failover_if_affected_tuples_mismatch = on");
            j.server().reload();
            try (Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
                assertThat(catchThrowableOfType(SQLException.class,
                        () -> s.executeUpdate("DELETE FROM rows_differ")).getSQLState()).isEqualTo("XX001");
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 1)).isEqualTo("down"));
        }
    }

    @Test
    void aClientWhoseStatementNeedsPooledConnectionsToEveryNodeIsServedAtOnce() throws Exception {
        // the first client leaves connections to all three nodes in the pool; the next one takes them when its
        // first statement (pgjdbc's SET application_name) needs every node
        try (JpgpoolFixture j = jpgpool("num_init_children = 1")) {
            try (Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
                s.execute("SET work_mem = '8MB'");
            }
            java.util.Properties p = new java.util.Properties();
            p.setProperty("preferQueryMode", "simple");
            p.setProperty("socketTimeout", "10");
            for (int i = 0; i < 3; i++) {
                try (Connection c = j.connect(DB, p); Statement s = c.createStatement();
                        ResultSet r = s.executeQuery("SHOW work_mem")) {
                    r.next();
                    assertThat(r.getString(1)).isEqualTo("4MB");
                }
            }
        }
    }

    @Test
    void pgjdbcServerSidePreparedStatementsWriteEveryNode() throws Exception {
        try (JpgpoolFixture j = jpgpool(); Connection c = j.connect(DB, prepareThreshold1())) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            }
            try (var ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                for (int i = 1; i <= 20; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "v" + i);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
            }
            c.setAutoCommit(false);
            try (var ps = c.prepareStatement("UPDATE t SET v = v || '!' WHERE id % ? = 0")) {
                ps.setInt(1, 2);
                assertThat(ps.executeUpdate()).isEqualTo(10);
                ps.setInt(1, 5);
                assertThat(ps.executeUpdate()).isEqualTo(4);
            }
            c.commit();
            c.setAutoCommit(true);
            try (var ps = c.prepareStatement("SELECT v FROM t WHERE id = ?")) {
                ps.setInt(1, 10);
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    assertThat(r.getString(1)).isEqualTo("v10!!");
                }
            }
            assertSameEverywhere("SELECT md5(string_agg(id || ':' || v, ',' ORDER BY id)) FROM t", null);
        }
    }

    @Test
    void concurrentPgjdbcClientsWithServerSidePreparedStatementsLeaveEveryNodeIdentical() throws Exception {
        try (JpgpoolFixture j = jpgpool(); Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t");
            s.execute("CREATE TABLE t (id bigserial PRIMARY KEY, client int, v text,"
                    + " created timestamptz DEFAULT CURRENT_TIMESTAMP, day date DEFAULT CURRENT_DATE,"
                    + " t time DEFAULT LOCALTIME, ts timestamp DEFAULT LOCALTIMESTAMP)");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int client = 0; client < 4; client++) {
                int me = client;
                done.add(pool.submit(() -> {
                    try (Connection cc = j.connect(DB, prepareThreshold1());
                            var ins = cc.prepareStatement("INSERT INTO t (client, v) VALUES (?, ?)");
                            var upd = cc.prepareStatement("UPDATE t SET ts = DEFAULT WHERE id = ?")) {
                        for (int i = 0; i < 40; i++) {
                            ins.setInt(1, me);
                            ins.setString(2, "row " + i);
                            ins.executeUpdate();
                            if (i % 10 == 9) {
                                cc.setAutoCommit(false);
                                upd.setLong(1, i);
                                upd.executeUpdate();
                                cc.commit();
                                cc.setAutoCommit(true);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(2, java.util.concurrent.TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertSameEverywhere("SELECT count(*), count(DISTINCT created), md5(string_agg(t::text, ',' ORDER BY id))"
                    + " FROM t", null);
            assertThat(cluster.node(0).query(DB, "SELECT count(*) FROM t")).containsExactly(List.of("160"));
        }
    }

    @Test
    void ddlKeepsItsClockDefaultsAsExpressionsOnEveryNode() throws Exception {
        try (JpgpoolFixture j = jpgpool()) {
            try (Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id int, a timestamptz DEFAULT now(), b date DEFAULT CURRENT_DATE)");
            }
            try (Connection c = j.connect(DB); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE t ADD COLUMN c timestamp DEFAULT LOCALTIMESTAMP");
            }
            String sql = "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
                    + " ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 't'::regclass ORDER BY 1";
            assertSameEverywhere(sql, List.of(List.of("a", "now()"), List.of("b", "CURRENT_DATE"),
                    List.of("c", "LOCALTIMESTAMP")));
        }
    }

    private static java.util.Properties prepareThreshold1() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("prepareThreshold", "1");
        return p;
    }

    @Test
    void aNodeAttachedDuringASessionGetsTheSessionsSettingsAndPreparedStatementsBeforeItsFirstWrite()
            throws Exception {
        PcpFixture.assumeRealToolsInstalled();
        for (PgNode n : cluster.nodes()) {
            n.execute(DB, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        }
        try (JpgpoolFixture j = jpgpool("health_check_period = 0"); PcpFixture pcp = PcpFixture.start(j)) {
            // a detach ends the sessions that use the node: this one begins without it
            assertThat(pcp.real("pcp_detach_node", "2").stdout())
                    .isEqualTo("pcp_detach_node -- Command Successful\n");
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 2)).isEqualTo("down"));
            try (Connection c = j.connect(DB, prepareThreshold1())) {
                writeAroundAnAttach(c, pcp, j);
            }
        }
        List<List<String>> both = List.of(List.of("1", "replayed Asia/Tokyo"), List.of("2", "replayed Asia/Tokyo"));
        assertThat(cluster.node(0).query(DB, "SELECT id, v FROM t ORDER BY id")).isEqualTo(both);
        assertThat(cluster.node(1).query(DB, "SELECT id, v FROM t ORDER BY id")).isEqualTo(both);
        // node 2 was out for the first row; the second reached it with the session's settings
        assertThat(cluster.node(2).query(DB, "SELECT id, v FROM t ORDER BY id"))
                .containsExactly(List.of("2", "replayed Asia/Tokyo"));
    }

    @Test
    void theClientsLatencyHistogramsCountNativeWritesAsTheClientSeesThem() throws Exception {
        int metricsPort = JpgpoolFixture.freePort();
        try (JpgpoolFixture j = jpgpool("metrics_listen_addresses = '127.0.0.1'", "metrics_port = " + metricsPort);
                Connection c = j.connectSimple(DB); Statement s = c.createStatement()) {
            io.jpgpool.it.support.PrometheusText before = scrape(metricsPort);
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'a')");
            c.setAutoCommit(false);
            s.execute("INSERT INTO t VALUES (2, 'b')");
            s.execute("UPDATE t SET v = 'c' WHERE id = 2");
            c.commit();
            io.jpgpool.it.support.PrometheusText after = scrape(metricsPort);
            // CREATE, INSERT, then BEGIN, INSERT, UPDATE, COMMIT: six statements, three transactions
            assertThat(after.value("jpgpool_statement_duration_seconds_count")
                    - before.value("jpgpool_statement_duration_seconds_count")).isGreaterThanOrEqualTo(6);
            assertThat(after.value("jpgpool_transaction_duration_seconds_count")
                    - before.value("jpgpool_transaction_duration_seconds_count")).isGreaterThanOrEqualTo(3);
        }
    }

    private static io.jpgpool.it.support.PrometheusText scrape(int port) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return io.jpgpool.it.support.PrometheusText.parse(r.body());
    }

    /**
     * COMMIT runs on the other nodes first, the main node last. When a node's connection is lost while its COMMIT
     * runs, the COMMIT still reaches the main node: the nodes left hold the same rows, the client is told COMMIT,
     * and the lost node, which may have missed it, is detached.
     */
    @Test
    void aNodeLostWhileItsCommitRunsLeavesTheOtherNodesCommittedAlikeAndIsDetached() throws Exception {
        for (PgNode n : cluster.nodes()) {
            n.execute(DB, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        }
        // node 2's COMMIT takes its time: a deferred trigger of its own sleeps at commit
        cluster.node(2).execute(DB, "CREATE OR REPLACE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN PERFORM pg_sleep(60); RETURN NULL; END $$; CREATE CONSTRAINT TRIGGER slow_commit AFTER "
                + "INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()");
        String sleeping = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'COMMIT' "
                + "AND wait_event = 'PgSleep'";
        try (JpgpoolFixture j = jpgpool("health_check_period = 0"); Connection c = j.connectSimple(DB);
                Statement s = c.createStatement()) {
            s.execute("BEGIN");
            s.execute("INSERT INTO t VALUES (1, 'committed')");
            java.util.concurrent.CompletableFuture<SQLException> commit =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            s.execute("COMMIT");
                            return null;
                        } catch (SQLException e) {
                            return e;
                        }
                    });
            await().atMost(WAIT).until(() -> !cluster.node(2).query(DB, sleeping.replace(
                    "pg_terminate_backend(pid)", "pid")).isEmpty());
            assertThat(cluster.node(0).query(DB, "SELECT count(*) FROM t")).as("the main node commits last")
                    .containsExactly(List.of("0"));
            cluster.node(2).execute(DB, sleeping);
            assertThat((Object) commit.get(20, java.util.concurrent.TimeUnit.SECONDS)).as("the client is told COMMIT")
                    .isNull();
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 2)).isEqualTo("down"));
            assertThat(PoolNodes.status(j, 0)).isIn("up", "waiting");
            assertThat(PoolNodes.status(j, 1)).isIn("up", "waiting");
        } finally {
            cluster.node(2).execute(DB, "DROP TABLE IF EXISTS t; DROP FUNCTION IF EXISTS slow_commit()");
        }
        for (int n = 0; n < 2; n++) {
            assertThat(cluster.node(n).query(DB, "SELECT id, v FROM t")).as("node " + n)
                    .containsExactly(List.of("1", "committed"));
        }
    }

    private static void writeAroundAnAttach(Connection c, PcpFixture pcp, JpgpoolFixture j) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("SET jpgpool.tag = 'replayed'");
            s.execute("SET TIME ZONE 'Asia/Tokyo'");
        }
        try (var ps = c.prepareStatement(
                "INSERT INTO t VALUES (?, current_setting('jpgpool.tag') || ' ' || current_setting('TimeZone'))")) {
            ps.setInt(1, 1);
            assertThat(ps.executeUpdate()).isEqualTo(1);
            assertThat(pcp.real("pcp_attach_node", "2").stdout())
                    .isEqualTo("pcp_attach_node -- Command Successful\n");
            await().atMost(WAIT).untilAsserted(() -> assertThat(PoolNodes.status(j, 2)).isIn("up", "waiting"));
            ps.setInt(1, 2);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** Node 1 has an extra row, so UPDATE/DELETE of every row counts one more there. */
    private static void createRowsDiffer() {
        for (PgNode n : cluster.nodes()) {
            n.execute(DB, "CREATE TABLE rows_differ (id int, v int); INSERT INTO rows_differ VALUES (1, 1), (2, 2)");
        }
        cluster.node(1).execute(DB, "INSERT INTO rows_differ VALUES (3, 3)");
    }

    /** Every node answers the query alike (and, when given, as expected). */
    private static void assertSameEverywhere(String sql, List<List<String>> expected) {
        List<List<String>> first = cluster.node(0).query(DB, sql);
        if (expected != null) {
            assertThat(first).isEqualTo(expected);
        }
        for (PgNode n : cluster.nodes()) {
            assertThat(n.query(DB, sql)).as(n.name()).isEqualTo(first);
        }
    }
}
