package io.jpgpool.core.metrics;

import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.ClusterState;
import io.jpgpool.core.cluster.NodeRole;
import io.jpgpool.core.cluster.NodeStatus;
import io.jpgpool.core.cluster.NodeTags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The node table as gauges, labelled {@code node_id}, {@code hostname}, {@code port} and the node's current
 * {@code role}: its status as a state set ({@code jpgpool_node_status{status="up"} 1}, the other states 0), its
 * role, its load-balance weight as SHOW pool_nodes shows it (lb_weight) and its replication delay in bytes.
 * Values are read from the node table when scraped; the series are registered again only when a role changes.
 */
public final class ClusterMeters {
    /** The states a configured node can be in, as SHOW pool_nodes names them. */
    private static final List<NodeStatus> STATES = List.of(NodeStatus.CONNECT_WAIT, NodeStatus.UP, NodeStatus.DOWN);

    private final ClusterState cluster;
    private final MultiGauge status;
    private final MultiGauge role;
    private final MultiGauge weight;
    private final MultiGauge delay;
    private String roles = "";

    public ClusterMeters(MeterRegistry registry, ClusterState cluster) {
        this.cluster = cluster;
        status = MultiGauge.builder("jpgpool.node.status")
                .description("1 for the node's status (waiting, up, down), 0 for the others").register(registry);
        role = MultiGauge.builder("jpgpool.node.role").description("1, labelled with the node's role")
                .register(registry);
        weight = MultiGauge.builder("jpgpool.node.weight")
                .description("The node's share of load-balanced reads (SHOW pool_nodes lb_weight)").register(registry);
        delay = MultiGauge.builder("jpgpool.node.replication.delay").baseUnit("bytes")
                .description("Bytes of WAL the standby has not replayed yet (0 for the primary)").register(registry);
        refresh(cluster.snapshot());
        cluster.addListener(this::refresh);
    }

    /** After any change of the node table: new series only when a node's role changed. */
    private synchronized void refresh(ClusterSnapshot s) {
        StringBuilder now = new StringBuilder();
        for (BackendNode n : s.nodes()) {
            now.append(s.role(n.id()).label()).append(',');
        }
        if (now.toString().equals(roles)) {
            return;
        }
        roles = now.toString();
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        List<MultiGauge.Row<?>> roleRows = new ArrayList<>();
        List<MultiGauge.Row<?>> weightRows = new ArrayList<>();
        List<MultiGauge.Row<?>> delayRows = new ArrayList<>();
        for (BackendNode n : s.nodes()) {
            int id = n.id();
            Tags tags = NodeTags.of(n).and("role", s.role(id).label());
            for (NodeStatus st : STATES) {
                statusRows.add(row(tags.and("status", st.label()), c -> c.node(id).status() == st ? 1 : 0));
            }
            roleRows.add(row(tags, c -> 1));
            weightRows.add(row(tags, c -> c.normalizedWeight(id)));
            delayRows.add(row(tags, c -> c.role(id) == NodeRole.STANDBY
                    ? c.node(id).replicationDelay() : 0));
        }
        status.register(statusRows, true);
        role.register(roleRows, true);
        weight.register(weightRows, true);
        delay.register(delayRows, true);
    }

    private MultiGauge.Row<ClusterState> row(Tags tags, ToDoubleFunction<ClusterSnapshot> value) {
        return MultiGauge.Row.of(tags, cluster, c -> value.applyAsDouble(c.snapshot()));
    }
}
