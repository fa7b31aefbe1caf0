package io.jpgpool.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes clusters that are still open when the JVM exits, so an aborted test run or a Ctrl-C'd demo
 * leaves no postgres running (pg_ctl puts the postmaster in its own session; a signal to us misses it).
 */
final class ClusterReaper {
    private static final Set<PgCluster> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ClusterReaper::closeAll, "jpgpool-cluster-reaper"));
    }

    private ClusterReaper() {
    }

    static void register(PgCluster cluster) {
        OPEN.add(cluster);
    }

    static void unregister(PgCluster cluster) {
        OPEN.remove(cluster);
    }

    private static void closeAll() {
        for (PgCluster cluster : OPEN) {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                System.err.println("jpgpool: could not close cluster " + cluster.baseDir() + ": " + e);
            }
        }
    }
}
