package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jpgpool listens before it looks for the primary, as Pgpool-II does (its tests start it and run psql a second
 * later, 071 among them): with a standby that does not answer (its postmaster stopped by SIGSTOP), the search
 * waits for connect_timeout on it, and a client that comes meanwhile waits and gets in when the primary is
 * known, instead of finding no socket.
 */
class ListenBeforePrimarySearchTest {
    static PgCluster cluster;
    static long standbyPid;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        standbyPid = cluster.node(1).postmasterPid().orElseThrow();
    }

    @AfterAll
    static void stop() {
        signal("CONT");
        cluster.close();
    }

    @Test
    void aClientThatComesDuringThePrimarySearchWaitsAndGetsIn() throws Exception {
        JpgpoolFixture jpgpool = JpgpoolFixture.prepare(cluster, "connect_timeout = 4000", "backend_weight1 = 0",
                "health_check_period = 0", "sr_check_period = 0");
        signal("STOP");
        try {
            CompletableFuture<Void> started = CompletableFuture.runAsync(jpgpool::startServer);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> accepts(jpgpool.port()));
            long listening = System.nanoTime();
            assertThat(started).as("the primary search is still under way").isNotDone();
            try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getBoolean(1)).as("it got the primary").isFalse();
            }
            started.join();
            assertThat((System.nanoTime() - listening) / 1_000_000).as("ms from the socket to the end of the start")
                    .isGreaterThan(2000);
        } finally {
            signal("CONT");
            jpgpool.close();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void signal(String name) {
        Commands.run(Duration.ofSeconds(5), Map.of(), "kill", "-" + name, String.valueOf(standbyPid));
    }
}
