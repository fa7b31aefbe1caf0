package io.jpgpool.core.failover;

import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.NodeTags;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How often each node was failed over (detached), failed back (attached) and promoted, and how long each took
 * ({@code jpgpool_failovers_seconds_count} is the number of failovers). Every series exists from the start, so a
 * rate over the first one is right.
 */
final class FailoverMeters {
    /** The meters of one node. */
    private record Row(Timer[] failovers, Timer failback, Timer promotion) {
    }

    private final MeterRegistry registry;
    /** Indexed by node id; replaced by a longer copy when a reload adds a node. */
    private volatile Row[] rows = new Row[0];

    FailoverMeters(MeterRegistry registry, List<BackendNode> nodes) {
        this.registry = registry;
        for (BackendNode n : nodes) {
            add(n);
        }
    }

    /** The series of a node that comes after the last one (at start, or added by a reload). */
    synchronized void add(BackendNode n) {
        FailoverCoordinator.Reason[] reasons = FailoverCoordinator.Reason.values();
        Timer[] failovers = new Timer[reasons.length];
        for (FailoverCoordinator.Reason r : reasons) {
            failovers[r.ordinal()] = Timer.builder("jpgpool.failovers").tags(NodeTags.of(n))
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .description("Failovers (detaches) of the node by reason, and the time each took")
                    .register(registry);
        }
        Timer failback = Timer.builder("jpgpool.failbacks").tags(NodeTags.of(n))
                .description("Failbacks (attaches) of the node, and the time each took").register(registry);
        Timer promotion = Timer.builder("jpgpool.promotions").tags(NodeTags.of(n))
                .description("Times the node became the primary, and how long the change took").register(registry);
        Row[] longer = java.util.Arrays.copyOf(rows, Math.max(rows.length, n.id() + 1));
        longer[n.id()] = new Row(failovers, failback, promotion);
        rows = longer;
    }

    private Row row(int node) {
        Row[] r = rows;
        return node >= 0 && node < r.length ? r[node] : null;
    }

    void failover(int node, FailoverCoordinator.Reason reason, long nanos) {
        Row r = row(node);
        if (r != null) {
            r.failovers()[reason.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void failback(int node, long nanos) {
        Row r = row(node);
        if (r != null) {
            r.failback().record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    void promotion(int node, long nanos) {
        Row r = row(node);
        if (r != null) {
            r.promotion().record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
