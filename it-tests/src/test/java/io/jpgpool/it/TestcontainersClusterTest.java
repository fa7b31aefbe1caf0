package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.it.support.TestcontainersCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Skipped where no Docker engine answers (see {@link TestcontainersCluster#assumeDocker()}). */
class TestcontainersClusterTest {

    @Test
    void aWriteOnThePrimaryContainerIsReadOnTheStandbyContainer() throws SQLException {
        try (TestcontainersCluster cluster = TestcontainersCluster.start(1)) {
            try (Connection c = cluster.connect(0, "postgres"); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE replicated AS SELECT 'hello'::text AS greeting");
            }

            // the walreceiver connects a moment after the standby accepts read-only connections
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = cluster.connect(0, "postgres"); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT application_name FROM pg_stat_replication"
                                + " WHERE state = 'streaming'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("node1");
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                try (Connection c = cluster.connect(1, "postgres"); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT greeting FROM replicated")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("hello");
                }
            });
        }
    }
}
