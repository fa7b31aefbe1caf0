package io.jpgpool.core.session;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.auth.ReuseProof;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.backend.CredentialSource;
import io.jpgpool.core.backend.PoolKey;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStats;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The backend connections of one session, by node: opened (or taken from the pool) on the session's event
 * loop when first needed, written to and flushed once per round trip, and given back to the pool (after
 * {@code reset_query_list}) or closed when the session ends. A session connects only to the nodes it uses.
 */
final class SessionBackends {
    /** pgpool never caches connections to these databases (SEMANTICS E.1). */
    private static final Set<String> NEVER_CACHED = Set.of("template0", "template1", "postgres", "regression");

    /** The session, as its connections need it. */
    interface Owner {
        /** Who hears the messages of the session's connections. */
        BackendListener listener();

        /** A connection opened in the background is ready: go on with what waited for it. */
        void connectionReady();

        /** A connection could not be opened (the session decides whether it can go on). */
        void connectionFailed(int node, Throwable cause);

        boolean isClosed();

        /** A connection to {@code node} joined the session after its login: it gets the session's settings. */
        void connectionAdded(int node);

        /** What the client proved, for the connections it makes (never null once authenticated). */
        ReuseProof proof();

        Credentials credentials();

        boolean clientWritable();
    }

    private final ProxyRuntime rt;
    private final EventLoop loop;
    private final Owner owner;
    private final PgpoolConfig cfg;
    private final StartupMessage startup;
    private final String user;
    private final String database;
    private final boolean logPerNodeStatement;
    private final BackendConnection[] conns;
    private final CompletableFuture<?>[] connecting;
    private long dirty;

    SessionBackends(ProxyRuntime rt, EventLoop loop, Owner owner, PgpoolConfig cfg, StartupMessage startup,
            String user, String database, int nodes) {
        this.rt = rt;
        this.loop = loop;
        this.owner = owner;
        this.cfg = cfg;
        this.startup = startup;
        this.user = user;
        this.database = database;
        this.logPerNodeStatement = cfg.logPerNodeStatement();
        this.conns = new BackendConnection[nodes];
        this.connecting = new CompletableFuture<?>[nodes];
    }

    int size() {
        return conns.length;
    }

    BackendConnection get(int node) {
        return conns[node];
    }

    boolean has(int node) {
        return conns[node] != null;
    }

    BackendConnection[] snapshot() {
        return conns.clone();
    }

    /** The nodes this session has a connection to. */
    long connected() {
        long set = NodeSet.EMPTY;
        for (int n = 0; n < conns.length; n++) {
            if (conns[n] != null) {
                set = NodeSet.with(set, n);
            }
        }
        return set;
    }

    /** A connection of this node is gone (it closed, or failed): forget it. */
    boolean forget(BackendConnection c) {
        int node = c.nodeId();
        if (conns[node] != c) {
            return false;
        }
        conns[node] = null;
        return true;
    }

    PoolKey key(int node) {
        return new PoolKey(node, user, database, startup.parameters());
    }

    StartupMessage startup() {
        return startup;
    }

    /** Makes {@code c} this session's connection to its node. */
    void adopt(BackendConnection c) {
        conns[c.nodeId()] = c;
        rt.cluster().markUsed(c.nodeId());
        c.listener(owner.listener());
        c.channel().config().setAutoRead(owner.clientWritable());
    }

    /** Opens a new connection; once logged in it is adopted (or given back when the session ended meanwhile). */
    CompletableFuture<BackendConnection> connect(int node, CredentialSource source) {
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        CompletableFuture<BackendConnection> f = rt.connector().connect(loop, snapshot.node(node), startup,
                key(node), source, cfg.connectTimeout());
        connecting[node] = f;
        return f.whenComplete((c, err) -> onLoop(() -> {
            connecting[node] = null;
            if (c != null) {
                // no credentials asked for: the backend trusts this user, as it will the next client
                ReuseProof proof = owner.proof();
                c.reuseProof(proof != null ? proof : ReuseProof.TRUST);
                if (owner.isClosed()) {
                    releaseOrClose(c);
                } else {
                    adopt(c);
                }
            }
        }));
    }

    /** Opens (or takes from the pool) a connection to a node, without waiting for it. */
    void open(int node) {
        if (conns[node] != null || connecting[node] != null) {
            return;
        }
        BackendConnection pooled = rt.pool(loop).checkout(key(node));
        if (pooled != null) {
            adopt(pooled);
            owner.connectionAdded(node);
            return;
        }
        connect(node, CredentialSource.of(owner.credentials())).whenComplete((c, err) -> onLoop(() -> {
            if (err != null) {
                owner.connectionFailed(node, err);
            } else {
                if (conns[node] != null) {
                    owner.connectionAdded(node);
                }
                owner.connectionReady();
            }
        }));
    }

