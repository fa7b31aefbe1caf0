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

    private final MeterRegistry registry;
    /** One row per node; replaced by a longer copy when a reload adds a node. */
    private volatile Counter[][] counters = new Counter[0][];

    public NodeStats(MeterRegistry registry, List<BackendNode> nodes) {
        this.registry = registry;
        for (BackendNode n : nodes) {
            add(n);
        }
    }

    /** The counters of a node that comes after the last one (at start, or added by a reload). */
    public synchronized void add(BackendNode n) {
        if (n.id() != counters.length) {
            throw new IllegalArgumentException("node " + n.id() + " after " + counters.length + " nodes");
        }
        Tags tags = NodeTags.of(n);
        Counter[] row = new Counter[Kind.values().length];
        for (Kind k : Kind.values()) {
            String label = k.name().toLowerCase(Locale.ROOT);
            row[k.ordinal()] = k.ordinal() < Kind.PANIC.ordinal()
                    ? Counter.builder("jpgpool.node.statements").tags(tags).tag("kind", label)
                            .description("Statements sent to the node, by kind").register(registry)
                    : Counter.builder("jpgpool.node.errors").tags(tags).tag("severity", label)
                            .description("ErrorResponses the node sent, by severity").register(registry);
        }
        Counter[][] longer = java.util.Arrays.copyOf(counters, counters.length + 1);
        longer[n.id()] = row;
        counters = longer;
    }

    public void increment(int node, Kind kind) {
        Counter[][] c = counters;
        if (node >= 0 && node < c.length) {
            c[node][kind.ordinal()].increment();
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
        Counter[][] c = counters;
        return node >= 0 && node < c.length ? (long) c[node][kind.ordinal()].count() : 0;
    }

    public int nodes() {
        return counters.length;
    }
}
