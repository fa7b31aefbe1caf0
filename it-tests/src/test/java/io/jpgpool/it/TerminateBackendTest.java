package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import io.jpgpool.it.support.PoolNodes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code SELECT pg_terminate_backend(pid)} of another client's backend, sent through jpgpool (Pgpool-II's test
 * 073): jpgpool says in pgpool's words that it found the request for one of its connections, the other client
 * gets the backend's own FATAL and nothing of jpgpool's, and nothing is failed over: no log line says
 * "failover", the node stays up.
 */
class TerminateBackendTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight1 = 0", "failover_on_backend_error = on");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    void terminatingAnotherClientsBackendEndsThatClientOnlyWithoutFailover() throws Exception {
        try (LogLines log = LogLines.capture("io.jpgpool.core"); Connection victim = jpgpool.connect("postgres");
                Connection killer = jpgpool.connect("postgres")) {
            CompletableFuture<SQLException> slept = CompletableFuture.supplyAsync(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(10)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !sleepers().isEmpty());
            String pid = sleepers().get(0);
            try (Statement s = killer.createStatement()) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
            SQLException ended = slept.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat((Throwable) ended).isNotNull();
            assertThat(ended.getSQLState()).isEqualTo("57P01");
            assertThat(ended.getMessage()).contains("terminating connection due to administrator command")
                    .doesNotContain("unable to read data");
            assertThat(log.lines()).contains("found the pg_terminate_backend request for backend pid:" + pid
                    + " on backend node:0\nDETAIL:  setting the connection flag");
            assertThat(log.lines()).noneMatch(l -> l.contains("failover"));
            try (Statement s = killer.createStatement()) {
                assertThat(s.execute("SELECT 1")).as("the other client goes on").isTrue();
            }
            assertThat(PoolNodes.summary(jpgpool)).startsWith("0 up primary");
        }
    }

    /** Backend pids of node 0 running the pg_sleep. */
    private static List<String> sleepers() {
        return cluster.node(0).query("SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)'")
                .stream().map(r -> r.get(0)).toList();
    }
}
