/**
 * Online recovery ({@code pcp_recovery_node}, SEMANTICS D): {@link io.jpgpool.core.recovery.OnlineRecovery} runs
 * pgpool 4.3's sequence in plain Java (checks, 1st stage, native mode's 2nd stage behind a
 * {@link io.jpgpool.core.recovery.ClientGate}, remote start, the wait for the postmaster, the attach); the I/O it
 * needs sits behind {@link io.jpgpool.core.recovery.RecoveryEdges}: the stage commands run through the
 * {@code pgpool_recovery} extension on the source node, or as scripts on the jpgpool host when it is not installed.
 */
package io.jpgpool.core.recovery;
