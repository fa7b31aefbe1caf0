package io.jpgpool.core.session;

import io.jpgpool.config.HbaLine;
import io.jpgpool.config.HbaMatch;
import io.jpgpool.config.HbaRequest;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.ClientAuthenticator;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.auth.HbaLogin;
import io.jpgpool.core.auth.HbaRules;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.CredentialSource;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionRegistry;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.core.tls.ClientTls;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.NegotiateProtocolVersion;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's way in, from its first packet to AuthenticationOk (SEMANTICS E.1, E.3, E.4): SSLRequest and
 * GSSENCRequest (refused), CancelRequest, the startup packet, a client slot, with {@code enable_pool_hba} the
 * pool_hba.conf check (the client proves itself before any backend connection is touched), a failover to wait
 * for, then the primary's connection: a pooled one, which the client must first authenticate for as that
 * connection's first client did (with pool_hba: which must have logged in as this client's would), or a new one,
 * whose backend asks for the password the client is challenged for (with pool_hba: answered from what the
 * client gave).
 */
final class SessionLogin {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLogin.class);
    /** How long a client waits for a connection of its key that is being reset to come back to the pool. */
    private static final long POOLED_WAIT_MILLIS = 1000;

    private final ClientSession session;
    private final ProxyRuntime rt;
    private final PgpoolConfig cfg;
    private final ClientOutput out;
    /** Who checks the client's answers to the challenge under way. */
    private Function<ByteBuf, ClientAuthenticator.Outcome> checker;
    /** With enable_pool_hba: how the client got in; null otherwise. */
    private HbaLogin hba;
    private CompletableFuture<Credentials> clientAuth;
    private boolean slotHeld;
    /** While the client waits for a slot: the grant it waits for. */
    private CompletableFuture<Boolean> queuedFor;
    private int primary = -1;

    SessionLogin(ClientSession session, ProxyRuntime rt, PgpoolConfig cfg, ClientOutput out) {
        this.session = session;
        this.rt = rt;
        this.cfg = cfg;
        this.out = out;
    }

    boolean slotHeld() {
        return slotHeld;
    }

    /** The session ended: give its client slot back. */
    void releaseSlot() {
        if (queuedFor != null && !rt.sessions().leaveQueue(queuedFor)) {
            return; // granted meanwhile: the grant sees the session closed and gives the slot back
        }
        if (slotHeld) {
            slotHeld = false;
            rt.sessions().releaseSlot();
        }
    }

    // ------------------------------------------------------------------ the first packet

    void onStartupPacket(Object msg) {
        if (msg instanceof SSLRequest || msg instanceof GSSENCRequest) {
            // no TLS or GSS encryption (yet): the client may continue in clear text
            out.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'N'}));
        } else if (msg instanceof CancelRequest cancel) {
            if (cfg.get(io.jpgpool.config.Params.LOG_CLIENT_MESSAGES)) {
                io.jpgpool.core.logging.ClientMessageLog.cancel(cancel.processId());
            }
            SessionHandle target = rt.sessions().get(cancel.processId());
            if (target != null) {
                target.cancel(cancel.secretKey());
            }
            out.channel().close();
        } else if (msg instanceof StartupMessage sm) {
            onStartup(sm);
        } else {
            ReferenceCountUtil.release(msg);
            session.fatal(SqlState.PROTOCOL_VIOLATION, "expected startup packet", null);
        }
    }

    private void onStartup(StartupMessage sm) {
        String u = sm.user();
        if (u == null || u.isEmpty()) {
            session.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet", null);
            return;
        }
        String replication = sm.parameters().get("replication");
        if (replication != null && !List.of("false", "off", "no", "0").contains(replication.toLowerCase())) {
            session.fatal(SqlState.FEATURE_NOT_SUPPORTED, "jpgpool does not accept replication connections", null);
            return;
        }
        if (cfg.logConnections()) {
            LOG.info("connection received: host={} port={}", out.remoteHost(), out.remotePort());
        }
        int limit = cfg.reservedConnections() > 0 ? cfg.numInitChildren() - cfg.reservedConnections()
                : cfg.numInitChildren();
        // reserved_connections > 0: refused at once, as pgpool; else the client waits, where pgpool's would wait in
        // the listen backlog (num_init_children * listen_backlog_multiplier), for connection_queue_timeout at most
        int queueLimit = cfg.reservedConnections() > 0 ? 0
                : cfg.numInitChildren() * cfg.get(io.jpgpool.config.Params.LISTEN_BACKLOG_MULTIPLIER);
        CompletableFuture<Boolean> slot = rt.sessions().acquireSlot(Math.max(1, limit), queueLimit,
                new SessionRegistry.QueuedClient(session.id(), sm.user(), sm.database(), java.time.Instant.now()));
        if (slot.isDone()) {
            onSlot(sm, slot.join());
            return;
        }
        queuedFor = slot;
        int timeout = cfg.get(io.jpgpool.config.Params.CONNECTION_QUEUE_TIMEOUT);
        io.netty.util.concurrent.ScheduledFuture<?> timer = timeout <= 0 ? null : session.loop().schedule(() -> {
            if (rt.sessions().leaveQueue(slot)) {
                session.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already",
                        "waited connection_queue_timeout (" + timeout + " s) for one of the num_init_children slots");
            }
        }, timeout, TimeUnit.SECONDS);
        slot.thenAcceptAsync(granted -> {
            queuedFor = null;
            if (timer != null) {
                timer.cancel(false);
            }
            if (!granted) {
                return; // it left the queue (timed out, or the client went away)
            }
            if (session.isClosed()) {
                rt.sessions().releaseSlot();
                return;
            }
            onSlot(sm, true);
        }, session.loop());
    }

    /** Whether the client waits in the queue for a slot (its authentication has not started). */
    boolean queued() {
        return queuedFor != null;
    }

    private void onSlot(StartupMessage sm, boolean granted) {
        if (!granted) {
            session.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already", null);
            return;
        }
        slotHeld = true;
        session.started(sm, negotiateProtocol(sm));
        if (cfg.enablePoolHba()) {
            checkPoolHba();
        } else {
            joinCluster();
        }
    }

    /**
     * After the client check of pool_hba (if any): waits while an online recovery holds new clients, and out a
     * failover of the primary, then connects.
     */
    private void joinCluster() {
        if (rt.gate().held()) {
            rt.gate().whenOpen(session.loop(), () -> {
                if (session.isAuthenticating()) {
                    joinCluster();
                }
            });
            return;
        }
        CompletableFuture<Void> quiet = rt.failures().quiet();
        if (!quiet.isDone()) {
            // a failover of the primary is under way: wait for it rather than refuse the client (C.4)
            int bound = Math.max(10, cfg.searchPrimaryNodeTimeout());
            rt.sessions().waitStarted();
            quiet.orTimeout(bound, TimeUnit.SECONDS).whenComplete((ok, err) -> session.onLoop(() -> {
                rt.sessions().waitEnded();
                if (!session.isAuthenticating()) {
                    return;
                }
                if (err != null) {
                    session.fatal(SqlState.CANNOT_CONNECT_NOW, "failover is in progress",
                            "no primary node was available within " + bound + " seconds; try again later");
                } else {
                    connectToCluster();
                }
            }));
            return;
        }
        connectToCluster();
    }

    /**
     * Strips {@code _pq_.} options and tells a client asking for 3.x (x > 0) that we speak 3.0; returns the
     * startup packet the backends get.
     */
    private StartupMessage negotiateProtocol(StartupMessage sm) {
        Map<String, String> params = new LinkedHashMap<>(sm.parameters());
        List<String> unknown = new ArrayList<>();
        params.keySet().removeIf(k -> {
            if (k.startsWith("_pq_.")) {
                unknown.add(k);
                return true;
            }
            return false;
        });
        if ((sm.protocolVersion() & 0xffff) > 0 || !unknown.isEmpty()) {
            out.encode(new NegotiateProtocolVersion(0, unknown)::encode);
        }
        return new StartupMessage(StartupMessage.PROTOCOL_3_0, params);
    }

    // ------------------------------------------------------------------ pool_hba.conf (SEMANTICS E.3)

    /** Matches the client against pool_hba.conf (off the event loop when that needs DNS), then checks it. */
    private void checkPoolHba() {
        rt.hba().match(hbaRequest()).whenComplete((match, err) -> session.onLoop(() -> {
            if (!session.isAuthenticating()) {
                return;
            }
            if (err != null || match.isEmpty()) {
                LOG.warn("session {}: no pool_hba.conf rules to check user \"{}\" against{}", session.id(),
                        session.user(), err == null ? "" : ": " + err);
                session.sendFatal(ErrorResponse.of(BackendTag.ERROR_RESPONSE, "FATAL",
                        SqlState.INVALID_AUTHORIZATION_SPECIFICATION, HbaMatch.REJECT_MESSAGE,
                        HbaRules.MISSING_DETAIL, HbaMatch.REJECT_HINT));
                return;
            }
            hba = HbaLogin.of(match.get(), session.user(), rt.poolPasswd());
            LOG.debug("session {}: user \"{}\" from {}: pool_hba.conf {} says {}", session.id(), session.user(),
                    out.remoteHost(), hba.line().map(HbaLine::location).orElse("(no line)"),
                    hba.method().hbaName());
            checker = hba::onClientMessage;
            clientAuth = new CompletableFuture<>();
            clientAuth.thenRun(this::joinCluster);
            onAuthOutcome(hba.start(ClientTls.peerCommonName(out.channel())));
        }));
    }

    private HbaRequest hbaRequest() {
        boolean ssl = ClientTls.isTls(out.channel());
        if (out.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return HbaRequest.tcp(a.getAddress(), ssl, session.database(), session.user());
        }
        return HbaRequest.local(session.database(), session.user());
    }

    /**
     * A new connection's backend asked for {@code method}: answered from what the pool_hba check gave, the client
     * is not asked again (pgpool: frontend_authenticated). A backend wanting what jpgpool lacks ends the login.
     */
    private CompletionStage<Credentials> hbaCredentialsFor(AuthMethod method) {
        Optional<ErrorResponse> missing = hba.cannotAnswer(method);
        if (missing.isPresent()) {
            LOG.info("session {}: the primary asks for {} authentication and jpgpool has no password for user "
                    + "\"{}\"", session.id(), method.hbaName(), session.user());
            session.sendFatal(missing.get());
            return CompletableFuture.failedFuture(new IllegalStateException("no password for the backend"));
        }
        session.authenticated(hba.credentials(), hba.proofFor(method));
        return CompletableFuture.completedFuture(hba.credentials());
    }

    // ------------------------------------------------------------------ the primary's connection

    /** Chooses the nodes of the session, then logs in through the primary's connection. */
    private void connectToCluster() {
        rt.cluster().sessionStarting(rt.probes()); // waiting nodes the checks reached are up, as in pgpool
        primary = session.setUpRouting();
        if (primary < 0) {
            session.fatal(SqlState.INTERNAL_ERROR,
                    "all backend nodes are down, pgpool requires at least one valid node",
                    "repair the backend nodes and restart pgpool");
            return;
        }
        rt.pool(session.loop()).checkoutSoon(session.backends().key(primary), POOLED_WAIT_MILLIS)
                .thenAccept(pooled -> session.onLoop(() -> loginWith(pooled)));
    }

    /**
     * Logs the client in on a pooled connection to the primary, which it must first authenticate for as that
     * connection's first client did; or, with none (or one whose proof cannot be repeated), on a new
     * connection, whose backend checks the client too.
     */
    private void loginWith(BackendConnection pooled) {
        if (!session.isAuthenticating()) {
            if (pooled != null) {
                session.backends().releaseOrClose(pooled);
            }
            return;
        }
        if (pooled != null && hba != null) {
            if (hba.admits(pooled.reuseProof())) {
                // the pool_hba check was the client check: nothing more is asked (SEMANTICS E.4, reuse)
                session.backends().adopt(pooled);
                session.authenticated(hba.credentials(), pooled.reuseProof());
                session.loggedIn();
                return;
            }
            LOG.debug("session {}: a pooled connection of user \"{}\" was made another way; opening a new one",
                    session.id(), session.user());
            if (hba.othersMayUse(pooled.reuseProof())) {
                rt.pool(session.loop()).release(pooled); // it stays for the client with its password
            } else {
                pooled.terminate();
            }
        } else if (pooled != null) {
            ClientAuthenticator reuse = ClientAuthenticator.forReuse(session.user(), rt.poolPasswd(),
                    cfg.allowClearTextFrontendAuth(), pooled.reuseProof()).orElse(null);
            if (reuse != null) {
                session.backends().adopt(pooled);
                clientAuth = new CompletableFuture<>();
                checker = reuse::onClientMessage;
                clientAuth.thenRun(session::loggedIn);
                onAuthOutcome(reuse.startReuse());
                return;
            }
            LOG.debug("session {}: a pooled connection of user \"{}\" cannot check this client; opening a new one",
                    session.id(), session.user());
            pooled.terminate();
        }
        CredentialSource source = hba != null ? this::hbaCredentialsFor : this::credentialsFor;
        session.backends().connect(primary, source).whenComplete((c, err) -> session.onLoop(() -> {
            if (err != null) {
                session.connectionFailed(primary, err);
            } else if (session.isAuthenticating()) {
                session.loggedIn();
            }
        }));
    }

    // ------------------------------------------------------------------ authentication

    /** The backend asked for {@code method}: the client proves itself that way first (SEMANTICS E.4). */
    private CompletionStage<Credentials> credentialsFor(AuthMethod method) {
        Credentials known = session.credentials();
        if (known != null && known.canAnswer(method)) {
            return CompletableFuture.completedFuture(known);
        }
        clientAuth = new CompletableFuture<>();
        ClientAuthenticator authenticator = ClientAuthenticator.forNewConnection(session.user(), rt.poolPasswd(),
                cfg.allowClearTextFrontendAuth());
        checker = authenticator::onClientMessage;
        onAuthOutcome(authenticator.start(method));
        return clientAuth;
    }

    /** A message from the client while it authenticates. */
    void onAuthMessage(ByteBuf frame) {
        try {
            if (frame.getByte(frame.readerIndex()) == FrontendTag.TERMINATE) {
                out.channel().close();
                return;
            }
            if (checker == null || clientAuth == null || clientAuth.isDone()) {
                session.fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message type "
                        + (char) frame.getByte(frame.readerIndex()) + " during authentication", null);
                return;
            }
            onAuthOutcome(checker.apply(frame));
        } finally {
            frame.release();
        }
    }

    private void onAuthOutcome(ClientAuthenticator.Outcome outcome) {
        if (outcome instanceof ClientAuthenticator.Challenge c) {
            out.encode(c.request()::encode);
            out.flush();
        } else if (outcome instanceof ClientAuthenticator.Success s) {
            session.authenticated(s.credentials(), s.proof());
            if (s.finalMessage() != null) {
                out.encode(s.finalMessage()::encode);
            }
            clientAuth.complete(session.credentials());
        } else if (outcome instanceof ClientAuthenticator.Failure f) {
            LOG.info("session {}: authentication of user \"{}\" from {} failed: {}{}", session.id(), session.user(),
                    out.remoteHost(), f.error().message(), f.logDetail() == null ? "" : " (" + f.logDetail() + ")");
            rt.sessions().authenticationFailed();
            clientAuth.completeExceptionally(new IllegalStateException("client authentication failed"));
            session.sendFatal(f.error());
        }
    }
}
