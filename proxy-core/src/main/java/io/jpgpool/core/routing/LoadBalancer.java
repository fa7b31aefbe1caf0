package io.jpgpool.core.routing;

import io.jpgpool.config.RedirectRule;
import io.jpgpool.config.RedirectTarget;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.logging.LogContext;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a session's (or, under statement-level load balancing, a statement's) load-balance node: weighted
 * random over alive nodes with weight > 0, honouring the redirect preference lists and the replication delay
 * (SEMANTICS A.6, A.10).
 */
public final class LoadBalancer {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);

    private LoadBalancer() {
    }

    public static int choose(ClusterSnapshot cluster, RoutingConfig cfg, String database, String applicationName,
            RandomGenerator random) {
        int primary = cluster.primaryOrMain();
        if (!cfg.loadBalanceMode()) {
            return primary;
        }
        int chosen = -2;
        if (cfg.isStreaming()) {
            // application name takes precedence over database (SEMANTICS A.6)
            chosen = redirect(cluster, cfg.appNameRedirectPreferenceList(), applicationName, random);
            if (chosen == -2) {
                chosen = redirect(cluster, cfg.databaseRedirectPreferenceList(), database, random);
            }
        }
        if (chosen == -2) {
            chosen = weighted(cluster, -1, false, random);
        }
        if (chosen < 0) {
            chosen = primary;
        }
        if (cfg.isStreaming() && cfg.preferLowerDelayStandby() && cfg.delayThreshold() > 0 && chosen != primary
                && delayOf(cluster, chosen) > cfg.delayThreshold()) {
            chosen = leastDelayedStandby(cluster, cfg.delayThreshold(), random);
        }
        if (LOG.isDebugEnabled()) {
            // pgpool's DEBUG1 line for each choice (its 001 test counts them under statement-level balancing)
            LOG.atDebug().addKeyValue(LogContext.DETAIL, "selected backend id is " + chosen)
                    .log("selecting load balance node");
        }
        return chosen;
    }

    /** -2: no rule matched; otherwise the node (or -1 when the rule's choice has no candidate). */
    private static int redirect(ClusterSnapshot cluster, List<RedirectRule> rules, String subject,
            RandomGenerator random) {
        if (rules == null || subject == null) {
            return -2;
        }
        for (RedirectRule rule : rules) {
            if (!rule.pattern().matcher(subject).matches()) {
                continue;
            }
            double r = random.nextDouble();
            RedirectTarget target = rule.target();
            if (target instanceof RedirectTarget.Standby) {
                if (r <= rule.weight()) {
                    int n = weighted(cluster, cluster.primaryOrMain(), true, random);
                    return n >= 0 ? n : cluster.primaryOrMain();
                }
                return cluster.primaryOrMain();
            }
            int node = target instanceof RedirectTarget.Primary ? cluster.primaryOrMain()
                    : ((RedirectTarget.Node) target).nodeId();
            if (!cluster.isAlive(node)) {
                continue; // a target that is down behaves as if the entry did not match
            }
            if (r <= rule.weight()) {
                return node;
            }
            return weighted(cluster, node, false, random);
        }
        return -2;
    }

    /**
     * Weighted random choice among alive nodes with weight > 0, leaving out {@code exclude} (and every primary
     * when {@code standbysOnly}); -1 when nothing is eligible.
     */
    static int weighted(ClusterSnapshot cluster, int exclude, boolean standbysOnly, RandomGenerator random) {
        double total = 0;
        for (BackendNode n : cluster.nodes()) {
            if (eligible(cluster, n, exclude, standbysOnly)) {
                total += n.weight();
            }
        }
        if (total <= 0) {
            return -1;
        }
        double r = random.nextDouble() * total;
        int last = -1;
        double acc = 0;
        for (BackendNode n : cluster.nodes()) {
            if (!eligible(cluster, n, exclude, standbysOnly)) {
                continue;
            }
            last = n.id();
            acc += n.weight();
            if (r < acc) {
                return n.id();
            }
        }
        return last;
    }

    private static boolean eligible(ClusterSnapshot cluster, BackendNode n, int exclude, boolean standbysOnly) {
        return n.isAlive() && n.weight() > 0 && n.id() != exclude && !cluster.isFalsePrimary(n.id())
                && !(standbysOnly && n.id() == cluster.primaryNodeId());
    }

    private static long delayOf(ClusterSnapshot cluster, int node) {
        return node < 0 ? 0 : cluster.node(node).replicationDelay();
    }

    /** prefer_lower_delay_standby: the least-delayed standbys within the threshold, by weight; else the primary. */
    static int leastDelayedStandby(ClusterSnapshot cluster, long threshold, RandomGenerator random) {
        long min = Long.MAX_VALUE;
        for (BackendNode n : cluster.nodes()) {
            if (eligible(cluster, n, -1, true) && n.replicationDelay() <= threshold) {
                min = Math.min(min, n.replicationDelay());
            }
        }
        if (min == Long.MAX_VALUE) {
            return cluster.primaryOrMain();
        }
        double total = 0;
        for (BackendNode n : cluster.nodes()) {
            if (eligible(cluster, n, -1, true) && n.replicationDelay() == min) {
                total += n.weight();
            }
        }
        double r = random.nextDouble() * total;
        double acc = 0;
        int last = cluster.primaryOrMain();
        for (BackendNode n : cluster.nodes()) {
            if (eligible(cluster, n, -1, true) && n.replicationDelay() == min) {
                last = n.id();
                acc += n.weight();
                if (r < acc) {
                    return n.id();
                }
            }
        }
        return last;
    }
}
