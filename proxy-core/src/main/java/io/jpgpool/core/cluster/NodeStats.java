package io.jpgpool.core.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters per node for SHOW pool_nodes (select_cnt) and SHOW pool_backend_stats. Statements are counted
 * when they are sent to a node, as pgpool counts them.
 */
public final class NodeStats {
    public enum Kind { SELECT, INSERT, UPDATE, DELETE, DDL, OTHER, PANIC, FATAL, ERROR }

    private final LongAdder[][] counters;

    public NodeStats(int nodes) {
        counters = new LongAdder[nodes][Kind.values().length];
        for (LongAdder[] row : counters) {
            for (int k = 0; k < row.length; k++) {
                row[k] = new LongAdder();
            }
        }
    }

    public void increment(int node, Kind kind) {
        if (node >= 0 && node < counters.length) {
            counters[node][kind.ordinal()].increment();
        }
    }

    public long get(int node, Kind kind) {
        return node >= 0 && node < counters.length ? counters[node][kind.ordinal()].sum() : 0;
    }

    public int nodes() {
        return counters.length;
    }
}
