package io.jpgpool.core.routing;

/** Sets of node ids as 64-bit masks: jpgpool supports up to 64 backends. */
public final class NodeSet {
    public static final int MAX_NODES = 64;
    public static final long EMPTY = 0L;

    private NodeSet() {
    }

    public static long of(int node) {
        return 1L << node;
    }

    public static long with(long set, int node) {
        return node < 0 ? set : set | (1L << node);
    }

    public static long without(long set, int node) {
        return set & ~of(node);
    }

    public static boolean contains(long set, int node) {
        return node >= 0 && (set & (1L << node)) != 0;
    }

    /** The lowest id in the set (pgpool's "virtual main node" of a statement), or -1. */
    public static int lowest(long set) {
        return set == 0 ? -1 : Long.numberOfTrailingZeros(set);
    }

    public static int size(long set) {
        return Long.bitCount(set);
    }

    /** The next id in the set at or after {@code from}, or -1. */
    public static int next(long set, int from) {
        if (from >= MAX_NODES) {
            return -1;
        }
        long rest = set & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }

    public static String toString(long set) {
        StringBuilder sb = new StringBuilder("{");
        for (int n = next(set, 0); n >= 0; n = next(set, n + 1)) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(n);
        }
        return sb.append('}').toString();
    }
}
