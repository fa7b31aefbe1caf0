package io.jpgpool.core.session;

import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.auth.ReuseProof;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendException;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.routing.CatalogFacts;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.core.routing.Router;
import io.jpgpool.core.routing.RoutingConfig;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.BackendKeyData;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.codec.FrontendDecoder;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session, from its startup packet to its Terminate. {@link SessionLogin} lets the client in;
 * then every client message becomes a routed {@link Request} sent to the nodes it needs ({@link
 * SessionBackends}), the {@link RequestQueue} matches the nodes' answers to the requests, and {@link
 * ReplyMerger} decides what the client sees when a request is complete. The extended protocol's messages are
 * {@link ExtendedQuery}'s. Everything runs on the session's event loop.
 *
 * <p>Processing is one message at a time from an inbox: a simple Query (or a Sync, or a FunctionCall) is not
 * followed until its ReadyForQuery came back, because routing of the next statement depends on the outcome of
 * this one; a message that needs a connection still being opened or a catalog fact still being looked up waits
 * at the head of the inbox. Writes to backends are flushed once per client read.
 */
public final class ClientSession implements SessionBackends.Owner, SessionHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final int INBOX_HIGH_WATER = 256;

    private enum State { STARTUP, AUTHENTICATING, READY, CLOSED }

    private final ProxyRuntime rt;
    private final int id;
    private final int secretKey;
    private final Instant connectedAt = Instant.now();
    private ClientOutput out;
    private EventLoop loop;
    private State state = State.STARTUP;
    private PgpoolConfig cfg;
    private SessionLogin login;
    private ScheduledFuture<?> authTimeout;

    private StartupMessage startup;
    private StartupMessage backendStartup;
    private String user;
    private String database;
    private Credentials credentials;
    /** What this session's client proved, kept by every connection it opens for their next client. */
    private ReuseProof proof;

    private int nodes;
    private SessionBackends backends;
    private SessionReplies replies;
    private final NativeUnits units = new NativeUnits(this);
    private RequestQueue queue;
    private Router router;
    private RoutingState routing;
    private SessionFacts facts;
    private int paramNode;
    private SimpleQuery simple;
    private NativeRewrites rewrites;
    private ExtendedQuery extended;
    private final LocalAnswers local;
    private final OwedBegins owedBegins;
    /** The query cache's side of this session; null while memory_cache_enabled is off. */
    private SessionCache cache;
    /** The transaction status of each connection, gathered for a decision (0: no connection). */
    private byte[] statuses;

    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();
    private final SessionSettings settings = new SessionSettings();
    private boolean awaitingReady;
    private boolean waitingForConnection;
    /** Waiting at the admission gate of an online recovery. */
    private boolean atGate;
    /** In a transaction or with a request under way (read by an online recovery from its own thread). */
    private volatile boolean busy;
    private boolean draining;
    private final SessionClock clock = new SessionClock();
    private long lastClientMessageNanos = clock.last();
    private ScheduledFuture<?> idleCheck;
    private boolean ended;
    /** A connection could not be made: the session ends with pgpool's FATAL once the failover it asked is over. */
    private boolean failingConnect;
    /** log_client_messages: null when off. */
    private ClientMessages clientMessages;

    public ClientSession(ProxyRuntime rt) {
        this.rt = rt;
        this.id = rt.sessions().newId();
        this.secretKey = ThreadLocalRandom.current().nextInt();
        this.local = new LocalAnswers(this);
        this.owedBegins = new OwedBegins(this, rt);
    }

    // ------------------------------------------------------------------ what admin views read

    @Override
    public int id() {
        return id;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String database() {
        return database;
    }

    @Override
    public String applicationName() {
        return startup == null ? "" : startup.applicationName();
    }

    @Override
    public int loadBalanceNode() {
        return routing == null ? -1 : routing.loadBalanceNode();
    }

    @Override
    public long idleSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastClientMessageNanos);
    }

    @Override
    public boolean isReady() {
        return state == State.READY;
    }

    @Override
    public String status() {
        if (queue != null && !queue.isEmpty()) {
            return "Execute command";
        }
        return routing != null && routing.primaryTxStatus() != 'I' ? "Idle in transaction" : "Idle";
    }

    @Override
    public BackendConnection[] backendConnections() {
        return backends == null ? new BackendConnection[0] : backends.snapshot();
    }

    // ------------------------------------------------------------------ the client channel's events

    void attached(ClientOutput output, EventLoop eventLoop) {
        out = output;
        loop = eventLoop;
        cfg = rt.config();
        login = new SessionLogin(this, rt, cfg, out);
        clientMessages = cfg.get(io.jpgpool.config.Params.LOG_CLIENT_MESSAGES) ? new ClientMessages() : null;
        if (cfg.authenticationTimeout() > 0) {
            authTimeout = loop.schedule(() -> {
                if ((state == State.STARTUP || state == State.AUTHENTICATING) && !login.queued()) {
                    fatal(SqlState.CONNECTION_FAILURE, "canceling authentication due to timeout", null);
                }
            }, cfg.authenticationTimeout(), TimeUnit.SECONDS);
        }
    }

    void onClientMessage(Object msg) {
        lastClientMessageNanos = clock.read();
        switch (state) {
            case STARTUP -> login.onStartupPacket(msg);
            case AUTHENTICATING -> login.onAuthMessage((ByteBuf) msg);
            case READY -> {
                if (clientMessages != null) {
                    clientMessages.log((ByteBuf) msg);
                }
                logStatement((ByteBuf) msg);
                inbox.add((ByteBuf) msg);
                if (inbox.size() > INBOX_HIGH_WATER) {
                    out.autoRead(false);
                }
                drain();
            }
            case CLOSED -> ReferenceCountUtil.release(msg);
        }
    }

    /** log_statement, for a simple Query as it arrives (pgpool's SimpleQuery; an Execute logs when it runs). */
    private void logStatement(ByteBuf f) {
        if (rt.config().logStatement() && f.getByte(f.readerIndex()) == FrontendTag.QUERY) {
            io.jpgpool.core.logging.StatementTextLog.statement(Query.decode(f).sql());
        }
    }

    void onClientReadComplete() {
        if (backends != null) {
            backends.flush();
        }
        if (out != null) {
            out.flush();
        }
    }

    void onClientWritabilityChanged(boolean writable) {
        if (backends != null) {
            backends.autoRead(writable);
        }
    }

    void onClientGone() {
        end();
    }

    // ------------------------------------------------------------------ login (SessionLogin's callbacks)

    /** The startup packet was accepted: who the client is, and the packet its backends get. */
    void started(StartupMessage sm, StartupMessage forBackends) {
        startup = sm;
        backendStartup = forBackends;
        user = sm.user();
        database = sm.database();
        state = State.AUTHENTICATING;
    }

    boolean isAuthenticating() {
        return state == State.AUTHENTICATING;
    }

    /** Chooses the session's nodes and load-balance node; returns the primary (or main) node, or -1. */
    int setUpRouting() {
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        nodes = snapshot.size();
        backends = new SessionBackends(rt, loop, this, cfg, backendStartup, user, database, nodes);
        statuses = new byte[nodes];
        replies = new SessionReplies(this, rt, clock);
        queue = new RequestQueue(replies, nodes, clock);
        RandomGenerator random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        router = new Router(RoutingConfig.from(cfg), random);
        DisableLoadBalanceOnWrite dlbow = cfg.disableLoadBalanceOnWrite();
        routing = new RoutingState(database, startup.applicationName(), dlbow);
        facts = new SessionFacts(this, rt, cfg, router, backendStartup, database);
        simple = new SimpleQuery(this, rt, router);
        rewrites = new NativeRewrites(rt, database);
        extended = new ExtendedQuery(this, rt, router, routing);
        cache = SessionCache.of(rt, routing, user, database, startup.parameters());
        int primary = snapshot.primaryOrMain();
        if (primary >= 0) {
            paramNode = primary;
            routing.loadBalanceNode(router.chooseLoadBalanceNode(snapshot, routing));
        }
        return primary;
    }

    void authenticated(Credentials c, ReuseProof p) {
        credentials = c.or(credentials);
        proof = p;
    }

    /** The primary's connection is logged in: the client gets AuthenticationOk and the primary's parameters. */
    void loggedIn() {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (credentials == null) {
            credentials = Credentials.none(user);
        }
        if (authTimeout != null) {
            authTimeout.cancel(false);
        }
        BackendConnection primary = backends.get(paramNode);
        out.encode(new Authentication.Ok()::encode);
        primary.parameters().forEach((k, v) -> out.encode(new ParameterStatus(k, v)::encode));
        out.encode(new BackendKeyData(id, secretKey)::encode);
        out.encode(o -> ReadyForQuery.encode(o, ReadyForQuery.IDLE));
        state = State.READY;
        FrontendDecoder decoder = out.channel().pipeline().get(FrontendDecoder.class);
        if (decoder != null) {
            decoder.authenticated(true);
        }
        rt.sessions().register(this);
        out.flush();
        int lb = routing.loadBalanceNode();
        if (lb != paramNode && cluster().isAlive(lb)) {
            backends.open(lb); // in the background; the first read waits for it if need be
        }
        if (cfg.clientIdleLimit() > 0) {
            scheduleIdleCheck();
        }
        drain();
    }

    // ------------------------------------------------------------------ SessionBackends.Owner

    @Override
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    @Override
    public ReuseProof proof() {
        return proof;
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public boolean clientWritable() {
        return out.isWritable();
    }

    @Override
    public BackendListener listener() {
        return replies;
    }

    @Override
    public void connectionReady() {
        resume();
    }

    @Override
    public void connectionAdded(int node) {
        String replay = settings.replay();
        if (replay == null || state != State.READY) {
            return;
        }
        ByteBuf msg = out.alloc().buffer();
        new Query(replay).encode(msg);
        sendTo(node, msg, replay);
        // hidden: the client asked for none of this; its answer only moves the connection's status
        queue.add(new Request(FrontendTag.QUERY, NodeSet.of(node), -1, true, SessionSettings.REPLAY, nodes));
    }

    /** What the client changed with SET, for the connections the session opens later. */
    SessionSettings settings() {
        return settings;
    }

    @Override
    public void connectionFailed(int node, Throwable err) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (state == State.CLOSED) {
            return;
        }
        if (t instanceof BackendException be && be.serverError() != null) {
            if (be.serverError().sqlState().startsWith("28")) {
                rt.sessions().authenticationFailed(); // the backend rejected the client's password
            }
            sendFatal(be.serverError());
            return;
        }
        LOG.warn("session {}: cannot connect to node {}: {}", id, node, t.getMessage());
        if (failingConnect) {
            return;
        }
        failingConnect = true;
        // as pgpool's child: the failover first, then the FATAL, so the client's next look sees the node down
        ErrorResponse fatal = cfg.failoverOnBackendError()
                ? ErrorResponse.fatal(SqlState.INTERNAL_ERROR, "failed to create a backend connection",
                        "executing failover on backend")
                : ErrorResponse.fatal(SqlState.CONNECTION_FAILURE, "failed to create a backend connection",
                        "could not connect to DB node " + node + ": " + t.getMessage());
        rt.suspect(node).whenComplete((v, e) -> onLoop(() -> sendFatal(fatal)));
    }

    // ------------------------------------------------------------------ the inbox

    private boolean blocked() {
        return awaitingReady || waitingForConnection || facts.pending() || atGate;
    }

    /**
     * An online recovery's second stage holds the sessions (native replication): one between transactions
     * waits here before it starts the next, until the recovery is over.
     */
    private boolean holdAtGate(byte tag) {
        if (!rt.gate().held() || tag == FrontendTag.TERMINATE || tag == FrontendTag.FLUSH
                || mainTxStatus() != ReadyForQuery.IDLE || !queue.isEmpty()) {
            return false;
        }
        atGate = true;
        busy = false;
        rt.gate().whenOpen(loop, () -> {
            atGate = false;
            resume();
        });
        return true;
    }

    /** Processes client messages until one has to wait. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            ByteBuf f;
            while (state == State.READY && (f = inbox.pollFirst()) != null) {
                if (!process(f)) {
                    inbox.addFirst(f); // it waits at the head
                    break;
                }
            }
        } finally {
            draining = false;
        }
        if (inbox.size() < INBOX_HIGH_WATER / 2 && state == State.READY && !out.autoRead()) {
            out.autoRead(true);
        }
    }

    /** Something that blocked the inbox is over: carry on, and send what that produced. */
    void resume() {
        if (state != State.READY) {
            return;
        }
        waitingForConnection = false;
        drain();
        backends.flush();
        out.flush();
    }

    /**
     * Handles one client message. Returns false (leaving it in the inbox) when it has to wait; when it returns
     * true the message has been consumed (sent on or released).
     */
    private boolean process(ByteBuf f) {
        byte tag = f.getByte(f.readerIndex());
        if (simple.copying() && (tag == FrontendTag.COPY_DATA || tag == FrontendTag.COPY_DONE
                || tag == FrontendTag.COPY_FAIL)) {
            simple.copyData(f, tag);
            return true;
        }
        if (blocked()) {
            if (waitingForConnection && !awaitingReady && !facts.pending()) {
                waitingForConnection = false; // re-check: the message asks for its connections again
            } else {
                return false;
            }
        }
        if (queue.skippingUntilSync() && tag != FrontendTag.SYNC && tag != FrontendTag.TERMINATE) {
            f.release(); // after an error the server ignores everything up to Sync
            return true;
        }
        if (holdAtGate(tag)) {
            return false;
        }
        busy = tag != FrontendTag.TERMINATE;
        switch (tag) {
            case FrontendTag.QUERY:
                return simple.query(f);
            case FrontendTag.PARSE:
                return extended.parse(f);
            case FrontendTag.BIND:
                return extended.bind(f);
            case FrontendTag.DESCRIBE:
                return extended.describe(f);
            case FrontendTag.EXECUTE:
                return extended.execute(f);
            case FrontendTag.CLOSE:
                return extended.close(f);
            case FrontendTag.SYNC:
                return extended.sync(f);
            case FrontendTag.FLUSH:
                extended.flush(f);
                return true;
            case FrontendTag.FUNCTION_CALL:
                return simple.functionCall(f);
            case FrontendTag.TERMINATE:
                f.release();
                end();
                out.channel().close();
                return true;
            case FrontendTag.COPY_DATA:
            case FrontendTag.COPY_DONE:
            case FrontendTag.COPY_FAIL:
                f.release(); // COPY data with no COPY running: PostgreSQL ignores it too
                return true;
            default:
                f.release();
                fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message type " + (char) tag, null);
                return true;
        }
    }

    // ------------------------------------------------------------------ what the protocol handlers need

    /** Sends a client message to the nodes of its route (see {@link SessionBackends#sendToNodes}). */
    void sendToNodes(ByteBuf f, RouteDecision d, Statement st, String logText, String logPrefix) {
        byte tag = f.getByte(f.readerIndex());
        if (tag != FrontendTag.SYNC && tag != FrontendTag.FLUSH) {
            owedBegins.send(d.nodes());
        }
        backends.sendToNodes(f, d, st, logText, logPrefix);
        pauseClientIfBackendsFull(d.nodes());
    }

    void sendTo(int node, ByteBuf msg, String logText) {
        backends.send(node, msg, logText);
        pauseClientIfBackendsFull(NodeSet.of(node));
    }

    /** Back-pressure: a backend socket is full, so the client is not read until it drains. */
    private void pauseClientIfBackendsFull(long set) {
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (!backends.writable(n)) {
                out.autoRead(false);
                return;
            }
        }
    }

    EventLoop loop() {
        return loop;
    }

    SessionBackends backends() {
        return backends;
    }

    RequestQueue queue() {
        return queue;
    }

    int nodes() {
        return nodes;
    }

    /**
     * The node table as this session sees it: the nodes known when it started (a reload may add more; they are
     * for the sessions that start after it).
     */
    ClusterSnapshot cluster() {
        ClusterSnapshot now = rt.cluster().snapshot();
        return nodes > 0 ? now.firstNodes(nodes) : now;
    }

    int paramNode() {
        return paramNode;
    }

    ClientOutput out() {
        return out;
    }

    /** True when every node of the set has a connection; otherwise starts what is missing and waits. */
    boolean connected(long set) {
        boolean ready = backends.ensure(set);
        waitingForConnection = !ready;
        return ready;
    }

    /** A Sync (or Query) went out: nothing more is read from the client until its ReadyForQuery. */
    void awaitReady() {
        awaitingReady = true;
    }

    /** True when routing knows every catalog fact it needs; otherwise starts the lookups and waits. */
    boolean factsKnown(Statement st) {
        return facts.known(st);
    }

    CatalogFacts facts() {
        return facts.facts();
    }

    RoutingState routing() {
        return routing;
    }

    ExtendedQuery extended() {
        return extended;
    }

    /** Requests jpgpool answers itself. */
    LocalAnswers local() {
        return local;
    }

    /** BEGINs answered at once and owed to nodes, and the statuses they make the client see. */
    OwedBegins owedBegins() {
        return owedBegins;
    }

    /** Each connection's transaction status, in the session's scratch array (0 where there is none). */
    byte[] statuses() {
        for (int n = 0; n < nodes; n++) {
            BackendConnection c = backends.get(n);
            statuses[n] = c == null ? 0 : c.txStatus();
        }
        return statuses;
    }

    byte mergedStatus() {
        return owedBegins.overlay(ReplyMerger.mergedStatus(statuses()));
    }

    SessionReplies replies() {
        return replies;
    }

    SimpleQuery simple() {
        return simple;
    }

    SessionCache cache() {
        return cache;
    }

    NativeRewrites rewrites() {
        return rewrites;
    }

    boolean isNative() {
        return rt.cluster().snapshot().mode() == io.jpgpool.config.ClusteringMode.NATIVE_REPLICATION
                || rt.cluster().snapshot().mode() == io.jpgpool.config.ClusteringMode.SNAPSHOT_ISOLATION;
    }

    /** The transaction status of the main node's connection (idle without one). */
    byte mainTxStatus() {
        return owedBegins.txStatusOf(cluster().mainNodeId());
    }

    /** A ReadyForQuery came from these nodes: their connections' transaction status follows it. */
    void applyReadyStatus(Request r) {
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            BackendConnection c = backends.get(n);
            if (c != null && r.readyStatus != null && r.readyStatus[n] != 0) {
                c.txStatus(r.readyStatus[n]);
            }
        }
    }

    /** The session's side of native replication: the unit under way and the transaction's clock. */
    NativeUnits units() {
        return units;
    }

    /** Its backend was ended by pg_terminate_backend: the client has the backend's FATAL, the session ends. */
    void closeAfterBackendTerminated() {
        out.flush();
        closeAfterReplicationMismatch();
    }

    /** pgpool's child exits after detaching the nodes whose rows differed: so does the session. */
    void closeAfterReplicationMismatch() {
        end();
        out.channel().close();
    }

    /** The client has its ReadyForQuery: read its next message. */
    void readyForQuery() {
        if (cache != null) {
            cache.readyForQuery(mergedStatus());
        }
        awaitingReady = false;
        busy = mainTxStatus() != ReadyForQuery.IDLE || !queue.isEmpty();
        out.flush();
        if (!draining) {
            resume();
        }
    }

    // ------------------------------------------------------------------ cancel, idle limit

    @Override
    public void cancel(int key) {
        if (key == secretKey && loop != null) {
            loop.execute(this::cancelRunningQueries);
        }
    }

    /** A CancelRequest for this session: cancel whatever its backends are running. */
    private void cancelRunningQueries() {
        if (backends != null && queue != null) {
            LOG.info("session {}: cancel request, cancelling on node(s){}", id, backends.cancel(queue.busyNodes()));
        }
    }

    private void scheduleIdleCheck() {
        idleCheck = loop.scheduleAtFixedRate(() -> {
            if (state != State.READY || !queue.isEmpty()) {
                return;
            }
            long idleSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastClientMessageNanos);
            int limit = cfg.clientIdleLimit();
            if (limit > 0 && idleSeconds >= limit) {
                fatal(SqlState.OPERATOR_INTERVENTION, "unable to read data from frontend",
                        "child connection forced to terminate due to client_idle_limit:" + limit + " is reached");
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ ending

    /**
     * A node was detached. Sessions that used it end (they held a connection to it, it was their load-balance
     * node, or it was the primary they write to); the others go on untouched (SEMANTICS C.4, better than 4.3).
     */
    @Override
    public void onNodeDetached(int node, boolean primaryFailed) {
        if (loop == null) {
            return;
        }
        onLoop(() -> {
            if (state == State.CLOSED || state == State.STARTUP || failingConnect) {
                return;
            }
            boolean uses = primaryFailed || (backends != null && backends.has(node))
                    || (routing != null && routing.loadBalanceNode() == node);
            if (uses) {
                units.nodeGone(node, ErrorResponse.fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection because DB node "
                        + node + " was detached", primaryFailed ? "failover of the primary node: reconnect"
                        : "the node this session used failed: reconnect"));
            }
        });
    }

    @Override
    public boolean busy() {
        return busy && state == State.READY;
    }

    @Override
    public void terminate(String sqlState, String message, String detail) {
        if (loop != null) {
            onLoop(() -> fatal(sqlState, message, detail));
        }
    }

    /** jpgpool is stopping: the client gets what PostgreSQL says at a fast shutdown. */
    @Override
    public void shutdown() {
        if (loop == null) {
            return;
        }
        onLoop(() -> fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection due to administrator command", null));
    }

    void fatal(String sqlState, String message, String detail) {
        sendFatal(ErrorResponse.fatal(sqlState, message, detail));
    }

    void sendFatal(ErrorResponse error) {
        if (state == State.CLOSED || out == null) {
            return;
        }
        out.fatal(error);
        end();
    }

    /** Releases everything; backend connections that are clean go back to the pool, the rest are closed. */
    private void end() {
        state = State.CLOSED;
        if (ended) {
            return;
        }
        ended = true;
        if (cfg != null && cfg.logDisconnections() && user != null) {
            long ms = java.time.Duration.between(connectedAt, Instant.now()).toMillis();
            LOG.info("frontend disconnection: session time: {}:{}:{}.{} user={} database={} host={} port={}",
                    ms / 3_600_000, String.format("%02d", ms / 60_000 % 60), String.format("%02d", ms / 1000 % 60),
                    String.format("%03d", ms % 1000), user, database, out.remoteHost(), out.remotePort());
        }
        if (login != null) {
            login.releaseSlot();
        }
        rt.sessions().unregister(this);
        if (authTimeout != null) {
            authTimeout.cancel(false);
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        ByteBuf f;
        while ((f = inbox.pollFirst()) != null) {
            f.release();
        }
        long owed = queue == null ? 0 : queue.busyNodes();
        if (queue != null) {
            queue.clear();
        }
        if (backends != null) {
            if (simple != null && simple.copying()) {
                owed = backends.connected(); // a COPY FROM STDIN is still open on them
            }
            if (facts != null && facts.pending()) {
                owed = NodeSet.with(owed, paramNode); // a catalog lookup is running on it
            }
            backends.release(owed);
        }
    }

    void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }
}
