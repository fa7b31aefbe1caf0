package io.jpgpool.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.ClusterState;
import io.jpgpool.core.cluster.NodeProbes;
import io.jpgpool.core.cluster.NodeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given a primary and two standbys, the node gauges follow the node table. */
class ClusterMetersTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ClusterState cluster = new ClusterState(new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION,
            List.of(node(0, 1), node(1, 1), node(2, 2)), 0, 0));

    private static BackendNode node(int id, double weight) {
        return new BackendNode(id, "db" + id, 5432 + id, weight, "", "", true, false, NodeStatus.CONNECT_WAIT, START,
                0, null, null);
    }

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void statusIsAStateSetLabelledWithTheRole() {
        new ClusterMeters(registry, cluster);
        assertThat(gauge("jpgpool.node.status", "node_id", "1", "role", "standby", "status", "waiting")).isEqualTo(1);
        assertThat(gauge("jpgpool.node.status", "node_id", "1", "status", "up")).isZero();
        cluster.update(s -> s.withNode(s.node(1).withStatus(NodeStatus.DOWN, Instant.now())));
        assertThat(gauge("jpgpool.node.status", "node_id", "1", "status", "down")).isEqualTo(1);
        assertThat(gauge("jpgpool.node.status", "node_id", "1", "status", "waiting")).isZero();
        assertThat(gauge("jpgpool.node.role", "node_id", "0", "hostname", "db0", "port", "5432", "role", "primary"))
                .isEqualTo(1);
        assertThat(gauge("jpgpool.node.weight", "node_id", "2")).isEqualTo(0.5);
    }

    @Test
    void aNewPrimaryChangesTheRoleLabelsAndTheDelayIsTheStandbys() {
        new ClusterMeters(registry, cluster);
        cluster.update(s -> s.withNode(s.node(2).withReplication(4096, "streaming", "async")));
        assertThat(gauge("jpgpool.node.replication.delay", "node_id", "2", "role", "standby")).isEqualTo(4096);
        cluster.update(s -> s.withPrimary(2));
        assertThat(gauge("jpgpool.node.role", "node_id", "2", "role", "primary")).isEqualTo(1);
        assertThat(gauge("jpgpool.node.replication.delay", "node_id", "2", "role", "primary")).isZero();
        assertThat(registry.find("jpgpool.node.role").tags("node_id", "2", "role", "standby").gauge()).isNull();
        assertThat(registry.find("jpgpool.node.status").tags("node_id", "0").gauges()).hasSize(3)
                .allMatch(g -> g.getId().getTag("role").equals("standby"));
    }

    @Test
    void aSessionStartingMarksTheWaitingNodesTheChecksReachedUp() {
        NodeProbes probes = new NodeProbes(3);
        probes.reachable(0, true);
        probes.reachable(1, true);
        probes.reachable(2, false);
        cluster.sessionStarting(probes);
        ClusterSnapshot s = cluster.snapshot();
        assertThat(s.node(0).status()).isEqualTo(NodeStatus.UP);
        assertThat(s.node(0).lastStatusChange()).isAfter(START);
        assertThat(s.node(1).status()).isEqualTo(NodeStatus.UP);
        assertThat(s.node(2).status()).isEqualTo(NodeStatus.CONNECT_WAIT);
        assertThat(s.node(2).lastStatusChange()).isEqualTo(START);
        long version = s.version();
        cluster.sessionStarting(probes);
        assertThat(cluster.snapshot().version()).as("nothing left to change").isEqualTo(version);
    }
}
