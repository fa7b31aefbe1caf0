package io.jpgpool.core.session;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.ClientAuthenticator;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.runtime.SessionHandle;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.NegotiateProtocolVersion;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.GSSENCRequest;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's way in, from its first packet to AuthenticationOk (SEMANTICS E.1, E.4): SSLRequest and
 * GSSENCRequest (refused), CancelRequest, the startup packet, a client slot, a failover to wait for, then the
 * primary's connection: a pooled one, which the client must first authenticate for as that connection's first
 * client did, or a new one, whose backend asks for the password the client is challenged for.
 */
final class SessionLogin {
    private static final Logger LOG = LoggerFactory.getLogger(SessionLogin.class);
    /** How long a client waits for a connection of its key that is being reset to come back to the pool. */
    private static final long POOLED_WAIT_MILLIS = 1000;

    private final ClientSession session;
    private final ProxyRuntime rt;
    private final PgpoolConfig cfg;
    private final ClientOutput out;
    private ClientAuthenticator authenticator;
    private CompletableFuture<Credentials> clientAuth;
    private boolean slotHeld;
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
        if (!rt.sessions().tryAcquireSlot(Math.max(1, limit))) {
            session.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already", null);
            return;
        }
        slotHeld = true;
        session.started(sm, negotiateProtocol(sm));

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
        if (pooled != null) {
            ClientAuthenticator reuse = ClientAuthenticator.forReuse(session.user(), rt.poolPasswd(),
                    cfg.allowClearTextFrontendAuth(), pooled.reuseProof()).orElse(null);
            if (reuse != null) {
                session.backends().adopt(pooled);
                clientAuth = new CompletableFuture<>();
                authenticator = reuse;
                clientAuth.thenRun(session::loggedIn);
                onAuthOutcome(reuse.startReuse());
                return;
            }
            LOG.debug("session {}: a pooled connection of user \"{}\" cannot check this client; opening a new one",
                    session.id(), session.user());
            pooled.terminate();
        }
        session.backends().connect(primary, this::credentialsFor).whenComplete((c, err) -> session.onLoop(() -> {
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
        authenticator = ClientAuthenticator.forNewConnection(session.user(), rt.poolPasswd(),
                cfg.allowClearTextFrontendAuth());
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
            if (authenticator == null || clientAuth == null || clientAuth.isDone()) {
                session.fatal(SqlState.PROTOCOL_VIOLATION, "unexpected message type "
                        + (char) frame.getByte(frame.readerIndex()) + " during authentication", null);
                return;
            }
            onAuthOutcome(authenticator.onClientMessage(frame));
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
            LOG.info("session {}: authentication of user \"{}\" failed: {}", session.id(), session.user(),
                    f.error().message());
            rt.sessions().authenticationFailed();
            clientAuth.completeExceptionally(new IllegalStateException("client authentication failed"));
            session.sendFatal(f.error());
        }
    }
}
