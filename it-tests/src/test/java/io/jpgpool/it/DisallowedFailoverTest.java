package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PoolNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The case of Pgpool-II's test 017 where node 0, the primary, is marked DISALLOW_TO_FAILOVER and stops, while
 * node 1 is out of recovery too (a false primary left by an earlier promotion). Nothing is failed over: every
 * client is refused with pgpool's {@code failed to create a backend connection} / {@code executing failover on
 * backend}, and node 0 stays the primary in jpgpool's view, through several replication checks; routing never
 * moves to the false primary.
 */
class DisallowedFailoverTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, FailoverScripts.withFastHealthCheck(
                "backend_flag0 = 'DISALLOW_TO_FAILOVER'", "failover_on_backend_error = on"));
        cluster.node(1).promote();
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    void clientsAreRefusedWithPgpoolsTextAndTheStoppedPrimaryStaysThePrimary() {
        await().atMost(Duration.ofSeconds(10)).until(() -> jpgpool.server().runtime().cluster().snapshot()
                .isFalsePrimary(1));
        Commands.Result before = psql("SELECT 1");
        assertThat(before.exitCode()).as(before.all()).isZero();

        cluster.node(0).stop(StopMode.FAST);

        List<Commands.Result> tries = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos(); // several health and replication checks
        while (System.nanoTime() < until) {
            tries.add(psql("CREATE TABLE t_disallowed(i int)"));
        }
        assertThat(tries).allSatisfy(r -> {
            assertThat(r.exitCode()).as(r.all()).isNotZero();
            assertThat(r.stderr()).contains("FATAL:  failed to create a backend connection")
                    .contains("DETAIL:  executing failover on backend");
        });
        assertThat(PoolNodes.summary(jpgpool)).isEqualTo("0 up primary, 1 up standby");
    }

    private static Commands.Result psql(String sql) {
        return Commands.run(Duration.ofSeconds(30), Map.of("PGPASSWORD", cluster.options().superuserPassword()),
                null, List.of(Commands.pgTool("psql"), "-X", "-h", jpgpool.host(), "-p",
                        String.valueOf(jpgpool.port()), "-U", "postgres", "-d", "postgres", "-c", sql));
    }
}
