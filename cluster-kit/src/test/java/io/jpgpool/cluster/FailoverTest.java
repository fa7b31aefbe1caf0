package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failover as pgpool drives it: promote a standby, re-attach the others, rebuild the old primary. */
@Timeout(120)
class FailoverTest {
    private static final Duration REPLAY = Duration.ofSeconds(30);

    @Test
    void aPromotedStandbyAcceptsWrites() {
        try (PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build())) {
            cluster.node(0).stop(StopMode.IMMEDIATE);

            cluster.node(1).promote();

            assertThat(cluster.node(1).isInRecovery()).isFalse();
            assertThat(cluster.primary()).isSameAs(cluster.node(1));
            cluster.node(1).execute("CREATE TABLE written_after_promote(x int)");
        }
    }

    @Test
    void theOldPrimaryIsRebuiltAsAStandbyOfThePromotedNode() {
        try (PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build())) {
            PgNode oldPrimary = cluster.node(0);
            PgNode newPrimary = cluster.node(1);
            PgNode sibling = cluster.node(2);
            oldPrimary.execute("CREATE TABLE t(id int, origin text)");
            oldPrimary.execute("INSERT INTO t VALUES (1, 'before failover')");
            newPrimary.waitForReplayOf(oldPrimary, REPLAY);
            sibling.waitForReplayOf(oldPrimary, REPLAY);
            oldPrimary.stop(StopMode.IMMEDIATE);

            newPrimary.promote();
            sibling.attachAsStandbyOf(newPrimary);
            newPrimary.execute("INSERT INTO t VALUES (2, 'after failover')");
            oldPrimary.rebuildAsStandbyOf(newPrimary);
            newPrimary.execute("INSERT INTO t VALUES (3, 'after rebuild')");

            assertThat(cluster.primary()).isSameAs(newPrimary);
            assertThat(oldPrimary.isInRecovery()).isTrue();
            assertThat(oldPrimary.upstream()).isSameAs(newPrimary);
            assertThat(newPrimary.query("SELECT application_name FROM pg_stat_replication ORDER BY 1"))
                    .containsExactly(List.of("node0"), List.of("node2"));
            for (PgNode standby : List.of(oldPrimary, sibling)) {
                standby.waitForReplayOf(newPrimary, REPLAY);
                assertThat(standby.query("SELECT id, origin FROM t ORDER BY id")).as(standby.name())
                        .containsExactly(List.of("1", "before failover"), List.of("2", "after failover"),
                                List.of("3", "after rebuild"));
            }
        }
    }
}
