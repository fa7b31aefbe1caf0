package io.jpgpool.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Liveness and forced termination of processes we know only by pid (a postmaster outlives pg_ctl). */
final class Processes {
    private Processes() {
    }

    /** True when the process exists and is not a zombie waiting for a parent that never reaps it. */
    static boolean isAlive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return !isZombie(pid);
        }
        return false;
    }

    /** SIGKILL the process and its descendants, then wait up to {@code wait} for them to go. */
    static void killTree(long pid, Duration wait) {
        ProcessHandle.of(pid).ifPresent(p -> {
            List<ProcessHandle> all = new ArrayList<>();
            all.add(p);
            p.descendants().forEach(all::add);
            all.forEach(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline && all.stream().anyMatch(h -> isAlive(h.pid()))) {
                sleep(Duration.ofMillis(20));
            }
        });
    }

    /** Waits up to {@code wait} for the process to exit; true if it did. */
    static boolean awaitExit(long pid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(Duration.ofMillis(10));
        }
        return true;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted", e);
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": comm may contain spaces and parentheses, the state follows the last ')'
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
