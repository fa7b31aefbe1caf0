package io.jpgpool.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What SHOW pool_backend_stats reads is what the meters count. */
class NodeStatsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NodeStats stats = new NodeStats(registry, List.of(
            new BackendNode(0, "db0", 5432, 1, "", "", true, false, NodeStatus.UP, null, 0, null, null),
            new BackendNode(1, "/tmp", 5433, 1, "", "", true, false, NodeStatus.UP, null, 0, null, null)));

    @Test
    void statementsAndErrorsAreCountedPerNodeInTheMeters() {
        stats.increment(1, NodeStats.Kind.SELECT);
        stats.increment(1, NodeStats.Kind.SELECT);
        stats.increment(0, NodeStats.Kind.DDL);
        stats.error(1, "ERROR");
        stats.error(1, "fatal");
        stats.error(1, "WARNING"); // not an error pgpool counts
        stats.increment(7, NodeStats.Kind.SELECT); // no such node
        assertThat(stats.get(1, NodeStats.Kind.SELECT)).isEqualTo(2);
        assertThat(stats.get(1, NodeStats.Kind.ERROR)).isEqualTo(1);
        assertThat(stats.get(1, NodeStats.Kind.FATAL)).isEqualTo(1);
        assertThat(stats.get(1, NodeStats.Kind.PANIC)).isZero();
        assertThat(registry.get("jpgpool.node.statements")
                .tags("node_id", "1", "hostname", "/tmp", "port", "5433", "kind", "select").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("jpgpool.node.statements").tags("node_id", "0", "kind", "ddl").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("jpgpool.node.errors").tags("node_id", "1", "severity", "fatal").counter().count())
                .isEqualTo(1);
    }
}
