package io.jpgpool.config;

/** {@code backend_clustering_mode}; numbers are pgpool's {@code ClusteringModes} (PCP_SPEC §8.3). */
public enum ClusteringMode implements PgpoolEnum {
    STREAMING_REPLICATION,
    NATIVE_REPLICATION,
    LOGICAL_REPLICATION,
    SLONY,
    RAW,
    SNAPSHOT_ISOLATION;

    /** True for the modes that route like streaming replication (SEMANTICS §0: logical and Slony share SR routing). */
    public boolean isPrimaryStandby() {
        return this == STREAMING_REPLICATION || this == LOGICAL_REPLICATION || this == SLONY;
    }

    /** True for the modes that send writes to every node (SEMANTICS B). */
    public boolean isReplicating() {
        return this == NATIVE_REPLICATION || this == SNAPSHOT_ISOLATION;
    }
}
