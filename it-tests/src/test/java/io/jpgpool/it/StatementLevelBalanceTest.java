package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.core.routing.LoadBalancer;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import io.jpgpool.it.support.RoutingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code statement_level_load_balance = on} draws the load-balance node once at the start of a session and once
 * per statement, as Pgpool-II's test 001 counts them: the first SELECT of a fresh session, which waits for its
 * standby connection to open, is not drawn a second time when it is up.
 */
class StatementLevelBalanceTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "statement_level_load_balance = on", "backend_weight0 = 0",
                "backend_weight1 = 1");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    void eachStatementDrawsOnceEvenWhenItWaitsForItsConnection(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("two.sql");
        Files.writeString(script, "SELECT 3333;\nSELECT 4444;\n");
        Logger balancer = (Logger) LoggerFactory.getLogger(LoadBalancer.class);
        Level before = balancer.getLevel();
        balancer.setLevel(Level.DEBUG);
        try (LogLines draws = LogLines.capture(LoadBalancer.class.getName()); RoutingLog log = RoutingLog.capture()) {
            Commands.Result r = Commands.run(Duration.ofSeconds(30),
                    Map.of("PGPASSWORD", cluster.options().superuserPassword()), null,
                    List.of(Commands.pgTool("psql"), "-X", "-h", jpgpool.host(), "-p", String.valueOf(jpgpool.port()),
                            "-U", "postgres", "-d", "postgres", "-f", script.toString()));
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(draws.lines()).as("the session's draw, then one per SELECT")
                    .filteredOn(l -> l.startsWith("selecting load balance node")).hasSize(3);
            assertThat(log.nodesOf("SELECT 3333")).containsExactly(1);
            assertThat(log.nodesOf("SELECT 4444")).containsExactly(1);
        } finally {
            balancer.setLevel(before);
        }
    }
}
