package io.jpgpool.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ClusteringMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node table grows by a reload while sessions that started before keep the table they knew. */
class ClusterStateTest {
    private static BackendNode node(int id, NodeStatus status) {
        return new BackendNode(id, "db" + id, 5432 + id, 1, "", "", true, false, status, null, 0, null, null);
    }

    @Test
    void whatKeepsStateForEachNodeGrowsBeforeTheNodeIsInTheTable() {
        ClusterState cluster = new ClusterState(new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION,
                List.of(node(0, NodeStatus.UP)), 0, 0));
        List<String> seen = new ArrayList<>();
        cluster.onNodeAdded(n -> seen.add("grow " + n.id() + ", table has " + cluster.snapshot().size()));
        cluster.addListener(s -> seen.add("table has " + s.size()));

        ClusterSnapshot after = cluster.addNodes(List.of(node(1, NodeStatus.DOWN)));

        assertThat(seen).containsExactly("grow 1, table has 1", "table has 2");
        assertThat(after.size()).isEqualTo(2);
        assertThat(after.node(1).status()).isEqualTo(NodeStatus.DOWN);
        assertThat(after.primaryNodeId()).isZero();
        assertThat(cluster.addNodes(List.of())).isSameAs(after);
    }

    @Test
    void aSessionThatStartedWithOneNodeSeesOnlyThatNode() {
        ClusterSnapshot three = new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION,
                List.of(node(0, NodeStatus.UP), node(1, NodeStatus.UP), node(2, NodeStatus.UP)), 0, 7, 0b100);

        ClusterSnapshot view = three.firstNodes(2);

        assertThat(view.size()).isEqualTo(2);
        assertThat(view.primaryNodeId()).isZero();
        assertThat(view.version()).isEqualTo(7);
        assertThat(view.isFalsePrimary(2)).isFalse();
        assertThat(three.firstNodes(3)).isSameAs(three);
        // the new node became the primary: the old session knows no primary (the failover ended its writes)
        assertThat(three.withPrimary(2).firstNodes(2).primaryNodeId()).isEqualTo(-1);
    }
}
