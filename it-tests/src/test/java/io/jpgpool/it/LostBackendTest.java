package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * A backend process that dies in the middle of a query (kill -9, no ErrorResponse: the socket just closes): the
 * client gets Pgpool-II's FATAL for it, {@code unable to read data from DB node N} / {@code EOF encountered with
 * backend}, and jpgpool logs the same.
 */
class LostBackendTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "backend_weight0 = 0");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    void aBackendKilledMidQueryEndsTheSessionWithPgpoolsFatal() throws Exception {
        try (LogLines log = LogLines.capture("io.jpgpool.core"); Connection victim = jpgpool.connect("postgres")) {
            CompletableFuture<SQLException> slept = CompletableFuture.supplyAsync(() -> {
                try (Statement s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(20)");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !sleepers(0).isEmpty() || !sleepers(1).isEmpty());
            int node = sleepers(1).isEmpty() ? 0 : 1; // whichever node the routing chose for pg_sleep
            Commands.Result kill = Commands.run(Duration.ofSeconds(5), Map.of(), "kill", "-9", sleepers(node).get(0));
            assertThat(kill.exitCode()).as(kill.all()).isZero();

            SQLException ended = slept.get(15, TimeUnit.SECONDS);
            assertThat((Throwable) ended).isInstanceOf(PSQLException.class);
            var server = ((PSQLException) ended).getServerErrorMessage();
            assertThat(server).isNotNull();
            assertThat(server.getSeverity()).isEqualTo("FATAL");
            assertThat(server.getMessage()).isEqualTo("unable to read data from DB node " + node);
            assertThat(server.getDetail()).isEqualTo("EOF encountered with backend");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines())
                    .contains("unable to read data from DB node " + node + "\nDETAIL:  EOF encountered with backend"));
        }
    }

    /** Backend pids of the node running the pg_sleep. */
    private static List<String> sleepers(int node) {
        return cluster.node(node).query("SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(20)'")
                .stream().map(r -> r.get(0)).toList();
    }
}
