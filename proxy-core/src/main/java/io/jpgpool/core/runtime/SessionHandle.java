package io.jpgpool.core.runtime;

import io.jpgpool.core.backend.BackendConnection;
import java.time.Instant;

/**
 * What the rest of jpgpool sees of a client session: what the admin views report, a cancel, a node going away,
 * a shutdown. Implemented by the session; everything here may be called from any thread (the session moves
 * the work onto its own event loop).
 */
public interface SessionHandle {
    /** The session's id: the process id of its BackendKeyData, and its "pid" in SHOW pool_processes. */
    int id();

    Instant connectedAt();

    String user();

    String database();

    String applicationName();

    /** The load-balance node of this session, or -1 before it has one. */
    int loadBalanceNode();

    /** Seconds since the client last sent something. */
    long idleSeconds();

    /** Logged in and serving queries. */
    boolean isReady();

    /** "Idle", "Idle in transaction" or "Execute command", as pgpool's process status. */
    String status();

    /** The backend connections this session holds now, by node (null where it has none). */
    BackendConnection[] backendConnections();

    /** A CancelRequest named this session: cancel what it runs, if {@code secretKey} is its secret. */
    void cancel(int secretKey);

    /** A node was detached; {@code primaryFailed}: it was the primary (or main node). */
    void onNodeDetached(int node, boolean primaryFailed);

    /** jpgpool is stopping. */
    void shutdown();

    /**
     * In a transaction or with a request under way: a session an online recovery's second stage waits for (a
     * session between transactions waits at the {@link AdmissionGate} instead).
     */
    boolean busy();

    /** Ends the session with this FATAL (an online recovery that cannot wait for it any longer). */
    void terminate(String sqlState, String message, String detail);
}
