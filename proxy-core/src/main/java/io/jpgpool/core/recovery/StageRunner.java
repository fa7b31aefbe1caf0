package io.jpgpool.core.recovery;

/**
 * Runs the recovery commands on the source node, one of two ways: through the {@code pgpool_recovery} extension,
 * or as the same scripts on the jpgpool host. Holds the connection to the source's {@code template1}.
 */
public interface StageRunner extends AutoCloseable {
    /** For the log: how the commands run ({@code through the pgpool_recovery extension on node 0}...). */
    String describe();

    /** {@code CHECKPOINT} on the source (native replication mode, before each stage). */
    void checkpoint() throws RecoveryException;

    /** Runs a stage's script with pgpool's arguments; fails with the stage's error when it fails. */
    void runStage(RecoveryStage stage, RecoveryPlan plan) throws RecoveryException;

    /** Runs {@code pgpool_remote_start} for the target. */
    void remoteStart(RecoveryPlan plan) throws RecoveryException;

    @Override
    void close();
}
