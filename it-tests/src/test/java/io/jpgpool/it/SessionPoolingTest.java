package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session pooling as in Pgpool-II (SEMANTICS E.1): a client that leaves hands its backend connections back
 * after {@code reset_query_list}, and the next client with the same user, database and startup parameters gets
 * them, with none of the first one's session state. Connections to {@code postgres} are never kept, nor any
 * with {@code connection_cache = off}; {@code connection_life_time} closes kept ones; {@code client_idle_limit}
 * disconnects an idle client. Reads stay on the primary here, so {@code pg_backend_pid()} names the primary's
 * backend of the session.
 */
class SessionPoolingTest {
    private static final String DB = "pooldb";
    private static final Duration WAIT = Duration.ofSeconds(10);

    static PgCluster cluster;
    static PgNode primary;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        primary = cluster.node(0);
        primary.execute("CREATE DATABASE " + DB);
        cluster.node(1).waitForReplayOf(primary, WAIT);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theNextClientGetsTheConnectionsResetByResetQueryList() throws Exception {
        try (JpgpoolFixture jpgpool = withOneEventLoop(() -> JpgpoolFixture.start(cluster, "backend_weight1 = 0"))) {
            int first;
            try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
                s.execute("SET work_mem = '7MB'");
                s.execute("CREATE TEMP TABLE scratch (id int)");
                first = backendPid(s);
            }
            awaitKept(first);

            try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
                assertThat(backendPid(s)).as("the kept connection").isEqualTo(first);
                assertThat(text(s, "SHOW work_mem")).isEqualTo("4MB");
                assertThat(text(s, "SELECT count(*) FROM pg_class WHERE relname = 'scratch'")).isEqualTo("0");
            }
            awaitKept(first);

            Properties other = new Properties();
            other.setProperty("options", "-c work_mem=5MB"); // pgjdbc sends it in the startup packet
            try (Connection c = jpgpool.connect(DB, other); Statement s = c.createStatement()) {
                assertThat(backendPid(s)).as("other startup parameters, other connections").isNotEqualTo(first);
                assertThat(text(s, "SHOW work_mem")).isEqualTo("5MB");
            }
        }
    }

    @Test
    void connectionsToThePostgresDatabaseAreNeverKept() throws Exception {
        assertClosedWhenTheClientLeaves("postgres", "backend_weight1 = 0");
    }

    @Test
    void withConnectionCacheOffEveryConnectionCloses() throws Exception {
        assertClosedWhenTheClientLeaves(DB, "backend_weight1 = 0", "connection_cache = off");
    }

    private static void assertClosedWhenTheClientLeaves(String database, String... conf) throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, conf)) {
            int pid;
            try (Connection c = jpgpool.connect(database); Statement s = c.createStatement()) {
                pid = backendPid(s);
            }
            awaitGone(pid);
        }
    }

    @Test
    void connectionLifeTimeClosesKeptConnections() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "backend_weight1 = 0",
                "connection_life_time = 2")) {
            int pid;
            try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
                pid = backendPid(s);
            }
            awaitKept(pid);
            awaitGone(pid);
        }
    }

    @Test
    void clientIdleLimitDisconnectsAnIdleClient() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "backend_weight1 = 0", "client_idle_limit = 1");
                Connection idle = jpgpool.connect(DB); Connection busy = jpgpool.connect(DB);
                Statement s = busy.createStatement()) {
            int idlePid;
            try (Statement first = idle.createStatement()) {
                idlePid = backendPid(first);
            }
            // the busy client queries every poll, so it never reaches the limit; the idle one's session ends and
            // its connections are reset for the pool
            await().atMost(WAIT).until(() -> text(s, "SELECT 1").equals("1") && primary.query(
                    "SELECT query FROM pg_stat_activity WHERE pid = " + idlePid).equals(List.of(List.of("DISCARD ALL"))));
            SQLException e = catchThrowableOfType(() -> idle.createStatement().execute("SELECT 1"),
                    SQLException.class);
            assertThat((Throwable) e).as("a query on the disconnected client").isNotNull();
            assertThat(e.getMessage()).contains("client_idle_limit:1 is reached");
            assertThat(text(s, "SELECT 2")).isEqualTo("2");
        }
    }

    /**
     * Idle connections are kept by the event loop that served the client, and a client reuses those of the loop
     * it lands on (as a Pgpool-II child reuses only its own cache): with one loop, the next client always finds
     * them.
     */
    private static JpgpoolFixture withOneEventLoop(java.util.function.Supplier<JpgpoolFixture> start) {
        String before = System.getProperty("jpgpool.threads");
        System.setProperty("jpgpool.threads", "1");
        try {
            return start.get();
        } finally {
            if (before == null) {
                System.clearProperty("jpgpool.threads");
            } else {
                System.setProperty("jpgpool.threads", before);
            }
        }
    }

    /** The connection's last query is the reset and it waits, idle, for the next client. */
    private static void awaitKept(int pid) {
        await().atMost(WAIT).until(() -> primary.query(
                "SELECT state, query FROM pg_stat_activity WHERE pid = " + pid)
                .equals(List.of(List.of("idle", "DISCARD ALL"))));
    }

    private static void awaitGone(int pid) {
        await().atMost(WAIT).until(() -> primary.query(
                "SELECT 1 FROM pg_stat_activity WHERE pid = " + pid).isEmpty());
    }

    private static int backendPid(Statement s) throws SQLException {
        return Integer.parseInt(text(s, "SELECT pg_backend_pid()"));
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).isTrue();
            return r.getString(1);
        }
    }
}
