package io.jpgpool.core.backend;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Idle backend connections of one event loop, kept for the next client with the same {@link PoolKey}
 * (pgpool's connection cache, SEMANTICS E.1). Touched only from its event loop, so it needs no locks; a
 * session only ever uses connections of its own loop.
 *
 * <p>Capacity bounds the idle connections of this loop; when it is full the connection idle the longest is
 * closed. {@code connection_life_time} closes connections idle for longer than that.
 */
public final class ConnectionPool implements BackendListener {
    private final EventLoop loop;
    private final int capacity;
    private final long lifeTimeNanos;
    private final Map<PoolKey, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    /** All idle connections, oldest first, for eviction. */
    private final ArrayDeque<BackendConnection> byAge = new ArrayDeque<>();
    /** Connections being reset after their client left, by key: they are back in a moment. */
    private final Map<PoolKey, Integer> resetting = new HashMap<>();
    private final Map<PoolKey, List<Runnable>> waiting = new HashMap<>();
    /** Idle connections by node, readable from any thread (the jpgpool_backend_connections_idle meter). */
    private final AtomicIntegerArray idleByNode = new AtomicIntegerArray(128);

    public ConnectionPool(EventLoop loop, int capacity, int connectionLifeTimeSeconds) {
        this.loop = loop;
        this.capacity = capacity;
        this.lifeTimeNanos = TimeUnit.SECONDS.toNanos(connectionLifeTimeSeconds);
        if (lifeTimeNanos > 0) {
            loop.scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
        }
    }

    public EventLoop loop() {
        return loop;
    }

    /** An idle connection for this key, or null. */
    public BackendConnection checkout(PoolKey key) {
        assert loop.inEventLoop();
        ArrayDeque<BackendConnection> q = idle.get(key);
        while (q != null && !q.isEmpty()) {
            BackendConnection c = q.pollLast();
            if (byAge.remove(c)) {
                idleByNode.decrementAndGet(c.nodeId());
            }
            if (q.isEmpty()) {
                idle.remove(key);
            }
            if (c.isActive()) {
                c.listener(null);
                c.reused();
                return c;
            }
        }
        return null;
    }

    /**
     * An idle connection for this key; or, when none is idle but one is being reset after its client left, that
     * one once it is back (within {@code maxWaitMillis}); else null. A Pgpool-II child resets its connections
     * before it accepts the next client, so a client that follows another gets its connections: so here.
     */
    public CompletableFuture<BackendConnection> checkoutSoon(PoolKey key, long maxWaitMillis) {
        assert loop.inEventLoop();
        BackendConnection c = checkout(key);
        if (c != null || !resetting.containsKey(key)) {
            return CompletableFuture.completedFuture(c);
        }
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout = loop.schedule(() -> result.complete(null), maxWaitMillis, TimeUnit.MILLISECONDS);
        waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(() -> {
            timeout.cancel(false);
            if (!result.isDone()) {
                result.complete(checkout(key));
            }
        });
        return result;
    }

    /** A connection of this key is being reset ({@link #resetEnded} follows, whatever the outcome). */
    public void resetStarted(PoolKey key) {
        assert loop.inEventLoop();
        resetting.merge(key, 1, Integer::sum);
    }

    public void resetEnded(PoolKey key) {
        assert loop.inEventLoop();
        resetting.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        List<Runnable> w = waiting.remove(key);
        if (w != null) {
            w.forEach(Runnable::run);
        }
    }

    /** Takes back a connection that has been reset and is idle. */
    public void release(BackendConnection c) {
        assert loop.inEventLoop();
        if (capacity <= 0 || !c.isActive()) {
            c.terminate();
            return;
        }
        while (byAge.size() >= capacity) {
            BackendConnection oldest = byAge.peekFirst();
            remove(oldest);
            oldest.terminate();
        }
        c.outstanding().clear();
        c.listener(this);
        c.markIdle();
        idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>()).addLast(c);
        byAge.addLast(c);
        idleByNode.incrementAndGet(c.nodeId());
    }

    public int idleCount() {
        return byAge.size();
    }

    /** Idle connections to a node; may be called from any thread. */
    public int idleCount(int nodeId) {
        return nodeId >= 0 && nodeId < idleByNode.length() ? idleByNode.get(nodeId) : 0;
    }

    public List<BackendConnection> idleConnections() {
        return new ArrayList<>(byAge);
    }

    /** Closes every idle connection to a node (it failed, or was detached). */
    public void closeNode(int nodeId) {
        for (BackendConnection c : new ArrayList<>(byAge)) {
            if (c.nodeId() == nodeId) {
                remove(c);
                c.abort();
            }
        }
    }

    public void closeAll() {
        for (BackendConnection c : new ArrayList<>(byAge)) {
            remove(c);
            c.terminate();
        }
    }

    private void expire() {
        long now = System.nanoTime();
        for (Iterator<BackendConnection> it = byAge.iterator(); it.hasNext(); ) {
            BackendConnection c = it.next();
            if (now - c.idleSinceNanos() < lifeTimeNanos) {
                break;
            }
            it.remove();
            idleByNode.decrementAndGet(c.nodeId());
            removeFromKey(c);
            c.terminate();
        }
    }

    private void remove(BackendConnection c) {
        if (byAge.remove(c)) {
            idleByNode.decrementAndGet(c.nodeId());
        }
        removeFromKey(c);
    }

    private void removeFromKey(BackendConnection c) {
        ArrayDeque<BackendConnection> q = idle.get(c.key());
        if (q != null) {
            q.remove(c);
            if (q.isEmpty()) {
                idle.remove(c.key());
            }
        }
    }

    /** An idle connection should say nothing; anything it says (a FATAL at server shutdown) retires it. */
    @Override
    public void onMessage(BackendConnection connection, ByteBuf frame) {
        ReferenceCountUtil.release(frame);
        remove(connection);
        connection.abort();
    }

    @Override
    public void onClosed(BackendConnection connection, Throwable cause) {
        remove(connection);
    }
}
