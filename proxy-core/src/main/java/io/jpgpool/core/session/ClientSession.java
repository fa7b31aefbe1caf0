package io.jpgpool.core.session;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.ClientAuthenticator;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.auth.ReuseProof;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendException;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.backend.CredentialSource;
import io.jpgpool.core.backend.PoolKey;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStats;
import io.jpgpool.core.routing.CatalogFacts;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RouteDecision;
import io.jpgpool.core.routing.Router;
import io.jpgpool.core.routing.RoutingConfig;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.protocol.ProtocolException;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.BackendKeyData;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.EmptyMessages;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.NegotiateProtocolVersion;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.codec.FrontendDecoder;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Describe;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from its startup packet to its Terminate. It authenticates the client, opens (or takes
 * from the pool) backend connections on its own event loop, turns every client message into a routed
 * {@link Request}, and hands backend answers to its {@link RequestQueue}.
 *
 * <p>Processing is one message at a time from an inbox: a simple Query (or a Sync, or a FunctionCall) is not
 * followed until its ReadyForQuery came back, because routing of the next statement depends on the outcome of
 * this one; a message that needs a connection still being opened or a catalog fact still being looked up waits
 * at the head of the inbox. Writes to backends are flushed once per client read.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements RequestQueue.Sink, BackendListener,
        SessionHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** pgpool never caches connections to these databases (SEMANTICS E.1). */
    private static final Set<String> NEVER_CACHED = Set.of("template0", "template1", "postgres", "regression");
    private static final int INBOX_HIGH_WATER = 256;
    /** How long a client waits for a connection of its key that is being reset to come back to the pool. */
    private static final long POOLED_WAIT_MILLIS = 1000;

    private enum State { STARTUP, AUTHENTICATING, READY, CLOSED }

    private final ProxyRuntime rt;
    private final int id;
    private final int secretKey;
    private final Instant connectedAt = Instant.now();
    private Channel client;
    private EventLoop loop;
    private State state = State.STARTUP;

    private PgpoolConfig cfg;
    /** cfg's log_per_node_statement, read once: it is consulted for every message sent to a backend. */
    private boolean logPerNodeStatement;
    private StartupMessage startup;
    private StartupMessage backendStartup;
    private String user;
    private String database;
    private boolean slotHeld;
    private Router router;
    private RoutingState routing;
    private CatalogFacts facts;
    private int nodes;
    private BackendConnection[] conns;
    private CompletableFuture<?>[] connecting;
    private int paramNode;
    private RequestQueue queue;

    private Credentials credentials;
    /** What this session's client proved, kept by every connection it opens for their next client. */
    private ReuseProof proof;
    private ClientAuthenticator authenticator;
    private CompletableFuture<Credentials> clientAuth;
    private ScheduledFuture<?> authTimeout;

    private final ArrayDeque<ByteBuf> inbox = new ArrayDeque<>();
    private boolean awaitingReady;
    private boolean waitingForConnection;
    private boolean lookupPending;
    private boolean draining;
    private long pipelineNodes;
    private long dirtyBackends;
    private boolean clientDirty;
    private Request copyIn;
    private final PreparedStatements prepared = new PreparedStatements();
    private long lastClientMessageNanos = System.nanoTime();
    private ScheduledFuture<?> idleCheck;
    private long statementsRun;
    private boolean ended;
    /** A run of forwarded messages of the batch being handled, written as one slice. */
    private ByteBuf pendingBatch;
    private int pendingStart;
    private int pendingEnd;

    public ClientSession(ProxyRuntime rt) {
        this.rt = rt;
        this.id = rt.sessions().newId();
        this.secretKey = ThreadLocalRandom.current().nextInt();
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

    /** The load-balance node of this session, or -1 before it has one. */
    @Override
    public int loadBalanceNode() {
        return routing == null ? -1 : routing.loadBalanceNode();
    }

    /** Seconds since the client last sent something. */
    @Override
    public long idleSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lastClientMessageNanos);
    }

    @Override
    public boolean isReady() {
        return state == State.READY;
    }

    /** "Idle", "Idle in transaction" or "Execute command", as pgpool's process status. */
    @Override
    public String status() {
        if (queue != null && !queue.isEmpty()) {
            return "Execute command";
        }
        return routing != null && routing.primaryTxStatus() != 'I' ? "Idle in transaction" : "Idle";
    }

    /** The backend connections this session holds now, by node (null where it has none). */
    @Override
    public BackendConnection[] backendConnections() {
        return conns == null ? new BackendConnection[0] : conns.clone();
    }

    // ------------------------------------------------------------------ Netty callbacks

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        loop = ctx.channel().eventLoop();
        cfg = rt.config();
        logPerNodeStatement = cfg.logPerNodeStatement();
        if (cfg.authenticationTimeout() > 0) {
            authTimeout = loop.schedule(() -> {
                if (state == State.STARTUP || state == State.AUTHENTICATING) {
                    fatal(SqlState.CONNECTION_FAILURE, "canceling authentication due to timeout", null);
                }
            }, cfg.authenticationTimeout(), TimeUnit.SECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastClientMessageNanos = System.nanoTime();
        switch (state) {
            case STARTUP -> onStartupPacket(msg);
            case AUTHENTICATING -> onAuthMessage((ByteBuf) msg);
            case READY -> {
                inbox.add((ByteBuf) msg);
                if (inbox.size() > INBOX_HIGH_WATER) {
                    client.config().setAutoRead(false);
                }
                drain();
            }
            case CLOSED -> ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushBackends();
        flushClient();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = client.isWritable();
        if (conns != null) {
            for (BackendConnection c : conns) {
                if (c != null) {
                    c.channel().config().setAutoRead(writable);
                }
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable t = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (t instanceof ProtocolException pe) {
            LOG.info("session {}: protocol violation from client {}: {}", id, client.remoteAddress(), pe.getMessage());
            fatal(pe.sqlState(), pe.getMessage(), null);
        } else if (t instanceof java.io.IOException) {
            LOG.debug("session {}: client connection error: {}", id, t.toString());
            client.close();
        } else {
            LOG.warn("session {}: internal error", id, t);
            fatal(SqlState.INTERNAL_ERROR, "internal error in jpgpool: " + t, null);
        }
    }

    // ------------------------------------------------------------------ startup and authentication

    private void onStartupPacket(Object msg) {
        if (msg instanceof SSLRequest || msg instanceof GSSENCRequest) {
            // no TLS or GSS encryption (yet): the client may continue in clear text
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
        } else if (msg instanceof CancelRequest cancel) {
            SessionHandle target = rt.sessions().get(cancel.processId());
            if (target != null) {
                target.cancel(cancel.secretKey());
            }
            client.close();
        } else if (msg instanceof StartupMessage sm) {
            onStartup(sm);
        } else {
            ReferenceCountUtil.release(msg);
            fatal(SqlState.PROTOCOL_VIOLATION, "expected startup packet", null);
        }
    }

    private void onStartup(StartupMessage sm) {
        String u = sm.user();
        if (u == null || u.isEmpty()) {
            fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet",
                    null);
            return;
        }
        String replication = sm.parameters().get("replication");
        if (replication != null && !List.of("false", "off", "no", "0").contains(replication.toLowerCase())) {
            fatal(SqlState.FEATURE_NOT_SUPPORTED, "jpgpool does not accept replication connections", null);
            return;
        }
        if (cfg.logConnections()) {
            LOG.info("connection received: host={} port={}", remoteHost(), remotePort());
        }
        int limit = cfg.reservedConnections() > 0 ? cfg.numInitChildren() - cfg.reservedConnections()
                : cfg.numInitChildren();
        if (!rt.sessions().tryAcquireSlot(Math.max(1, limit))) {
            fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already", null);
            return;
        }
        slotHeld = true;
        startup = sm;
        user = u;
        database = sm.database();
        negotiateProtocol(sm);

        state = State.AUTHENTICATING;
        CompletableFuture<Void> quiet = rt.failures().quiet();
        if (!quiet.isDone()) {
            // a failover of the primary is under way: wait for it rather than refuse the client (C.4)
            int bound = Math.max(10, cfg.searchPrimaryNodeTimeout());
            quiet.orTimeout(bound, TimeUnit.SECONDS).whenComplete((ok, err) -> onLoop(() -> {
                if (state != State.AUTHENTICATING) {
                    return;
                }
                if (err != null) {
                    fatal(SqlState.CANNOT_CONNECT_NOW, "failover is in progress",
                            "no primary node was available within " + bound + " seconds; try again later");
                } else {
                    connectToCluster();
                }
            }));
            return;
        }
        connectToCluster();
    }

    /** Chooses the nodes of the session and opens (or takes from the pool) the primary connection. */
    private void connectToCluster() {
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        nodes = snapshot.size();
        conns = new BackendConnection[nodes];
        connecting = new CompletableFuture<?>[nodes];
        queue = new RequestQueue(this, nodes);
        RoutingConfig routingConfig = RoutingConfig.from(cfg);
        RandomGenerator random = new SplittableRandom(ThreadLocalRandom.current().nextLong());
        router = new Router(routingConfig, random);
        DisableLoadBalanceOnWrite dlbow = cfg.disableLoadBalanceOnWrite();
        routing = new RoutingState(database, startup.applicationName(), dlbow);
        facts = rt.catalog().forDatabase(database);

        int primary = snapshot.primaryOrMain();
        if (primary < 0) {
            fatal(SqlState.INTERNAL_ERROR, "all backend nodes are down, pgpool requires at least one valid node",
                    "repair the backend nodes and restart pgpool");
            return;
        }
        paramNode = primary;
        routing.loadBalanceNode(router.chooseLoadBalanceNode(snapshot, routing));

        rt.pool(loop).checkoutSoon(key(primary), POOLED_WAIT_MILLIS)
                .thenAccept(pooled -> onLoop(() -> loginWith(primary, pooled)));
    }

    /**
     * Logs the client in on a pooled connection to the primary, which it must first authenticate for as that
     * connection's first client did; or, with none (or one whose proof cannot be repeated), on a new
     * connection, whose backend checks the client too.
     */
    private void loginWith(int primary, BackendConnection pooled) {
        if (state != State.AUTHENTICATING) {
            if (pooled != null) {
                releaseOrClose(pooled);
            }
            return;
        }
        if (pooled != null) {
            ClientAuthenticator reuse = ClientAuthenticator.forReuse(user, rt.poolPasswd(),
                    cfg.allowClearTextFrontendAuth(), pooled.reuseProof()).orElse(null);
            if (reuse != null) {
                adopt(pooled);
                clientAuth = new CompletableFuture<>();
                authenticator = reuse;
                clientAuth.thenRun(this::startupComplete);
                onAuthOutcome(reuse.startReuse());
                return;
            }
            LOG.debug("session {}: a pooled connection of user \"{}\" cannot check this client; opening a new one",
                    id, user);
            pooled.terminate();
        }
        connect(primary, this::credentialsFor).whenComplete((c, err) -> onLoop(() -> {
            if (err != null) {
                connectFailed(primary, err);
            } else if (state == State.AUTHENTICATING) {
                startupComplete();
            }
        }));
    }

    /** Strips {@code _pq_.} options and tells a client asking for 3.x (x > 0) that we speak 3.0. */
    private void negotiateProtocol(StartupMessage sm) {
        Map<String, String> params = new LinkedHashMap<>(sm.parameters());
        List<String> unknown = new ArrayList<>();
        params.keySet().removeIf(k -> {
            if (k.startsWith("_pq_.")) {
                unknown.add(k);
                return true;
            }
            return false;
        });
        backendStartup = new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
        if ((sm.protocolVersion() & 0xffff) > 0 || !unknown.isEmpty()) {
            ByteBuf out = client.alloc().buffer();
            new NegotiateProtocolVersion(0, unknown).encode(out);
            client.write(out);
        }
    }

    /** The backend asked for {@code method}: we need the client to prove itself that way first. */
    private CompletionStage<Credentials> credentialsFor(AuthMethod method) {
        if (credentials != null && credentials.canAnswer(method)) {
            return CompletableFuture.completedFuture(credentials);
        }
        return authenticateClient(method);
    }

    private CompletableFuture<Credentials> authenticateClient(AuthMethod method) {
        clientAuth = new CompletableFuture<>();
        authenticator = ClientAuthenticator.forNewConnection(user, rt.poolPasswd(), cfg.allowClearTextFrontendAuth());
        onAuthOutcome(authenticator.start(method));
        return clientAuth;
    }

    private void onAuthMessage(ByteBuf frame) {
        try {
            if (frame.getByte(frame.readerIndex()) == FrontendTag.TERMINATE) {
                client.close();
                return;
            }
            if (authenticator == null || clientAuth == null || clientAuth.isDone()) {
                fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message type " + (char) frame.getByte(
                        frame.readerIndex()) + " during authentication", null);
                return;
            }
            onAuthOutcome(authenticator.onClientMessage(frame));
        } finally {
            frame.release();
        }
    }

    private void onAuthOutcome(ClientAuthenticator.Outcome outcome) {
        if (outcome instanceof ClientAuthenticator.Challenge c) {
            writeToClient(c.request()::encode);
            flushClient();
        } else if (outcome instanceof ClientAuthenticator.Success s) {
            credentials = s.credentials().or(credentials);
            proof = s.proof();
            if (s.finalMessage() != null) {
                writeToClient(s.finalMessage()::encode);
            }
            clientAuth.complete(credentials);
        } else if (outcome instanceof ClientAuthenticator.Failure f) {
            LOG.info("session {}: authentication of user \"{}\" failed: {}", id, user, f.error().message());
            clientAuth.completeExceptionally(new IllegalStateException("client authentication failed"));
            sendFatal(f.error());
        }
    }

    private void startupComplete() {
        if (state != State.AUTHENTICATING) {
            return;
        }
        if (credentials == null) {
            credentials = Credentials.none(user);
        }
        if (authTimeout != null) {
            authTimeout.cancel(false);
        }
        BackendConnection primary = conns[paramNode];
        writeToClient(new Authentication.Ok()::encode);
        primary.parameters().forEach((k, v) -> writeToClient(new ParameterStatus(k, v)::encode));
        writeToClient(new BackendKeyData(id, secretKey)::encode);
        writeToClient(out -> ReadyForQuery.encode(out, ReadyForQuery.IDLE));
        state = State.READY;
        FrontendDecoder decoder = client.pipeline().get(FrontendDecoder.class);
        if (decoder != null) {
            decoder.authenticated(true);
        }
        rt.sessions().register(this);
        flushClient();
        int lb = routing.loadBalanceNode();
        if (lb != paramNode && rt.cluster().snapshot().isAlive(lb)) {
            openConnection(lb); // in the background; the first read waits for it if need be
        }
        if (cfg.clientIdleLimit() > 0) {
            scheduleIdleCheck();
        }
        drain();
    }

    // ------------------------------------------------------------------ backend connections

    private PoolKey key(int node) {
        return new PoolKey(node, user, database, backendStartup.parameters());
    }

    private CompletableFuture<BackendConnection> connect(int node, CredentialSource source) {
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        CompletableFuture<BackendConnection> f = rt.connector().connect(loop, snapshot.node(node), backendStartup,
                key(node), source, cfg.connectTimeout());
        connecting[node] = f;
        return f.whenComplete((c, err) -> onLoop(() -> {
            connecting[node] = null;
            if (c != null) {
                // no credentials asked for: the backend trusts this user, as it will the next client
                c.reuseProof(proof != null ? proof : ReuseProof.TRUST);
                if (state == State.CLOSED) {
                    releaseOrClose(c);
                } else {
                    adopt(c);
                }
            }
        }));
    }

    /** Opens (or takes from the pool) a connection to a node, without waiting for it. */
    private void openConnection(int node) {
        if (conns[node] != null || connecting[node] != null) {
            return;
        }
        BackendConnection pooled = rt.pool(loop).checkout(key(node));
        if (pooled != null) {
            adopt(pooled);
            return;
        }
        connect(node, CredentialSource.of(credentials)).whenComplete((c, err) -> onLoop(() -> {
            if (err != null) {
                connectFailed(node, err);
            } else {
                resume();
            }
        }));
    }

    /** True when every node of the set has a connection; otherwise starts what is missing and waits. */
    private boolean connected(long set) {
        boolean ready = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (conns[n] == null) {
                ready = false;
                openConnection(n);
            }
        }
        waitingForConnection = !ready;
        return ready;
    }

    private void adopt(BackendConnection c) {
        conns[c.nodeId()] = c;
        rt.cluster().markUsed(c.nodeId());
        c.listener(this);
        c.channel().config().setAutoRead(client.isWritable());
    }

    private void connectFailed(int node, Throwable err) {
        Throwable t = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause() : err;
        if (state == State.CLOSED) {
            return;
        }
        if (t instanceof BackendException be && be.serverError() != null) {
            sendFatal(be.serverError());
            return;
        }
        if (clientAuth != null && clientAuth.isCompletedExceptionally()) {
            return; // the client was refused already
        }
        LOG.warn("session {}: cannot connect to node {}: {}", id, node, t.getMessage());
        rt.suspect(node);
        fatal(SqlState.CONNECTION_FAILURE, "failed to create a backend connection",
                "could not connect to DB node " + node + ": " + t.getMessage());
    }

    // ------------------------------------------------------------------ the inbox

    private boolean blocked() {
        return awaitingReady || waitingForConnection || lookupPending;
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
        if (inbox.size() < INBOX_HIGH_WATER / 2 && state == State.READY && !client.config().isAutoRead()) {
            client.config().setAutoRead(true);
        }
    }

    /** Something that blocked the inbox is over: carry on, and send what that produced. */
    private void resume() {
        if (state != State.READY) {
            return;
        }
        waitingForConnection = false;
        drain();
        flushBackends();
        flushClient();
    }

    /**
     * Handles one client message. Returns false (leaving it in the inbox) when it has to wait; when it returns
     * true the message has been consumed (sent on or released).
     */
    private boolean process(ByteBuf f) {
        byte tag = f.getByte(f.readerIndex());
        if (copyIn != null && (tag == FrontendTag.COPY_DATA || tag == FrontendTag.COPY_DONE
                || tag == FrontendTag.COPY_FAIL)) {
            copyData(f, tag);
            return true;
        }
        if (blocked()) {
            if (waitingForConnection && !awaitingReady && !lookupPending) {
                waitingForConnection = false; // re-check: process() calls connected() again
            } else {
                return false;
            }
        }
        if (queue.skippingUntilSync() && tag != FrontendTag.SYNC && tag != FrontendTag.TERMINATE) {
            f.release(); // after an error the server ignores everything up to Sync
            return true;
        }
        switch (tag) {
            case FrontendTag.QUERY:
                return query(f);
            case FrontendTag.PARSE:
                return parse(f);
            case FrontendTag.BIND:
                return bind(f);
            case FrontendTag.DESCRIBE:
                return describe(f);
            case FrontendTag.EXECUTE:
                return execute(f);
            case FrontendTag.CLOSE:
                return close(f);
            case FrontendTag.SYNC:
                return sync(f);
            case FrontendTag.FLUSH:
                flush(f);
                return true;
            case FrontendTag.FUNCTION_CALL:
                return functionCall(f);
            case FrontendTag.TERMINATE:
                f.release();
                state = State.CLOSED;
                end(false);
                client.close();
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

    // ------------------------------------------------------------------ simple query protocol

    private boolean query(ByteBuf f) {
        String sql = Query.decode(f).sql();
        Statement st = rt.statements().analyze(sql);
        if (rt.localCommands().handles(st)) {
            f.release();
            answerLocally(rt.localCommands().run(st, this));
            return true;
        }
        if (!factsKnown(st)) {
            return false;
        }
        RouteDecision d = router.route(st, routing, rt.cluster().snapshot(), facts);
        if (!connected(d.nodes())) {
            return false;
        }
        sendToNodes(f, d, st, sql, null);
        awaitingReady = true;
        queue.add(new Request(FrontendTag.QUERY, d.nodes(), d.forwardNode(), false, new Executed(st, d), nodes));
        return true;
    }

    /** What a request carries for the session to act on when it completes. */
    private record Executed(Statement statement, RouteDecision decision) {
    }

    /** The abort jpgpool sent on its own before telling the client its transaction failed. */
    private record InjectedAbort(Request original) {
    }

    /**
     * Sends one client message to each node of the decision: the message itself to the first, duplicates to
     * the others, and plain {@code BEGIN} to non-primary nodes when the statement needs it (SEMANTICS A.12).
     */
    private void sendToNodes(ByteBuf f, RouteDecision d, Statement st, String logText, String logPrefix) {
        long set = d.nodes();
        int primary = rt.cluster().snapshot().primaryOrMain();
        boolean first = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            ByteBuf msg;
            if (d.rewriteBeginForStandby() && n != primary) {
                msg = client.alloc().buffer();
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
            sendTo(n, msg, logPrefix == null ? logText : logPrefix + logText);
            countStatement(n, st);
        }
        f.release();
    }

    private void sendTo(int node, ByteBuf msg, String logText) {
        BackendConnection c = conns[node];
        if (logText != null && logPerNodeStatement) {
            StatementLog.log(node, c.processId(), logText);
        }
        c.write(msg);
        dirtyBackends = NodeSet.with(dirtyBackends, node);
        if (!c.channel().isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    private void countStatement(int node, Statement st) {
        if (st == null) {
            return;
        }
        statementsRun++;
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

    private boolean functionCall(ByteBuf f) {
        int primary = rt.cluster().snapshot().primaryOrMain();
        long set = NodeSet.of(primary);
        if (!connected(set)) {
            return false;
        }
        sendTo(primary, f, "F message");
        awaitingReady = true;
        queue.add(new Request(FrontendTag.FUNCTION_CALL, set, primary, false, null, nodes));
        return true;
    }

    private void copyData(ByteBuf f, byte tag) {
        long set = copyIn.targets;
        boolean first = true;
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (conns[n] == null) {
                continue;
            }
            sendTo(n, first ? f.retain() : f.retainedDuplicate(), null);
            first = false;
        }
        f.release();
        if (tag != FrontendTag.COPY_DATA) {
            copyIn = null;
        }
    }

    @Override
    public void copyInStarted(Request request) {
        copyIn = request;
    }

    // ------------------------------------------------------------------ extended query protocol

    private boolean parse(ByteBuf f) {
        Parse p = Parse.decode(f);
        if (!p.name().isEmpty() && prepared.statement(p.name()) != null) {
            f.release();
            localError(ErrorResponse.error("42P05", "prepared statement \"" + p.name() + "\" already exists"));
            return true;
        }
        Statement st = rt.statements().analyze(p.query());
        if (!factsKnown(st)) {
            return false;
        }
        RouteDecision d = router.route(st, routing, rt.cluster().snapshot(), facts);
        if (!connected(d.nodes())) {
            return false;
        }
        byte[] raw = ByteBufUtil.getBytes(f);
        prepared.putStatement(new PreparedStatements.Prepared(p.name(), p.query(), st, d, raw, d.nodes()));
        sendToNodes(f, d, null, p.query(), "Parse: ");
        pipelineNodes |= d.nodes();
        queue.add(new Request(FrontendTag.PARSE, d.nodes(), d.forwardNode(), false, null, nodes));
        return true;
    }

    private boolean bind(ByteBuf f) {
        Bind b = Bind.decode(f);
        PreparedStatements.Prepared ps = prepared.statement(b.statement());
        if (ps == null) {
            f.release();
            localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                    "prepared statement \"" + b.statement() + "\" does not exist"));
            return true;
        }
        ClusterSnapshot snapshot = rt.cluster().snapshot();
        int primary = snapshot.primaryOrMain();
        boolean reparse = needsParseBeforeBind(ps, primary);
        long set = reparse ? NodeSet.of(primary) : ps.nodes & aliveOrConnected(snapshot);
        if (set == 0) {
            set = NodeSet.of(primary);
            reparse = !NodeSet.contains(ps.parsedOn, primary);
        }
        if (!connected(set)) {
            return false;
        }
        if (reparse) {
            // parse-before-bind (SEMANTICS A.13): prepare the statement on the primary first, silently
            ByteBuf again = Unpooled.wrappedBuffer(ps.parseMessage);
            sendTo(primary, again, "Parse: " + ps.query);
            queue.add(new Request(FrontendTag.PARSE, NodeSet.of(primary), primary, true, null, nodes));
            ps.parsedOn = NodeSet.with(ps.parsedOn, primary);
            ps.nodes = NodeSet.of(primary);
        }
        prepared.putPortal(new PreparedStatements.Portal(b.portal(), ps, set));
        sendToNodes(f, plain(set), null, ps.query, "Bind: ");
        pipelineNodes |= set;
        queue.add(new Request(FrontendTag.BIND, set, NodeSet.lowest(set), false, null, nodes));
        return true;
    }

    /** A statement prepared away from the primary is bound inside a writing transaction (SEMANTICS A.13). */
    private boolean needsParseBeforeBind(PreparedStatements.Prepared ps, int primary) {
        return router.config().isStreaming()
                && router.config().loadBalanceMode()
                && router.config().disableLoadBalanceOnWrite() != DisableLoadBalanceOnWrite.OFF
                && routing.primaryTxStatus() == ReadyForQuery.IN_TRANSACTION
                && routing.writingTransaction()
                && !NodeSet.contains(ps.parsedOn, primary);
    }

    private long aliveOrConnected(ClusterSnapshot snapshot) {
        long set = NodeSet.EMPTY;
        for (int n = 0; n < nodes; n++) {
            if (snapshot.isAlive(n) || conns[n] != null) {
                set = NodeSet.with(set, n);
            }
        }
        return set;
    }

    private boolean describe(ByteBuf f) {
        Describe d = Describe.decode(f);
        long set;
        String text;
        if (d.isStatement()) {
            PreparedStatements.Prepared ps = prepared.statement(d.name());
            if (ps == null) {
                f.release();
                localError(ErrorResponse.error(SqlState.INVALID_SQL_STATEMENT_NAME,
                        "prepared statement \"" + d.name() + "\" does not exist"));
                return true;
            }
            set = ps.nodes;
            text = ps.query;
        } else {
            PreparedStatements.Portal portal = prepared.portal(d.name());
            // a portal we never saw (SQL DECLARE ... CURSOR) lives on the primary (SEMANTICS A.13)
            set = portal != null ? portal.nodes() : NodeSet.of(rt.cluster().snapshot().primaryOrMain());
            text = portal != null ? portal.statement().query : null;
        }
        if (!connected(set)) {
            return false;
        }
        sendToNodes(f, plain(set), null, "D message", null);
        pipelineNodes |= set;
        queue.add(new Request(FrontendTag.DESCRIBE, set, NodeSet.lowest(set), false, null, nodes));
        return true;
    }

    private boolean execute(ByteBuf f) {
        Execute e = Execute.decode(f);
        PreparedStatements.Portal portal = prepared.portal(e.portal());
        long set = portal != null ? portal.nodes() : NodeSet.of(rt.cluster().snapshot().primaryOrMain());
        if (!connected(set)) {
            return false;
        }
        Statement st = portal != null ? portal.statement().statement : null;
        sendToNodes(f, plain(set), st, portal != null ? portal.statement().query : e.portal(), "Execute: ");
        if (st != null) {
            onExecuteSent(st, portal.statement().decision);
        }
        pipelineNodes |= set;
        queue.add(new Request(FrontendTag.EXECUTE, set, NodeSet.lowest(set), false, null, nodes));
        return true;
    }

    /**
     * Extended protocol: the writing flag is set, and BEGIN/COMMIT change the transaction status, when the
     * Execute is sent, not when it completes (SEMANTICS A.13).
     */
    private void onExecuteSent(Statement st, RouteDecision d) {
        boolean inTransaction = routing.primaryTxStatus() != ReadyForQuery.IDLE;
        routing.onSuccess(st, d, inTransaction);
        switch (st.kind()) {
            case BEGIN -> routing.primaryTxStatus(ReadyForQuery.IN_TRANSACTION);
            case COMMIT, ROLLBACK -> routing.primaryTxStatus(ReadyForQuery.IDLE);
            default -> {
            }
        }
    }

    private boolean close(ByteBuf f) {
        Close c = Close.decode(f);
        long set;
        String text;
        if (c.isStatement()) {
            PreparedStatements.Prepared ps = prepared.removeStatement(c.name());
            set = ps == null ? 0 : ps.parsedOn;
            text = ps == null ? null : ps.query;
        } else {
            PreparedStatements.Portal p = prepared.removePortal(c.name());
            set = p == null ? 0 : p.nodes();
            text = p == null ? null : p.statement().query;
        }
        long live = set & connectedNodes();
        if (live == 0) {
            // closing something that does not exist is not an error (SEMANTICS A.13)
            f.release();
            answerLocally(Unpooled.buffer(5).writeByte(BackendTag.CLOSE_COMPLETE).writeInt(4), FrontendTag.CLOSE);
            return true;
        }
        sendToNodes(f, plain(live), null, "C message", null);
        pipelineNodes |= live;
        queue.add(new Request(FrontendTag.CLOSE, live, NodeSet.lowest(live), false, null, nodes));
        return true;
    }

    private boolean sync(ByteBuf f) {
        long set = pipelineNodes & connectedNodes();
        if (set == 0) {
            if (conns[paramNode] == null) {
                f.release();
                ByteBuf rfq = client.alloc().buffer(6);
                ReadyForQuery.encode(rfq, mergedStatus());
                awaitingReady = true;
                queue.add(Request.local(FrontendTag.SYNC, rfq, null));
                return true;
            }
            set = NodeSet.of(paramNode);
        }
        sendToNodes(f, plain(set), null, null, null);
        pipelineNodes = 0;
        awaitingReady = true;
        queue.add(new Request(FrontendTag.SYNC, set, NodeSet.lowest(set), false, null, nodes));
        return true;
    }

    private void flush(ByteBuf f) {
        long set = (pipelineNodes | queue.busyNodes()) & connectedNodes();
        if (set == 0) {
            f.release();
            flushClient();
            return;
        }
        sendToNodes(f, plain(set), null, null, null);
    }

    private long connectedNodes() {
        long set = NodeSet.EMPTY;
        for (int n = 0; n < nodes; n++) {
            if (conns[n] != null) {
                set = NodeSet.with(set, n);
            }
        }
        return set;
    }

    private static RouteDecision plain(long set) {
        return new RouteDecision(set, io.jpgpool.core.routing.StatementClass.PRIMARY, false, false, false, null);
    }

    // ------------------------------------------------------------------ catalog facts

    /** True when routing knows every catalog fact it needs; otherwise starts the lookups and waits. */
    private boolean factsKnown(Statement st) {
        Router.Missing missing = router.missingFacts(st, facts);
        if (missing.isEmpty()) {
            return true;
        }
        lookupPending = true;
        BackendConnection own = conns[paramNode];
        BackendConnection idleOwn = own != null && !queue.owes(paramNode) ? own : null;
        CatalogLookup.run(rt, loop, backendStartup, user, database, credentials, proof, idleOwn, paramNode,
                missing, cfg)
                .whenComplete((ok, err) -> onLoop(() -> {
                    lookupPending = false;
                    if (err != null) {
                        LOG.warn("session {}: catalog lookup failed, treating unknown functions as writing: {}",
                                id, err.toString());
                        CatalogLookup.recordUnknownAsUnsafe(rt, database, missing);
                    }
                    resume();
                }));
        return false;
    }

    // ------------------------------------------------------------------ answers

    @Override
    public void onMessage(BackendConnection connection, ByteBuf frame) {
        if (state == State.CLOSED) {
            frame.release();
            return;
        }
        queue.onBackendFrame(connection.nodeId(), frame);
    }

    @Override
    public void onMessages(BackendConnection connection, ByteBuf batch) {
        try {
            if (state != State.CLOSED) {
                queue.onBackendBatch(connection.nodeId(), batch);
                flushPendingRange();
            }
        } finally {
            batch.release();
        }
    }

    @Override
    public void onReadComplete(BackendConnection connection) {
        flushClient();
        flushBackends();
    }

    @Override
    public void onWritabilityChanged(BackendConnection connection) {
        if (connection.channel().isWritable() && state == State.READY) {
            client.config().setAutoRead(true);
        }
    }

    @Override
    public void onClosed(BackendConnection connection, Throwable cause) {
        int node = connection.nodeId();
        if (conns == null || conns[node] != connection) {
            return;
        }
        conns[node] = null;
        if (state == State.CLOSED) {
            return;
        }
        LOG.warn("session {}: connection to DB node {} lost{}", id, node,
                cause == null ? "" : ": " + cause.getMessage());
        rt.suspect(node);
        fatal(SqlState.CONNECTION_FAILURE, "connection to DB node " + node + " was lost",
                "the session cannot continue; reconnect to run more statements");
    }

    @Override
    public void toClient(ByteBuf frame) {
        flushPendingRange();
        if (frame.getByte(frame.readerIndex()) == BackendTag.COPY_OUT_RESPONSE) {
            flushClient();
        }
        client.write(frame, client.voidPromise());
        clientDirty = true;
    }

    @Override
    public void toClientRange(ByteBuf batch, int start, int end) {
        if (pendingBatch == batch && pendingEnd == start) {
            pendingEnd = end;
            return;
        }
        flushPendingRange();
        pendingBatch = batch;
        pendingStart = start;
        pendingEnd = end;
    }

    /** Writes the run of forwarded messages collected from the current batch as one slice. */
    private void flushPendingRange() {
        if (pendingBatch != null) {
            ByteBuf run = pendingBatch.retainedSlice(pendingStart, pendingEnd - pendingStart);
            pendingBatch = null;
            client.write(run, client.voidPromise());
            clientDirty = true;
        }
    }

    @Override
    public void asynchronous(int node, ByteBuf frame, boolean unsolicited) {
        byte tag = frame.getByte(frame.readerIndex());
        if (tag == BackendTag.PARAMETER_STATUS) {
            ParameterStatus ps = ParameterStatus.decode(frame);
            if (conns[node] != null) {
                conns[node].parameters().put(ps.name(), ps.value());
            }
            if (node == paramNode) {
                toClient(frame); // ParameterStatus comes from the primary (SEMANTICS A.15)
            } else {
                frame.release();
            }
            return;
        }
        if (tag == BackendTag.NOTIFICATION_RESPONSE || (node == paramNode
                && (tag == BackendTag.NOTICE_RESPONSE || tag == BackendTag.ERROR_RESPONSE))) {
            toClient(frame);
            flushClient();
            return;
        }
        frame.release();
    }

    @Override
    public void requestDone(Request r) {
        if (!r.isSyncPoint()) {
            if (r.kind == FrontendTag.EXECUTE && r.failed()) {
                routing.onError();
            }
            return;
        }
        if (r.localAnswer) {
            readyForQuery();
            return;
        }
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            if (conns[n] != null) {
                conns[n].txStatus(r.readyStatus[n]);
            }
        }
        int primary = rt.cluster().snapshot().primaryOrMain();
        byte primaryStatus = primary >= 0 && conns[primary] != null ? conns[primary].txStatus()
                : mergedStatus();
        if (r.context instanceof Executed e) {
            routing.primaryTxStatus(primaryStatus);
            if (!r.failed()) {
                routing.onSuccess(e.statement(), e.decision(), primaryStatus != ReadyForQuery.IDLE);
                forgetDeallocated(e.statement());
            } else if (r.errorNodes != r.targets && primaryStatus == ReadyForQuery.IDLE && r.targets != 0
                    && NodeSet.size(r.targets) > 1) {
                kindMismatch(r, e.statement());
                return;
            }
        }
        if (r.failed()) {
            routing.primaryTxStatus(primaryStatus);
            routing.onError();
        }
        routing.primaryTxStatus(primaryStatus);
        if (primaryStatus == ReadyForQuery.IDLE) {
            routing.onIdle();
            prepared.closePortals();
        }
        byte merged = mergedStatus();
        if (merged == ReadyForQuery.FAILED_TRANSACTION && !(r.context instanceof InjectedAbort)) {
            long inTransaction = nodesWithStatus(ReadyForQuery.IN_TRANSACTION);
            if (inTransaction != 0) {
                injectAbort(inTransaction, r);
                return;
            }
        }
        Request original = r.context instanceof InjectedAbort ia ? ia.original() : r;
        if (original.readyForwarded) {
            assert original == r && r.readyStatus[r.forwardNode] == merged : "see readyPassesThrough";
        } else if (original.forwardReady != null && ReadyForQuery.status(original.forwardReady) == merged) {
            toClient(original.forwardReady);
            original.forwardReady = null;
        } else {
            if (original.forwardReady != null) {
                original.forwardReady.release();
                original.forwardReady = null;
            }
            writeToClient(out -> ReadyForQuery.encode(out, merged));
        }
        readyForQuery();
    }

    /**
     * A single-node request's ReadyForQuery passes through unchanged when the other connections leave the
     * merged status as it is and no abort has to be injected: each of them is idle or has the same status.
     */
    @Override
    public boolean readyPassesThrough(int node, byte status) {
        if (conns == null || (status != ReadyForQuery.IDLE && status != ReadyForQuery.IN_TRANSACTION
                && status != ReadyForQuery.FAILED_TRANSACTION)) {
            return false;
        }
        for (BackendConnection c : conns) {
            if (c != null && c.nodeId() != node && c.txStatus() != ReadyForQuery.IDLE && c.txStatus() != status) {
                return false;
            }
        }
        return true;
    }

    private void readyForQuery() {
        awaitingReady = false;
        flushClient();
        if (!draining) {
            resume();
        }
    }

    /**
     * One node failed inside a transaction while another did not: make the others fail too, so the client's
     * ROLLBACK (or COMMIT, which then reports ROLLBACK) ends the transaction the same way everywhere.
     * Pgpool-II 4.3 would let the primary commit; we do not.
     */
    private void injectAbort(long set, Request original) {
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            ByteBuf out = client.alloc().buffer();
            new Query("jpgpool: abort this transaction because another node failed").encode(out);
            sendTo(n, out, null);
        }
        queue.add(new Request(FrontendTag.QUERY, set, -1, true, new InjectedAbort(original), nodes));
        flushBackends();
    }

    /** Pgpool's answer when nodes disagree outside a transaction: the session cannot go on consistently. */
    private void kindMismatch(Request r, Statement st) {
        StringBuilder kinds = new StringBuilder();
        for (int n = NodeSet.next(r.targets, 0); n >= 0; n = NodeSet.next(r.targets, n + 1)) {
            kinds.append(n).append(NodeSet.contains(r.errorNodes, n) ? "[E] " : "[C] ");
        }
        r.releaseBuffers();
        sendFatal(ErrorResponse.of(BackendTag.ERROR_RESPONSE, "FATAL", SqlState.INTERNAL_ERROR,
                "failed to read kind from backend",
                "kind mismatch among backends. Possible last query was: \"" + st.text() + "\" kind details are: "
                        + kinds.toString().trim(),
                "check data consistency among db nodes"));
    }

    private void forgetDeallocated(Statement st) {
        if (st.kind() == StatementKind.DEALLOCATE) {
            if (st.deallocateAll()) {
                prepared.clear();
            } else if (st.preparedName() != null) {
                prepared.removeStatement(st.preparedName());
            }
        } else if (st.kind() == StatementKind.DISCARD && st.discardTarget() == io.jpgpool.sql.DiscardTarget.ALL) {
            prepared.clear();
        }
    }

    /** The status the client sees: E if any node failed its transaction, else T if any is in one, else I. */
    private byte mergedStatus() {
        byte s = ReadyForQuery.IDLE;
        for (BackendConnection c : conns) {
            if (c == null) {
                continue;
            }
            if (c.txStatus() == ReadyForQuery.FAILED_TRANSACTION) {
                return ReadyForQuery.FAILED_TRANSACTION;
            }
            if (c.txStatus() == ReadyForQuery.IN_TRANSACTION) {
                s = ReadyForQuery.IN_TRANSACTION;
            }
        }
        return s;
    }

    private long nodesWithStatus(byte status) {
        long set = NodeSet.EMPTY;
        for (BackendConnection c : conns) {
            if (c != null && c.txStatus() == status) {
                set = NodeSet.with(set, c.nodeId());
            }
        }
        return set;
    }

    /** Answers a whole request locally (SHOW pool_*), in order with what the backends still owe. */
    private void answerLocally(ByteBuf frames) {
        ReadyForQuery.encode(frames, mergedStatus());
        awaitingReady = true;
        queue.add(Request.local(FrontendTag.SYNC, frames, null));
        flushClient();
    }

    private void answerLocally(ByteBuf frame, byte kind) {
        queue.add(Request.local(kind == FrontendTag.SYNC ? kind : Request.LOCAL, frame, null));
    }

    private void localError(ErrorResponse error) {
        ByteBuf out = client.alloc().buffer();
        error.encode(out);
        queue.add(Request.local(Request.LOCAL, out, null));
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
        if (conns == null || queue == null) {
            return;
        }
        StringBuilder nodes = new StringBuilder();
        for (BackendConnection c : conns) {
            if (c != null && queue.owes(c.nodeId())) {
                nodes.append(' ').append(c.nodeId()).append(" (pid ").append(c.processId()).append(')');
                rt.connector().cancel(loop, rt.cluster().snapshot().node(c.nodeId()), c.processId(), c.secretKey());
            }
        }
        LOG.info("session {}: cancel request, cancelling on node(s){}", id, nodes.length() == 0 ? " none" : nodes);
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
            if (state == State.CLOSED || state == State.STARTUP) {
                return;
            }
            boolean uses = primaryFailed || (conns != null && conns[node] != null)
                    || (routing != null && routing.loadBalanceNode() == node);
            if (uses) {
                fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection because DB node " + node
                        + " was detached", primaryFailed ? "failover of the primary node: reconnect"
                        : "the node this session used failed: reconnect");
            }
        });
    }

    /** jpgpool is stopping: the client gets what PostgreSQL says at a fast shutdown. */
    @Override
    public void shutdown() {
        if (loop == null) {
            return;
        }
        onLoop(() -> fatal(SqlState.ADMIN_SHUTDOWN, "terminating connection due to administrator command", null));
    }

    private void fatal(String sqlState, String message, String detail) {
        sendFatal(ErrorResponse.fatal(sqlState, message, detail));
    }

    private void sendFatal(ErrorResponse error) {
        if (state == State.CLOSED || client == null) {
            return;
        }
        state = State.CLOSED;
        flushPendingRange();
        ByteBuf out = client.alloc().buffer();
        error.encode(out);
        client.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        end(false);
    }

    /** Releases everything; backend connections that are clean go back to the pool, the rest are closed. */
    private void end(boolean clientGone) {
        state = State.CLOSED;
        if (ended) {
            return;
        }
        ended = true;
        if (cfg != null && cfg.logDisconnections() && user != null) {
            long ms = java.time.Duration.between(connectedAt, Instant.now()).toMillis();
            LOG.info("frontend disconnection: session time: {}:{}:{}.{} user={} database={} host={} port={}",
                    ms / 3_600_000, String.format("%02d", ms / 60_000 % 60), String.format("%02d", ms / 1000 % 60),
                    String.format("%03d", ms % 1000), user, database, remoteHost(), remotePort());
        }
        if (slotHeld) {
            slotHeld = false;
            rt.sessions().releaseSlot();
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
        if (conns != null) {
            for (int n = 0; n < conns.length; n++) {
                BackendConnection c = conns[n];
                conns[n] = null;
                if (c == null) {
                    continue;
                }
                if (NodeSet.contains(owed, n) || copyIn != null || (lookupPending && n == paramNode)) {
                    c.abort(); // it is still answering something nobody will read (maybe a catalog lookup)
                } else {
                    releaseOrClose(c);
                }
            }
        }
    }

    private void releaseOrClose(BackendConnection c) {
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

    // ------------------------------------------------------------------ plumbing

    private String remoteHost() {
        return client != null && client.remoteAddress() instanceof java.net.InetSocketAddress a
                ? a.getAddress().getHostAddress() : "[local]";
    }

    private String remotePort() {
        return client != null && client.remoteAddress() instanceof java.net.InetSocketAddress a
                ? String.valueOf(a.getPort()) : "";
    }

    private void writeToClient(java.util.function.Consumer<ByteBuf> encoder) {
        flushPendingRange();
        ByteBuf out = client.alloc().buffer();
        encoder.accept(out);
        client.write(out, client.voidPromise());
        clientDirty = true;
    }

    private void flushClient() {
        flushPendingRange();
        if (clientDirty && client != null) {
            clientDirty = false;
            client.flush();
        }
    }

    private void flushBackends() {
        long set = dirtyBackends;
        dirtyBackends = 0;
        if (conns == null) {
            return;
        }
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            if (conns[n] != null) {
                conns[n].flush();
            }
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
