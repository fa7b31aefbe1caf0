package io.jpgpool.core.runtime;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every live client session, by the id it was given. The id is the "process id" of the BackendKeyData the
 * client receives (so a CancelRequest finds its session) and the pid that SHOW pool_processes and
 * pcp_proc_info report: jpgpool has sessions where Pgpool-II has child processes.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Integer, SessionHandle> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1000);
    private final AtomicInteger clients = new AtomicInteger();

    /** Every session hears of a detached node (it ends if it used that node). */
    public void onClusterEvent(io.jpgpool.core.cluster.ClusterEvent event) {
        if (event instanceof io.jpgpool.core.cluster.ClusterEvent.NodeDetached d) {
            for (SessionHandle s : sessions.values()) {
                s.onNodeDetached(d.node(), d.primaryFailed());
            }
        }
    }

    public int newId() {
        int id;
        do {
            id = nextId.getAndIncrement();
            if (id <= 0) {
                nextId.compareAndSet(id + 1, 1000);
            }
        } while (id <= 0 || sessions.containsKey(id));
        return id;
    }

    /** Takes one of {@code limit} client slots (num_init_children); false when all are in use. */
    public boolean tryAcquireSlot(int limit) {
        while (true) {
            int n = clients.get();
            if (n >= limit) {
                return false;
            }
            if (clients.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void releaseSlot() {
        clients.decrementAndGet();
    }

    public int connectedClients() {
        return clients.get();
    }

    public void register(SessionHandle s) {
        sessions.put(s.id(), s);
    }

    public void unregister(SessionHandle s) {
        sessions.remove(s.id(), s);
    }

    public SessionHandle get(int id) {
        return sessions.get(id);
    }

    public Collection<SessionHandle> all() {
        return sessions.values();
    }
}
