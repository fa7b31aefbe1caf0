package io.jpgpool.core.recovery;

/** The I/O that online recovery needs, so that {@link OnlineRecovery} itself is a plain sequence. */
public interface RecoveryEdges {
    /**
     * Connects to the source node's {@code template1} as {@code recovery_user} and chooses how the stage commands
     * run. Fails with pgpool's {@code node recovery failed, unable to connect to main node: N }.
     */
    StageRunner openSource(RecoveryPlan plan) throws RecoveryException;

    /** One attempt to log into the target as {@code recovery_user} ({@code postgres}, else {@code template1}). */
    boolean acceptsConnections(RecoveryPlan plan);

    /** Attaches the target (failback, {@code failback_command}) and waits a little for it, as pgpool does. */
    void attach(RecoveryPlan plan) throws RecoveryException;
}
