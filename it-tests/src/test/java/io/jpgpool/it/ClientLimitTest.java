package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.JpgpoolFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code num_init_children} is the most clients served at once. With {@code reserved_connections = 0} the next
 * client waits, as it would in Pgpool-II's listen backlog (its tests 060 and 069 count on it), but in jpgpool's
 * own queue: SHOW pool_processes lists it as waiting, it gets the slot a client leaves, and after
 * {@code connection_queue_timeout} it is refused with PostgreSQL's 53300. {@code reserved_connections} lowers the
 * limit by its value and the client beyond it is refused at once, as in Pgpool-II.
 */
class ClientLimitTest {
    static PgCluster cluster;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theClientBeyondNumInitChildrenWaitsInTheQueueForTheSlotAClientLeaves() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "num_init_children = 2",
                "connection_queue_timeout = 60");
                Connection first = jpgpool.connectSimple("postgres");
                Connection second = jpgpool.connectSimple("postgres")) {
            CompletableFuture<Connection> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return jpgpool.connectSimple("postgres");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> waiting(second).size() == 1);
            assertThat(third).as("beyond num_init_children: waiting, not refused").isNotDone();
            assertThat(selectOne(second, 7)).as("the clients in carry on").isEqualTo(7);

            first.close();
            try (Connection in = third.get(10, TimeUnit.SECONDS)) {
                assertThat(selectOne(in, 42)).isEqualTo(42);
                assertThat(waiting(in)).isEmpty();
            }
        }
    }

    @Test
    void aClientWaitingLongerThanConnectionQueueTimeoutIsRefused() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "num_init_children = 1",
                "connection_queue_timeout = 2");
                Connection in = jpgpool.connect("postgres")) {
            long start = System.nanoTime();
            SQLException refused = catchThrowableOfType(() -> jpgpool.connect("postgres"), SQLException.class);
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat((Throwable) refused).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("53300");
            assertThat(refused.getMessage()).contains("sorry, too many clients already")
                    .contains("waited connection_queue_timeout (2 s)");
            assertThat(waitedMillis).isBetween(1_900L, 10_000L);
            assertThat(selectOne(in, 1)).isEqualTo(1);
        }
    }

    @Test
    void reservedConnectionsLowerTheLimitAndTheClientBeyondIsRefusedAtOnce() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "num_init_children = 3",
                "reserved_connections = 1")) {
            assertLimit(jpgpool, 2);
        }
    }

    private static void assertLimit(JpgpoolFixture jpgpool, int limit) throws Exception {
        List<Connection> served = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                served.add(jpgpool.connect("postgres"));
            }
            SQLException refused = catchThrowableOfType(() -> jpgpool.connect("postgres"), SQLException.class);
            assertThat((Throwable) refused).as("client %d, beyond the limit", limit + 1).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("53300");
            assertThat(refused.getMessage()).contains("sorry, too many clients already");

            for (int i = 0; i < served.size(); i++) {
                assertThat(selectOne(served.get(i), i)).isEqualTo(i);
            }

            served.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                served.add(jpgpool.connect("postgres"));
            });
            assertThat(selectOne(served.get(served.size() - 1), 42)).isEqualTo(42);
            assertThat(catchThrowableOfType(() -> jpgpool.connect("postgres"), SQLException.class).getSQLState())
                    .isEqualTo("53300");
        } finally {
            for (Connection c : served) {
                c.close();
            }
        }
    }

    /** The pool_pid of the SHOW pool_processes rows of waiting clients, seen from a session that is in. */
    private static List<String> waiting(Connection c) throws SQLException {
        List<String> pids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW pool_processes")) {
            while (r.next()) {
                if ("Wait in connection queue".equals(r.getString("status"))) {
                    pids.add(r.getString("pool_pid"));
                }
            }
        }
        return pids;
    }

    private static int selectOne(Connection c, int value) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT " + value)) {
            r.next();
            return r.getInt(1);
        }
    }
}
