package io.jpgpool.core.failover;

import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of a failover, failback and primary search (SEMANTICS C.4, C.6), as plain functions of the
 * node table: which node is lost, who becomes main, whether and how the primary is searched, who follows the
 * new primary, whether a returning node is a false primary. The {@link FailoverCoordinator} runs the I/O
 * these decisions call for (commands, status file, sessions, the nodes' answers).
 */
public final class FailoverPlanner {
    private FailoverPlanner() {
    }

    /** How the primary is found after a node went down. */
    public sealed interface PrimaryChoice {
        /** The primary is not concerned: it stays. */
        record Keep(int node) implements PrimaryChoice {
        }

        /** Ask the nodes until one is out of recovery ({@code expected}: the promoted node, or -1 for any). */
        record Search(int expected) implements PrimaryChoice {
        }

        /** Native replication (and raw) mode: there is no primary, the main node is the lowest up node. */
        record None() implements PrimaryChoice {
        }
    }

    /**
     * What detaching {@code failed} means.
     *
     * @param primaryFailed the primary (streaming) or the main node (native) is lost: every session that
     *     writes ends, and new clients wait for the failover to finish
     * @param newMain the {@code %m} of failover_command: the promoted node, else the lowest up node left
     */
    public record NodeDown(int failed, boolean primaryFailed, int oldPrimary, int oldMain, int newMain,
            PrimaryChoice primary, ClusterSnapshot after) {
    }

    /** Empty when the node is already down (nothing to do). {@code promoteTo}: a switchover's target, or -1. */
    public static Optional<NodeDown> nodeDown(ClusterSnapshot before, int failed, int promoteTo, Instant now) {
        if (!before.isAlive(failed)) {
            return Optional.empty();
        }
        int oldPrimary = before.primaryNodeId();
        int oldMain = before.mainNodeId();
        boolean streaming = before.isStreaming();
        boolean primaryFailed = streaming ? failed == oldPrimary || oldPrimary < 0 : failed == oldMain;
        ClusterSnapshot after = before.withNode(before.node(failed).withStatus(NodeStatus.DOWN, now));
        int newMain = promoteTo >= 0 ? promoteTo : after.mainNodeId();
        PrimaryChoice primary;
        if (!streaming) {
            primary = new PrimaryChoice.None();
        } else if (!primaryFailed && after.isAlive(oldPrimary)) {
            primary = new PrimaryChoice.Keep(oldPrimary);
        } else {
            primary = new PrimaryChoice.Search(promoteTo);
        }
        return Optional.of(new NodeDown(failed, primaryFailed, oldPrimary, oldMain, newMain, primary, after));
    }

    /** After a primary failover or a switchover, the standbys follow the new primary (follow_primary_command). */
    public static boolean followPrimary(NodeDown plan, int newPrimary, int promoteTo) {
        return (plan.primaryFailed() || promoteTo >= 0) && newPrimary >= 0;
    }

    /** The nodes that must follow {@code newPrimary}: every configured node but it. */
    public static List<Integer> followers(ClusterSnapshot c, int newPrimary) {
        List<Integer> nodes = new ArrayList<>();
        for (BackendNode n : c.nodes()) {
            if (n.id() != newPrimary && n.status() != NodeStatus.UNUSED) {
                nodes.add(n.id());
            }
        }
        return nodes;
    }

    /** One answer of the search for the primary. */
    public enum SearchStep { FOUND, RETRY, GIVE_UP }

    /**
     * search_primary_node_timeout: {@code found} is what the nodes said this round (-1: none is a primary).
     * The expected node wins while there is time; once the time is up, any primary is taken.
     */
    public static SearchStep primarySearch(int found, int expected, boolean pastDeadline) {
        if (found >= 0 && (expected < 0 || found == expected)) {
            return SearchStep.FOUND;
        }
        if (pastDeadline) {
            return found >= 0 ? SearchStep.FOUND : SearchStep.GIVE_UP;
        }
        return SearchStep.RETRY;
    }

    /** What attaching a node back means. */
    public enum Failback {
        ATTACH,
        /** It is out of recovery while another node is the primary: attached, but never given traffic. */
        ATTACH_AS_FALSE_PRIMARY,
        /** A false primary with detach_false_primary: stays down. */
        REFUSE_FALSE_PRIMARY
    }

    /** {@code nodeInRecovery}: what the node says (null: it did not answer). */
    public static Failback nodeUp(ClusterSnapshot before, int node, Boolean nodeInRecovery,
            boolean detachFalsePrimary) {
        boolean falsePrimary = before.isStreaming() && before.isAlive(before.primaryNodeId())
                && before.primaryNodeId() != node && Boolean.FALSE.equals(nodeInRecovery);
        if (!falsePrimary) {
            return Failback.ATTACH;
        }
        return detachFalsePrimary ? Failback.REFUSE_FALSE_PRIMARY : Failback.ATTACH_AS_FALSE_PRIMARY;
    }

    /** After a failback in streaming mode without a live primary, the primary is searched again. */
    public static boolean searchPrimaryAfterFailback(ClusterSnapshot after) {
        return after.isStreaming() && !after.isAlive(after.primaryNodeId());
    }

    /** Only the detached node's status changes: its new status, now. */
    static ClusterSnapshot withStatus(ClusterSnapshot s, int node, NodeStatus status, Instant now) {
        return s.withNode(s.node(node).withStatus(status, now));
    }
}
