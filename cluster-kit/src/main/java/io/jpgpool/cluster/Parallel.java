package io.jpgpool.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a few slow, independent steps (initdb, basebackup, stop) at once and rethrows the first failure. */
final class Parallel {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private Parallel() {
    }

    static void run(List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        List<Thread> threads = new ArrayList<>();
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Runnable task : tasks) {
            Thread t = new Thread(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    failures.add(e);
                } catch (Error e) {
                    failures.add(new ClusterException("parallel step failed: " + e, e));
                }
            }, "jpgpool-cluster-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    // the tasks have their own time limits; let them finish so nothing is left half-done
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
