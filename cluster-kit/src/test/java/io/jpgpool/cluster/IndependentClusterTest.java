package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class IndependentClusterTest {

    @Test
    void threeIndependentServersAreEachAPrimaryWithTheirOwnData() {
        try (PgCluster cluster = PgCluster.independent(ClusterOptions.builder().servers(3).initDatabase("test")
                .build())) {
            assertThat(cluster.nodes()).hasSize(3);
            assertThat(cluster.nodes()).extracting(PgNode::port).doesNotHaveDuplicates();
            for (PgNode n : cluster.nodes()) {
                assertThat(n.isRunning()).isTrue();
                assertThat(n.isInRecovery()).as(n.name()).isFalse();
                assertThat(n.query("SELECT datname FROM pg_database WHERE datname = 'test'")).hasSize(1);
            }
            assertThat(cluster.primary()).isSameAs(cluster.node(0));

            cluster.node(0).execute("CREATE TABLE only_here(x int)");

            assertThat(cluster.node(1).query("SELECT to_regclass('only_here')")).containsExactly(
                    java.util.Arrays.asList((String) null));
            assertThat(cluster.node(0).query("SELECT count(*) FROM pg_stat_replication"))
                    .containsExactly(List.of("0"));
        }
    }
}
