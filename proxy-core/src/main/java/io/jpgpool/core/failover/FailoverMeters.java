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
    private final Timer[][] failovers;
    private final Timer[] failbacks;
    private final Timer[] promotions;

    FailoverMeters(MeterRegistry registry, List<BackendNode> nodes) {
        FailoverCoordinator.Reason[] reasons = FailoverCoordinator.Reason.values();
        failovers = new Timer[nodes.size()][reasons.length];
        failbacks = new Timer[nodes.size()];
        promotions = new Timer[nodes.size()];
        for (BackendNode n : nodes) {
            for (FailoverCoordinator.Reason r : reasons) {
                failovers[n.id()][r.ordinal()] = Timer.builder("jpgpool.failovers").tags(NodeTags.of(n))
                        .tag("reason", r.name().toLowerCase(Locale.ROOT))
                        .description("Failovers (detaches) of the node by reason, and the time each took")
                        .register(registry);
            }
            failbacks[n.id()] = Timer.builder("jpgpool.failbacks").tags(NodeTags.of(n))
                    .description("Failbacks (attaches) of the node, and the time each took").register(registry);
            promotions[n.id()] = Timer.builder("jpgpool.promotions").tags(NodeTags.of(n))
                    .description("Times the node became the primary, and how long the change took").register(registry);
        }
    }

    void failover(int node, FailoverCoordinator.Reason reason, long nanos) {
        failovers[node][reason.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    void failback(int node, long nanos) {
        failbacks[node].record(nanos, TimeUnit.NANOSECONDS);
    }

    void promotion(int node, long nanos) {
        if (node >= 0 && node < promotions.length) {
            promotions[node].record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
