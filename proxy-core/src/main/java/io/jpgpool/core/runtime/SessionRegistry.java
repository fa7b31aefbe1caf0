package io.jpgpool.core.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every live client session, by the id it was given. The id is the "process id" of the BackendKeyData the
 * client receives (so a CancelRequest finds its session) and the pid that SHOW pool_processes and
 * pcp_proc_info report: jpgpool has sessions where Pgpool-II has child processes. The same slots are the
 * {@code jpgpool_clients_*} meters.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<Integer, SessionHandle> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1000);
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter accepted;
    private final Counter refused;
    private final Counter authenticationFailures;

    public SessionRegistry(MeterRegistry registry) {
        Gauge.builder("jpgpool.clients.connected", clients, AtomicInteger::get)
                .description("Clients holding one of the num_init_children slots (pcp_proc_count)").register(registry);
        Gauge.builder("jpgpool.clients.waiting", waiting, AtomicInteger::get)
                .description("Clients waiting for a failover of the primary to end before they log in")
                .register(registry);
        accepted = Counter.builder("jpgpool.client.sessions").description("Clients that got a slot")
                .register(registry);
        refused = Counter.builder("jpgpool.clients.refused")
                .description("Clients refused with 53300 sorry, too many clients already").register(registry);
        authenticationFailures = Counter.builder("jpgpool.client.authentication.failures")
                .description("Clients whose password jpgpool or the backend rejected").register(registry);
    }

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
                refused.increment();
                return false;
            }
            if (clients.compareAndSet(n, n + 1)) {
                accepted.increment();
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

    /** A client with a slot waits for a failover of the primary to end; {@link #waitEnded} follows. */
    public void waitStarted() {
        waiting.incrementAndGet();
    }

    public void waitEnded() {
        waiting.decrementAndGet();
    }

    /** A client's password was rejected, by jpgpool or by the backend. */
    public void authenticationFailed() {
        authenticationFailures.increment();
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
