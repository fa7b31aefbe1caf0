package io.jpgpool.cluster;

/** How a standby's data directory is made from the primary's. */
public enum StandbyMethod {
    /** {@link #BASEBACKUP} when the binaries have pg_basebackup, else {@link #COLD_COPY}. */
    AUTO,
    /** {@code pg_basebackup -R -X stream} from the running primary. */
    BASEBACKUP,
    /** Stop the primary cleanly and copy its data directory: a clean data directory is a valid base backup. */
    COLD_COPY
}
