package io.jpgpool.core.session;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every live client session, by the id it was given. The id is the "process id" of the BackendKeyData the
 * client receives (so a CancelRequest finds its session) and the pid that SHOW pool_processes and
 * pcp_proc_info report: jpgpool has sessions where Pgpool-II has child processes.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Integer, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1000);
    private final AtomicInteger clients = new AtomicInteger();

    int newId() {
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
    boolean tryAcquireSlot(int limit) {
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

    void releaseSlot() {
        clients.decrementAndGet();
    }

    public int connectedClients() {
        return clients.get();
    }

    void register(ClientSession s) {
        sessions.put(s.id(), s);
    }

    void unregister(ClientSession s) {
        sessions.remove(s.id(), s);
    }

    public ClientSession get(int id) {
        return sessions.get(id);
    }

    public Collection<ClientSession> all() {
        return sessions.values();
    }
}
