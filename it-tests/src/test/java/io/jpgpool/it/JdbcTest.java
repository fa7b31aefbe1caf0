package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and two standbys behind jpgpool, with node 0's weight 0 so that a session's load-balance node
 * is always a standby: what a JDBC application does (autocommit, explicit transactions, batches, server-side
 * prepared statements, cancel, read-only transactions fetching in chunks) gives the same answers as PostgreSQL,
 * and runs where Pgpool-II 4.3 runs it (SEMANTICS A.2-A.13).
 */
class JdbcTest {
    private static final String DB = "app";
    private static final int ACCOUNTS = 100;
    private static final int BIG_ROWS = 10_000;
    private static final Duration REPLAY = Duration.ofSeconds(30);

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() throws SQLException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build());
        try (Connection c = primary().connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance int NOT NULL)");
            s.execute("INSERT INTO accounts SELECT i, 'owner ' || i, 100 * i FROM generate_series(1, "
                    + ACCOUNTS + ") i");
            s.execute("CREATE TABLE events (id int PRIMARY KEY, note text)");
            s.execute("CREATE TABLE batch_items (id int PRIMARY KEY, label text NOT NULL)");
            s.execute("CREATE TABLE big (id int PRIMARY KEY, payload text NOT NULL)");
            s.execute("INSERT INTO big SELECT i, md5(i::text) FROM generate_series(1, " + BIG_ROWS + ") i");
        }
        waitForStandbys();
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // closed in reverse order: jpgpool, then the cluster
        }
    }

    @Test
    void withAutocommitReadsRunOnTheStandbyAndWritesOnThePrimary() throws SQLException {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB)) {
            assertThat(balance(c, 1)).isEqualTo(100);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO events (id, note) VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setString(2, "autocommit");
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            waitForStandbys();
            try (PreparedStatement read = c.prepareStatement("SELECT note FROM events WHERE id = ?")) {
                read.setInt(1, 1);
                try (ResultSet rs = read.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("autocommit");
                }
            }

            int standby = onlyNode(log.executionsOf("SELECT balance FROM accounts"));
            assertThat(standby).as("the session's load-balance node").isIn(1, 2);
            assertThat(log.executionsOf("INSERT INTO events")).extracting(RoutingLog.Entry::node).containsExactly(0);
            assertThat(onlyNode(log.executionsOf("SELECT note FROM events"))).isEqualTo(standby);
        }
    }

    @Test
    void inATransactionReadsGoToTheStandbyUntilTheFirstWriteAndCommitPersists() throws SQLException {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB)) {
            c.setAutoCommit(false);
            assertThat(balance(c, 2)).isEqualTo(200);
            int standby = onlyNode(log.executionsOf("SELECT balance FROM accounts"));
            log.clear();

            addToBalance(c, 2, 5);
            // only the primary can see the transaction's own uncommitted update
            assertThat(balance(c, 2)).isEqualTo(205);
            c.commit();

            assertThat(standby).isIn(1, 2);
            assertThat(log.executionsOf("UPDATE accounts")).extracting(RoutingLog.Entry::node).containsExactly(0);
            assertThat(log.executionsOf("SELECT balance FROM accounts")).extracting(RoutingLog.Entry::node)
                    .containsExactly(0);
            assertThat(log.executionsOf("COMMIT")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, standby);
        }
        assertThat(balanceOnPrimary(2)).isEqualTo(205);
    }

    @Test
    void aRolledBackTransactionLeavesNoTraceOnThePrimary() throws SQLException {
        try (Connection c = jpgpool.connect(DB)) {
            c.setAutoCommit(false);
            addToBalance(c, 3, 7);
            assertThat(balance(c, 3)).isEqualTo(307);
            c.rollback();
            assertThat(balance(c, 3)).isEqualTo(300);
            c.commit();
        }
        assertThat(balanceOnPrimary(3)).isEqualTo(300);
    }

    @Test
    void aBatchOfAThousandInsertsRunsOnThePrimaryAndEveryRowArrives() throws SQLException {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB);
                PreparedStatement insert = c.prepareStatement("INSERT INTO batch_items (id, label) VALUES (?, ?)")) {
            for (int i = 1; i <= 1000; i++) {
                insert.setInt(1, i);
                insert.setString(2, "row " + i);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            assertThat(counts).hasSize(1000).containsOnly(1);
            assertThat(log.executionsOf("INSERT INTO batch_items")).hasSize(1000)
                    .extracting(RoutingLog.Entry::node).containsOnly(0);

            waitForStandbys();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), sum(id) FROM batch_items")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1000);
                assertThat(rs.getLong(2)).isEqualTo(500_500);
            }
            assertThat(onlyNode(log.executionsOf("FROM batch_items"))).as("the count ran on the standby").isIn(1, 2);
        }
        try (Connection direct = primary().connect(DB); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM batch_items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1000);
        }
    }

    /**
     * prepareThreshold = 1: the statement is a named server-side statement from its first run. It is parsed on
     * the standby; bound again inside a transaction after a write, jpgpool first parses it on the primary
     * (parse-before-bind, SEMANTICS A.13) and from then on it stays there, like pgpool's worked example.
     */
    @Test
    void aServerSidePreparedStatementFollowsPgpoolsParseBeforeBind() throws SQLException {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB, p);
                PreparedStatement read = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            // autocommit: parsed once on the standby, run there every time
            for (int id = 10; id < 30; id++) {
                assertThat(balance(read, id)).isEqualTo(100 * id);
            }
            List<RoutingLog.Entry> parses = parsesOf(log, "SELECT balance FROM accounts");
            int standby = onlyNode(parses);
            assertThat(standby).isIn(1, 2);
            assertThat(parses).as("a named statement is parsed once").hasSize(1);
            assertThat(log.executionsOf("SELECT balance FROM accounts")).hasSize(20)
                    .extracting(RoutingLog.Entry::node).containsOnly(standby);
            log.clear();

            // a transaction: a read before any write may use the standby
            c.setAutoCommit(false);
            assertThat(balance(read, 40)).isEqualTo(4000);
            assertThat(log.executionsOf("SELECT balance FROM accounts")).extracting(RoutingLog.Entry::node)
                    .containsExactly(standby);
            log.clear();

            // after a write in the same transaction the statement is parsed on the primary and bound there
            addToBalance(c, 40, 1000);
            assertThat(balance(read, 40)).as("the primary's uncommitted value").isEqualTo(5000);
            assertThat(balance(read, 41)).isEqualTo(4100);
            assertThat(parsesOf(log, "SELECT balance FROM accounts")).extracting(RoutingLog.Entry::node)
                    .containsExactly(0);
            assertThat(log.executionsOf("SELECT balance FROM accounts")).extracting(RoutingLog.Entry::node)
                    .containsExactly(0, 0);
            c.commit();
            log.clear();

            // the statement stays on the primary after the transaction (SEMANTICS A.13, worked example step 8)
            c.setAutoCommit(true);
            for (int id = 40; id < 45; id++) {
                assertThat(balance(read, id)).isEqualTo(id == 40 ? 5000 : 100 * id);
            }
            assertThat(log.executionsOf("SELECT balance FROM accounts")).hasSize(5)
                    .extracting(RoutingLog.Entry::node).containsOnly(0);
            assertThat(parsesOf(log, "SELECT balance FROM accounts")).isEmpty();
        }
        assertThat(balanceOnPrimary(40)).isEqualTo(5000);
    }

    @Test
    void cancellingASleepOnThePrimaryReturnsControlWithinASecond() throws Exception {
        try (RoutingLog log = RoutingLog.capture()) {
            assertCancelledWithinASecond("SELECT pg_sleep(30)", "pg_sleep");
            // pg_sleep is VOLATILE: a writing function, so the primary runs it (SEMANTICS A.5)
            assertThat(onlyNode(log.executionsOf("pg_sleep"))).isZero();
        }
    }

    @Test
    void cancellingALongReadOnTheStandbyReturnsControlWithinASecond() throws Exception {
        try (RoutingLog log = RoutingLog.capture()) {
            // 100^5 rows: runs for hours unless cancelled
            assertCancelledWithinASecond(
                    "SELECT count(*) FROM accounts a, accounts b, accounts c, accounts d, accounts e", "accounts e");
            assertThat(onlyNode(log.executionsOf("accounts e"))).isIn(1, 2);
        }
    }

    @Test
    void aReadOnlyTransactionFetchesTenThousandRowsInChunksOfAHundredFromTheStandby() throws SQLException {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(100);
                int rows = 0;
                try (ResultSet rs = s.executeQuery("SELECT id, payload FROM big ORDER BY id")) {
                    while (rs.next()) {
                        rows++;
                        assertThat(rs.getInt(1)).isEqualTo(rows);
                    }
                }
                assertThat(rows).isEqualTo(BIG_ROWS);

                // a partial fetch: the portal is suspended, closed, and the transaction goes on
                try (ResultSet rs = s.executeQuery("SELECT id FROM big WHERE id > 5000 ORDER BY id")) {
                    for (int i = 1; i <= 150; i++) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(5000 + i);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM big")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(BIG_ROWS);
                }
            }
            c.commit();

            List<RoutingLog.Entry> fetches = log.executionsOf("SELECT id, payload FROM big");
            assertThat(fetches).as("one Execute per chunk of 100 rows").hasSizeGreaterThanOrEqualTo(100);
            int standby = onlyNode(fetches);
            assertThat(standby).isIn(1, 2);
            assertThat(log.executionsOf("SELECT id FROM big")).as("two chunks of the partial fetch")
                    .hasSize(2).extracting(RoutingLog.Entry::node).containsOnly(standby);
            assertThat(log.executionsOf("BEGIN READ ONLY")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, standby);
        }
    }

    @Test
    void aWriteInAReadOnlyTransactionFailsAsOnPostgreSQL() throws SQLException {
        try (Connection c = jpgpool.connect(DB)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            assertThatThrownBy(() -> addToBalance(c, 50, 1)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            c.rollback();
            c.setReadOnly(false);
            assertThat(balance(c, 50)).isEqualTo(5000);
            c.commit();
        }
        assertThat(balanceOnPrimary(50)).isEqualTo(5000);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs {@code sql} on a new session, waits until a node shows it running, cancels it from this thread and
     * measures how long the running thread waits for its SQLException.
     */
    private static void assertCancelledWithinASecond(String sql, String marker) throws Exception {
        try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
            AtomicLong failedAt = new AtomicLong();
            CompletableFuture<SQLException> outcome = CompletableFuture.supplyAsync(() -> {
                try (ResultSet rs = s.executeQuery(sql)) {
                    return null;
                } catch (SQLException e) {
                    failedAt.set(System.nanoTime());
                    return e;
                }
            });
            try {
                // PostgreSQL drops a cancel that lands while the backend reads its next message, which can happen
                // between Parse (when pg_stat_activity first shows the query) and Execute: cancel a query that
                // has been running for a while, as a user would
                await().atMost(Duration.ofSeconds(10)).until(() -> running(marker) > 0);
                String running = runningBackends(marker);

                long cancelledAt = System.nanoTime();
                s.cancel();
                SQLException e;
                try {
                    e = outcome.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    throw new AssertionError("\"" + sql + "\" still runs 10 s after Statement.cancel(); it ran on "
                            + running + ", now on " + runningBackends(marker));
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - cancelledAt);

                assertThat((Throwable) e).as("the query was cancelled").isNotNull();
                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("57014");
                assertThat(millis).as("milliseconds from cancel() to the client's error").isLessThan(1000);
            } finally {
                // whatever happened, do not leave the query running (closing the session would wait for it)
                cancelDirectly(marker);
            }
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the session goes on").isTrue();
            }
        }
    }

    /** How many backends, on any node, have been running a statement containing {@code marker} for 300 ms. */
    private static int running(String marker) throws SQLException {
        return onEveryNode("count(*) FILTER (WHERE now() - query_start > interval '300 milliseconds')", marker);
    }

    /** Which backends run it: node port, pid and when the query started, for failure messages. */
    private static String runningBackends(String marker) throws SQLException {
        StringBuilder out = new StringBuilder();
        for (PgNode node : cluster.nodes()) {
            try (Connection c = node.connect(DB); PreparedStatement ps = c.prepareStatement("SELECT pid, query_start, "
                    + "wait_event FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? "
                    + "AND pid <> pg_backend_pid()")) {
                ps.setString(1, "%" + marker + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(" [port ").append(node.port()).append(" pid ").append(rs.getInt(1)).append(" since ")
                                .append(rs.getString(2)).append(" waiting ").append(rs.getString(3)).append(']');
                    }
                }
            }
        }
        return out.length() == 0 ? " nothing" : out.toString();
    }

    /** Cancels, on the nodes themselves, whatever still runs a statement containing {@code marker}. */
    private static void cancelDirectly(String marker) throws SQLException {
        onEveryNode("count(pg_cancel_backend(pid))", marker);
    }

    private static int onEveryNode(String aggregate, String marker) throws SQLException {
        int total = 0;
        for (PgNode node : cluster.nodes()) {
            try (Connection c = node.connect(DB); PreparedStatement ps = c.prepareStatement("SELECT " + aggregate
                    + " FROM pg_stat_activity WHERE state = 'active' AND query LIKE ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, "%" + marker + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total += rs.getInt(1);
                }
            }
        }
        return total;
    }

    @Test
    void aTransactionReachesANodeOnlyWhenSomethingOfItGoesThereAndEndsWhereverItBegan() throws Exception {
        int standby;
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect(DB)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 7"); // writes only
            }
            c.commit();
            assertThat(balance(c, 8)).isEqualTo(800); // reads only
            c.commit();
            assertThat(balance(c, 9)).isEqualTo(900); // a read, then a write
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE accounts SET balance = balance WHERE id = 9");
            }
            c.rollback();
            standby = onlyNode(log.executionsOf("SELECT balance FROM accounts"));
            assertThat(standby).isIn(1, 2);
            // pgjdbc's BEGIN is a simple Query that jpgpool answers at once: each node gets it with the first
            // statement of the transaction sent there, and the read-only one never reaches the primary
            assertThat(log.executionsOf("BEGIN")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, standby, standby, 0);
            assertThat(log.executionsOf("COMMIT")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, standby);
            assertThat(log.executionsOf("ROLLBACK")).extracting(RoutingLog.Entry::node)
                    .containsExactlyInAnyOrder(0, standby);
        }
        // nothing is left open on the standby by the session, now pooled
        try (Connection direct = cluster.node(standby).connect(DB); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + DB
                        + "' AND state LIKE 'idle in transaction%'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /**
     * A plain simple-protocol BEGIN is answered by jpgpool at once (the client is in a transaction), and each
     * node gets it in the same write as the transaction's first statement there, on the same connection; a
     * BEGIN with options still goes to the primary before anything else. What commits and what rolls back is
     * as without the shortcut.
     */
    @Test
    void aPlainBeginIsAnsweredAtOnceAndGoesWithTheFirstStatementOfTheTransaction() throws Exception {
        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connectSimple(DB);
                Statement s = c.createStatement()) {
            s.execute("BEGIN");
            assertThat(c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState())
                    .isEqualTo(org.postgresql.core.TransactionState.OPEN);
            assertThat(log.executionsOf("BEGIN")).as("no node has heard of it yet").isEmpty();
            s.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = 11");
            List<RoutingLog.Entry> primary = log.entries().stream().filter(e -> e.node() == 0 && e.isExecution())
                    .toList();
            assertThat(primary).extracting(RoutingLog.Entry::sql).containsSubsequence("BEGIN",
                    "UPDATE accounts SET balance = balance + 1 WHERE id = 11");
            assertThat(primary).extracting(RoutingLog.Entry::backendPid).containsOnly(primary.get(0).backendPid());
            s.execute("ROLLBACK");
            assertThat(c.unwrap(org.postgresql.core.BaseConnection.class).getTransactionState())
                    .isEqualTo(org.postgresql.core.TransactionState.IDLE);
            assertThat(primary().query(DB, "SELECT balance FROM accounts WHERE id = 11"))
                    .as("rolled back").containsExactly(List.of("1100"));

            s.execute("START TRANSACTION");
            s.executeUpdate("UPDATE accounts SET balance = balance + 1 WHERE id = 12");
            s.execute("COMMIT");
            assertThat(primary().query(DB, "SELECT balance FROM accounts WHERE id = 12"))
                    .as("committed").containsExactly(List.of("1201"));
            s.executeUpdate("UPDATE accounts SET balance = balance - 1 WHERE id = 12");

            // nothing in it but BEGIN and COMMIT: the primary gets both
            log.clear();
            s.execute("BEGIN");
            s.execute("COMMIT");
            assertThat(log.executionsOf("BEGIN")).extracting(RoutingLog.Entry::node).containsExactly(0);
            assertThat(log.executionsOf("COMMIT")).extracting(RoutingLog.Entry::node).containsExactly(0);

            // with options it is the backends' to check, at once
            log.clear();
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            assertThat(log.executionsOf("BEGIN ISOLATION LEVEL REPEATABLE READ")).extracting(RoutingLog.Entry::node)
                    .containsExactly(0);
            s.execute("ROLLBACK");
        }
    }

    private static int balance(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT balance FROM accounts WHERE id = ?")) {
            return balance(ps, id);
        }
    }

    private static int balance(PreparedStatement read, int id) throws SQLException {
        read.setInt(1, id);
        try (ResultSet rs = read.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static void addToBalance(Connection c, int id, int amount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?")) {
            ps.setInt(1, amount);
            ps.setInt(2, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static int balanceOnPrimary(int id) throws SQLException {
        try (Connection c = primary().connect(DB)) {
            return balance(c, id);
        }
    }

    private static List<RoutingLog.Entry> parsesOf(RoutingLog log, String text) {
        return log.entries().stream().filter(e -> e.statement().startsWith("Parse: ") && e.sql().contains(text))
                .toList();
    }

    /** The one node all these entries ran on. */
    private static int onlyNode(List<RoutingLog.Entry> entries) {
        assertThat(entries).as("statements logged").isNotEmpty();
        List<Integer> nodes = entries.stream().map(RoutingLog.Entry::node).distinct().toList();
        assertThat(nodes).as("nodes of " + entries).hasSize(1);
        return nodes.get(0);
    }

    private static PgNode primary() {
        return cluster.node(0);
    }

    private static void waitForStandbys() {
        for (PgNode standby : cluster.nodes().subList(1, cluster.nodes().size())) {
            standby.waitForReplayOf(primary(), REPLAY);
        }
    }
}
