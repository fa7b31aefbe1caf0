package io.jpgpool.core.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    /** Clients beyond num_init_children, waiting for a slot (guarded by this). */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final Counter accepted;
    private final Counter refused;
    private final Counter authenticationFailures;

    public SessionRegistry(MeterRegistry registry) {
        Gauge.builder("jpgpool.clients.connected", clients, AtomicInteger::get)
                .description("Clients holding one of the num_init_children slots (pcp_proc_count)").register(registry);
        Gauge.builder("jpgpool.clients.waiting", waiting, AtomicInteger::get)
                .description("Clients waiting for a failover of the primary to end before they log in")
                .register(registry);
        Gauge.builder("jpgpool.clients.queued", this, r -> r.queued().size())
                .description("Clients beyond num_init_children waiting for a slot (connection_queue_timeout)")
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

    /** A client waiting for a slot, as SHOW pool_processes lists it. */
    public record QueuedClient(int id, String user, String database, Instant since) {
    }

    private record Waiter(QueuedClient client, CompletableFuture<Boolean> granted) {
    }

    /**
     * Takes one of {@code limit} client slots (num_init_children). When all are in use the client waits in the
     * queue, first come first served, if fewer than {@code queueLimit} are waiting already (Pgpool-II's listen
     * backlog); else it is refused. Completes true with a slot, false when refused; a client leaving meanwhile
     * calls {@link #leaveQueue}.
     */
    public synchronized CompletableFuture<Boolean> acquireSlot(int limit, int queueLimit, QueuedClient who) {
        if (clients.get() < limit && queue.isEmpty()) {
            clients.incrementAndGet();
            accepted.increment();
            return CompletableFuture.completedFuture(true);
        }
        if (queue.size() >= queueLimit) {
            refused.increment();
            return CompletableFuture.completedFuture(false);
        }
        Waiter w = new Waiter(who, new CompletableFuture<>());
        queue.add(w);
        return w.granted();
    }

    /**
     * The client waiting on {@code granted} gives up (it left, or waited too long): true when it was still
     * waiting; false when it got a slot meanwhile, which it must release.
     */
    public synchronized boolean leaveQueue(CompletableFuture<Boolean> granted) {
        boolean removed = queue.removeIf(w -> w.granted() == granted);
        if (removed) {
            granted.complete(false);
        }
        return removed;
    }

    /** A slot is free: the first waiting client takes it over, else it is given back. */
    public synchronized void releaseSlot() {
        Waiter w = queue.poll();
        if (w != null) {
            accepted.increment();
            w.granted().complete(true); // its session continues on its own event loop
            return;
        }
        clients.decrementAndGet();
    }

    /** The clients waiting for a slot, oldest first. */
    public synchronized List<QueuedClient> queued() {
        return queue.stream().map(Waiter::client).toList();
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
