package io.jpgpool.core.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * Native replication mode's online recovery holds the clients while the recovered node catches up (SEMANTICS
 * D.3 step 4): new clients wait before they are let in, and connected sessions wait at their next transaction
 * boundary, so that nothing is written meanwhile. Pgpool-II makes clients wait until every client has gone;
 * here a session only waits between transactions, and none is refused.
 */
public final class AdmissionGate {
    private volatile boolean held;
    private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

    public boolean held() {
        return held;
    }

    /** Runs {@code action} on {@code loop} now when the gate is open, else once it opens. */
    public void whenOpen(Executor loop, Runnable action) {
        if (!held) {
            action.run();
            return;
        }
        waiting.add(() -> loop.execute(action));
        if (!held) {
            openAll(); // it opened while we queued
        }
    }

    public void hold() {
        held = true;
    }

    public void release() {
        held = false;
        openAll();
    }

    /** How many wait at the gate now. */
    public int waiting() {
        return waiting.size();
    }

    private void openAll() {
        Runnable r;
        while ((r = waiting.poll()) != null) {
            r.run();
        }
    }
}
