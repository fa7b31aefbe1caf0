package io.jpgpool.core.cluster;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The one owner of the node table. Readers take {@link #snapshot()} (a volatile read, no lock); every change
 * goes through {@link #update}, one at a time, and listeners hear about it afterwards.
 */
public final class ClusterState {
    private volatile ClusterSnapshot current;
    private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<BackendNode>> growers = new CopyOnWriteArrayList<>();

    public ClusterState(ClusterSnapshot initial) {
        this.current = initial;
    }

    public ClusterSnapshot snapshot() {
        return current;
    }

    public ClusterSnapshot update(UnaryOperator<ClusterSnapshot> change) {
        ClusterSnapshot before;
        ClusterSnapshot after;
        synchronized (this) {
            before = current;
            after = change.apply(before);
            if (after == before) {
                return before;
            }
            current = after;
        }
        for (Consumer<ClusterSnapshot> l : listeners) {
            l.accept(after);
        }
        return after;
    }

    /**
     * A session connected to a node that was waiting: it is now up (pgpool's CON_CONNECT_WAIT to CON_UP), and
     * that is the node's last status change, as pgpool sets it then (pool_connection_pool.c, new_connection).
     */
    public void markUsed(int node) {
        if (current.node(node).status() != NodeStatus.CONNECT_WAIT) {
            return;
        }
        Instant now = Instant.now();
        update(s -> s.node(node).status() == NodeStatus.CONNECT_WAIT
                ? s.withNode(s.node(node).withStatus(NodeStatus.UP, now)) : s);
    }

    /**
     * A client session starts. A Pgpool-II 4.3 session connects to every node, so after it every node that
     * answered is up (its health check and streaming replication check never change a status). A jpgpool session
     * connects to the nodes it uses only; the nodes that jpgpool's own checks last reached stand in for the others.
     */
    public void sessionStarting(NodeProbes probes) {
        if (!anyReachedWaiting(current, probes)) {
            return;
        }
        Instant now = Instant.now();
        update(s -> {
            ClusterSnapshot next = s;
            for (BackendNode n : s.nodes()) {
                if (n.status() == NodeStatus.CONNECT_WAIT && probes.reached(n.id())) {
                    next = next.withNode(n.withStatus(NodeStatus.UP, now));
                }
            }
            return next;
        });
    }

    private static boolean anyReachedWaiting(ClusterSnapshot s, NodeProbes probes) {
        for (BackendNode n : s.nodes()) {
            if (n.status() == NodeStatus.CONNECT_WAIT && probes.reached(n.id())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Appends nodes a reload added (ids {@code size()} onwards). Whatever keeps state per node grows first
     * ({@link #onNodeAdded}), so no reader of the new table finds a node it has no room for; sessions that
     * started before keep their own, shorter view ({@link ClusterSnapshot#firstNodes}).
     */
    public ClusterSnapshot addNodes(List<BackendNode> added) {
        if (added.isEmpty()) {
            return current;
        }
        synchronized (growers) { // one reload at a time
            for (BackendNode n : added) {
                for (Consumer<BackendNode> g : growers) {
                    g.accept(n);
                }
            }
            return update(s -> s.withNodesAdded(added));
        }
    }

    /** Called with each node a reload adds, before it is in the table. */
    public void onNodeAdded(Consumer<BackendNode> grower) {
        growers.add(grower);
    }

    public void addListener(Consumer<ClusterSnapshot> listener) {
        listeners.add(listener);
    }

    /** Hears every {@link ClusterEvent}, on the thread that publishes it (keep it short). */
    public void subscribe(Consumer<ClusterEvent> subscriber) {
        subscribers.add(subscriber);
    }

    public void publish(ClusterEvent event) {
        for (Consumer<ClusterEvent> s : subscribers) {
            s.accept(event);
        }
    }
}
