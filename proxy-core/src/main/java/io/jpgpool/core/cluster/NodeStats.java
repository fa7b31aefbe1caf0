package io.jpgpool.core.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;

/**
 * Counters per node for SHOW pool_nodes (select_cnt) and SHOW pool_backend_stats, kept as meters so the
 * Prometheus endpoint reports the same numbers: statements are counted when they are sent to a node, as pgpool
 * counts them ({@code jpgpool_node_statements_total}), and the ERROR, FATAL and PANIC responses a node sent back
 * ({@code jpgpool_node_errors_total}, pgpool's error_stat_count_up).
 */
public final class NodeStats {
    public enum Kind { SELECT, INSERT, UPDATE, DELETE, DDL, OTHER, PANIC, FATAL, ERROR }

    private final Counter[][] counters;

    public NodeStats(MeterRegistry registry, List<BackendNode> nodes) {
        counters = new Counter[nodes.size()][Kind.values().length];
        for (BackendNode n : nodes) {
            Tags tags = NodeTags.of(n);
            for (Kind k : Kind.values()) {
                String label = k.name().toLowerCase(Locale.ROOT);
                counters[n.id()][k.ordinal()] = k.ordinal() < Kind.PANIC.ordinal()
                        ? Counter.builder("jpgpool.node.statements").tags(tags).tag("kind", label)
                                .description("Statements sent to the node, by kind").register(registry)
                        : Counter.builder("jpgpool.node.errors").tags(tags).tag("severity", label)
                                .description("ErrorResponses the node sent, by severity").register(registry);
            }
        }
    }

    public void increment(int node, Kind kind) {
        if (node >= 0 && node < counters.length) {
            counters[node][kind.ordinal()].increment();
        }
    }

    /** An ErrorResponse from {@code node} with this severity (the non-localized one): PANIC, FATAL or ERROR. */
    public void error(int node, String severity) {
        switch (severity.toUpperCase(Locale.ROOT)) {
            case "ERROR" -> increment(node, Kind.ERROR);
            case "FATAL" -> increment(node, Kind.FATAL);
            case "PANIC" -> increment(node, Kind.PANIC);
            default -> {
                // pgpool counts only these three
            }
        }
    }

    public long get(int node, Kind kind) {
        return node >= 0 && node < counters.length ? (long) counters[node][kind.ordinal()].count() : 0;
    }

    public int nodes() {
        return counters.length;
    }
}
