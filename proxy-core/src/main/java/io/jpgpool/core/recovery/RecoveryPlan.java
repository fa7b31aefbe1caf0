package io.jpgpool.core.recovery;

import io.jpgpool.core.cluster.BackendNode;
import java.time.Duration;
import java.util.List;

/**
 * One online recovery: the node to rebuild ({@code target}), the node its stage commands run on ({@code source}:
 * the primary in streaming mode, the main node in native replication mode), and the settings read when it began.
 *
 * @param secondStage native replication or snapshot isolation mode: CHECKPOINTs and the 2nd stage (SEMANTICS D.3)
 * @param clientIdleLimitInRecovery seconds; -1 = end every session at once; 0 = off
 */
public record RecoveryPlan(BackendNode target, BackendNode source, boolean secondStage, String firstStageCommand,
        String secondStageCommand, String recoveryUser, Duration recoveryTimeout, int clientIdleLimitInRecovery) {

    /** The host name pgpool passes to the scripts: {@code localhost} for an empty one or a socket directory. */
    public static String hostArgument(BackendNode n) {
        return n.host().isEmpty() || n.host().startsWith("/") ? "localhost" : n.host();
    }

    /** The script of a stage; empty when it is not set (the stage is then skipped, as in pgpool). */
    public String command(RecoveryStage stage) {
        return stage == RecoveryStage.FIRST ? firstStageCommand : secondStageCommand;
    }

    /**
     * What pgpool 4.3 sends for a stage (recovery.c, exec_recovery): the script, the target's host and data
     * directory, the source's port, the target's id and port, the source's host. Quotes are doubled (pgpool does
     * not), so an odd path cannot break the statement.
     */
    public String recoveryCall(RecoveryStage stage) {
        return "SELECT pgpool_recovery(" + literal(command(stage)) + ", " + literal(hostArgument(target)) + ", "
                + literal(target.dataDirectory()) + ", " + literal(String.valueOf(source.port())) + ", " + target.id()
                + ", " + literal(String.valueOf(target.port())) + ", " + literal(hostArgument(source)) + ")";
    }

    /** {@code SELECT pgpool_remote_start(<target host>, <target data directory>)}, as pgpool 4.3 sends it. */
    public String remoteStartCall() {
        return "SELECT pgpool_remote_start(" + literal(hostArgument(target)) + ", " + literal(target.dataDirectory())
                + ")";
    }

    /**
     * The arguments the extension gives a stage script after its path ({@code pgpool-recovery.c}): the source's
     * data directory, then {@link #recoveryCall}'s arguments after the script name.
     */
    public List<String> stageArguments() {
        return List.of(source.dataDirectory(), hostArgument(target), target.dataDirectory(),
                String.valueOf(source.port()), String.valueOf(target.id()), String.valueOf(target.port()),
                hostArgument(source));
    }

    /** The arguments of {@code $PGDATA/pgpool_remote_start}: the target's host and data directory. */
    public List<String> remoteStartArguments() {
        return List.of(hostArgument(target), target.dataDirectory());
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
