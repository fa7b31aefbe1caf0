package io.jpgpool.cluster;

/** The shutdown modes of {@code pg_ctl stop -m}. */
public enum StopMode {
    /** Wait for every client to disconnect. */
    SMART,
    /** Roll back open transactions, disconnect clients, checkpoint: a clean shutdown. */
    FAST,
    /** Quit at once like a crash; the next start runs crash recovery. */
    IMMEDIATE;

    String pgCtlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
