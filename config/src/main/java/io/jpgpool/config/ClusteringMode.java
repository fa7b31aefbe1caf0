package io.jpgpool.config;

/** {@code backend_clustering_mode}; numbers are pgpool's {@code ClusteringModes} (PCP_SPEC §8.3). */
public enum ClusteringMode implements PgpoolEnum {
    STREAMING_REPLICATION("streaming_replication", 1),
    NATIVE_REPLICATION("native_replication", 2),
    LOGICAL_REPLICATION("logical_replication", 3),
    SLONY("slony", 4),
    RAW("raw", 5),
    SNAPSHOT_ISOLATION("snapshot_isolation", 6);

    private final String pgpoolName;
    private final int number;

    ClusteringMode(String pgpoolName, int number) {
        this.pgpoolName = pgpoolName;
        this.number = number;
    }

    @Override
    public String pgpoolName() {
        return pgpoolName;
    }

    @Override
    public int number() {
        return number;
    }

    /** True for the modes that route like streaming replication (SEMANTICS §0: logical and Slony share SR routing). */
    public boolean isPrimaryStandby() {
        return this == STREAMING_REPLICATION || this == LOGICAL_REPLICATION || this == SLONY;
    }

    /** True for the modes that send writes to every node (SEMANTICS B). */
    public boolean isReplicating() {
        return this == NATIVE_REPLICATION || this == SNAPSHOT_ISOLATION;
    }
}
