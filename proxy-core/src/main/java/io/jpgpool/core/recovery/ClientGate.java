package io.jpgpool.core.recovery;

/**
 * What the 2nd stage of a native replication mode recovery needs from the client sessions (SEMANTICS D.3 step 4):
 * while the target catches up on the last changes, no session may write. The session layer implements it; in
 * streaming mode it is never used.
 */
public interface ClientGate {
    /**
     * From now on new clients wait before they are admitted (pgpool's children block before {@code accept()}),
     * and every connected session stops at its next transaction boundary and waits there. Sessions apply
     * {@code client_idle_limit_in_recovery} meanwhile: -1 ends each one at once, {@code N > 0} ends one that stays
     * idle (in a transaction) for N seconds.
     */
    void hold(int clientIdleLimitInRecovery);

    /** Sessions that may still write: connected and not (yet) waiting at a transaction boundary. 0 = drained. */
    int activeSessions();

    /**
     * {@code recovery_timeout} passed while {@code client_idle_limit_in_recovery} should have emptied the
     * sessions: ends those still active (pgpool then resets its connection counter and goes on).
     */
    void endActiveSessions();

    /** Recovery is over, done or failed: waiting clients are admitted and held sessions go on. */
    void release();
}