    /**
     * True when every node of the set has a connection; otherwise starts what is missing. A connection taken
     * from the pool is there at once, so only connections still being opened make the caller wait (for
     * {@link Owner#connectionReady}).
     */
    boolean ensure(long set) {
        boolean ready = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (conns[n] == null) {
                open(n);
                ready &= conns[n] != null;
            }
        }
        return ready;
    }

    /**
     * Sends one client message to each node of the decision: the message itself to the first, duplicates to
     * the others, and plain {@code BEGIN} to non-primary nodes when the statement needs it (SEMANTICS A.12).
     */
    void sendToNodes(ByteBuf f, RouteDecision d, Statement st, String logText, String logPrefix) {
        long set = d.nodes();
        int primary = rt.cluster().snapshot().firstNodes(conns.length).primaryOrMain();
        boolean first = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            ByteBuf msg;
            if (d.rewriteBeginForStandby() && n != primary) {
                msg = conns[n].channel().alloc().buffer();
                byte tag = f.getByte(f.readerIndex());
                if (tag == FrontendTag.PARSE) {
                    new Parse(Parse.decode(f).name(), "BEGIN").encode(msg);
                } else {
                    new Query("BEGIN").encode(msg);
                }
            } else if (first) {
                msg = f.retain();
                first = false;
            } else {
                msg = f.retainedDuplicate();
            }
            send(n, msg, logPrefix, logText);
            countStatement(n, st);
        }
        f.release();
    }

    void countStatement(int node, Statement st) {
        if (st == null) {
            return;
        }
        NodeStats.Kind k = switch (st.kind()) {
            case SELECT, VALUES, TABLE -> NodeStats.Kind.SELECT;
            case INSERT -> NodeStats.Kind.INSERT;
            case UPDATE -> NodeStats.Kind.UPDATE;
            case DELETE -> NodeStats.Kind.DELETE;
            case CREATE, ALTER, DROP, TRUNCATE, GRANT, REVOKE, COMMENT -> NodeStats.Kind.DDL;
            default -> NodeStats.Kind.OTHER;
        };
        rt.stats().increment(node, k);
    }

    /** Queues a message for a node (logged per node when asked); nothing is sent until {@link #flush()}. */
    void send(int node, ByteBuf msg, String logText) {
        send(node, msg, null, logText);
    }

    /** The same, with the log line's text in two parts, joined only when it is logged. */
    void send(int node, ByteBuf msg, String logPrefix, String logText) {
        BackendConnection c = conns[node];
        if (logText != null && logPerNodeStatement) {
            StatementLog.log(node, c.processId(), logPrefix == null ? logText : logPrefix + logText);
        }
        c.write(msg);
        dirty = NodeSet.with(dirty, node);
    }

    /** Whether a node's socket has room (else the client stops being read until it has). */
    boolean writable(int node) {
        BackendConnection c = conns[node];
        return c == null || c.channel().isWritable();
    }

    void flush() {
        long set = dirty;
        dirty = 0;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (conns[n] != null) {
                conns[n].flush();
            }
        }
    }

    /** Back-pressure from the client: stop (or resume) reading every backend. */
    void autoRead(boolean on) {
        for (BackendConnection c : conns) {
            if (c != null) {
                c.channel().config().setAutoRead(on);
            }
        }
    }

    /**
     * A CancelRequest for the session: each connection of {@code running} (those owing an answer) gets one of
     * its own, sent on a new connection to its node as PostgreSQL expects. Returns the nodes and backend pids
     * cancelled, for the log ({@code " none"} when nothing was running).
     */
    String cancel(long running) {
        StringBuilder cancelled = new StringBuilder();
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        for (BackendConnection c : conns) {
            if (c != null && NodeSet.contains(running, c.nodeId())) {
                cancelled.append(' ').append(c.nodeId()).append(" (pid ").append(c.processId()).append(')');
                rt.connector().cancel(loop, snapshot.node(c.nodeId()), c.processId(), c.secretKey());
            }
        }
        return cancelled.length() == 0 ? " none" : cancelled.toString();
    }

    /**
     * The session ended: connections still owing an answer ({@code owed}) are closed, the others are reset and
     * given back to the pool (or closed where connections are not kept).
     */
    void release(long owed) {
        for (int n = 0; n < conns.length; n++) {
            BackendConnection c = conns[n];
            conns[n] = null;
            if (c == null) {
                continue;
            }
            if (NodeSet.contains(owed, n)) {
                c.abort(); // it is still answering something nobody will read
            } else {
                releaseOrClose(c);
            }
        }
    }

    /** A clean connection goes back to the pool after reset_query_list, or is closed. */
    void releaseOrClose(BackendConnection c) {
        if (!c.isActive()) {
            return;
        }
        if (cfg.connectionCache() && !NEVER_CACHED.contains(database)
                && cfg.backendClusteringMode() != ClusteringMode.RAW) {
            ConnectionReset.start(c, rt.pool(loop), cfg.resetQueryList());
        } else {
            c.terminate();
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }
}
