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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code num_init_children} is the most clients served at once: the next one is refused with PostgreSQL's
 * 53300, the clients already in keep working, and a slot that a client leaves is free again at once.
 * {@code reserved_connections} lowers the limit by its value, as in Pgpool-II.
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
    void theClientBeyondNumInitChildrenIsRefusedAndTheOthersCarryOn() throws Exception {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, "num_init_children = 3")) {
            assertLimit(jpgpool, 3);
        }
    }

    @Test
    void reservedConnectionsLowerTheLimit() throws Exception {
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

    private static int selectOne(Connection c, int value) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT " + value)) {
            r.next();
            return r.getInt(1);
        }
    }
}
