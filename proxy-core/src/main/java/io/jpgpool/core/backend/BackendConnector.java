package io.jpgpool.core.backend;

import io.jpgpool.core.auth.AuthMethod;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.net.Transport;
import io.jpgpool.core.tls.BackendTls;
import io.jpgpool.protocol.auth.Md5Auth;
import io.jpgpool.protocol.auth.ScramClient;
import io.jpgpool.protocol.backend.Authentication;
import io.jpgpool.protocol.backend.BackendKeyData;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.codec.BackendDecoder;
import io.jpgpool.protocol.frontend.CancelRequest;
import io.jpgpool.protocol.frontend.PasswordMessage;
import io.jpgpool.protocol.frontend.SASLInitialResponse;
import io.jpgpool.protocol.frontend.SASLResponse;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a connection to a node on a given event loop and logs in: TLS when {@code ssl} is on and the node offers
 * it (backend_sslmode), the StartupMessage, then whatever
 * authentication the server asks for (trust, cleartext, MD5, SCRAM-SHA-256), then its parameters and key,
 * up to the first ReadyForQuery.
 */
public final class BackendConnector {
    private static final Logger LOG = LoggerFactory.getLogger(BackendConnector.class);
    /** pgpool's MAX_NUM_BACKENDS: node ids are below it. */
    private static final int MAX_NODES = 128;
    private final Transport transport;
    private final BackendTls tls;
    /** Connections open now and opened so far, by node (the jpgpool_backend_connections_* meters). */
    private final AtomicIntegerArray open = new AtomicIntegerArray(MAX_NODES);
    private final AtomicLongArray opened = new AtomicLongArray(MAX_NODES);

    /** Clear-text connections only. */
    public BackendConnector(Transport transport) {
        this(transport, BackendTls.disabled());
    }

    public BackendConnector(Transport transport, BackendTls tls) {
        this.transport = transport;
        this.tls = tls;
    }

    public Transport transport() {
        return transport;
    }

    /** The TLS policy towards backends (backend_sslmode), shared with the pgjdbc checks. */
    public BackendTls tls() {
        return tls;
    }

    /** Backend connections to the node that are open now (in sessions, in the pools, being reset). */
    public int openConnections(int node) {
        return node >= 0 && node < MAX_NODES ? open.get(node) : 0;
    }

    /** Backend connections to the node opened since the start. */
    public long openedConnections(int node) {
        return node >= 0 && node < MAX_NODES ? opened.get(node) : 0;
    }

    /** Where a node listens: TCP, or a Unix socket when its host is a directory (as in libpq and pgpool). */
    public static SocketAddress address(BackendNode node) {
        if (node.host().startsWith("/")) {
            return new DomainSocketAddress(Path.of(node.host(), ".s.PGSQL." + node.port()).toString());
        }
        return new InetSocketAddress(node.host().isEmpty() ? "localhost" : node.host(), node.port());
    }

    public CompletableFuture<BackendConnection> connect(EventLoop loop, BackendNode node, StartupMessage startup,
            PoolKey key, CredentialSource credentials, int connectTimeoutMillis) {
        CompletableFuture<BackendConnection> result = new CompletableFuture<>();
        SocketAddress address = address(node);
        boolean unix = address instanceof DomainSocketAddress;
        if (unix && !transport.supportsUnixSockets()) {
            result.completeExceptionally(new BackendException(node.id(),
                    "Unix socket backends need the native epoll transport: " + address, null));
            return result;
        }
        BackendConnection.Handler handler = new BackendConnection.Handler();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(unix ? transport.domainSocketChannel() : transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis > 0 ? connectTimeoutMillis : 10_000)
                .option(ChannelOption.AUTO_READ, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frames", new BackendDecoder(true)).addLast("backend", handler);
                    }
                });
        if (!unix) {
            b.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
        }
        ChannelFuture cf = b.connect(address);
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new BackendException(node.id(),
                        "could not connect to node " + node.id() + " (" + node.address() + "): "
                                + f.cause().getMessage(), f.cause()));
                return;
            }
            Channel ch = cf.channel();
            open.incrementAndGet(node.id());
            opened.incrementAndGet(node.id());
            ch.closeFuture().addListener(closed -> open.decrementAndGet(node.id()));
            BackendConnection conn = new BackendConnection(node.id(), ch, key);
            handler.attach(conn);
            Login login = new Login(conn, credentials, result);
            conn.listener(login);
            int timeout = connectTimeoutMillis > 0 ? connectTimeoutMillis : 10_000;
            ch.eventLoop().schedule(() -> {
                if (!result.isDone()) {
                    result.completeExceptionally(new BackendException(node.id(),
                            "timeout logging into node " + node.id() + " (" + node.address() + ")",
                            new TimeoutException()));
                    conn.abort();
                }
            }, Math.max(timeout, 1000) * 3L, TimeUnit.MILLISECONDS);
            // SEMANTICS E.6: SSLRequest first when ssl = on; the StartupMessage goes out once TLS is settled
            tls.negotiate(ch, node.host(), node.port(), unix).whenComplete((ok, err) -> {
                if (err != null) {
                    if (result.completeExceptionally(new BackendException(node.id(), "could not connect to node "
                            + node.id() + " (" + node.address() + "): " + err.getMessage(), err))) {
                        conn.abort();
                    }
                    return;
                }
                ByteBuf out = ch.alloc().buffer();
                startup.encode(out);
                ch.writeAndFlush(out);
            });
        });
        return result;
    }

    /**
     * Sends a CancelRequest for backend process {@code pid} to a node, on a connection of its own, as libpq
     * does; the server closes it without answering.
     */
    public void cancel(EventLoop loop, BackendNode node, int pid, int secret) {
        SocketAddress address = address(node);
        boolean unix = address instanceof DomainSocketAddress;
        new Bootstrap()
                .group(loop)
                .channel(unix ? transport.domainSocketChannel() : transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                    }
                })
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        ByteBuf out = f.channel().alloc().buffer(16);
                        new CancelRequest(pid, secret).encode(out);
                        f.channel().writeAndFlush(out);
                        f.channel().eventLoop().schedule(() -> f.channel().close(), 5, TimeUnit.SECONDS);
                    } else {
                        LOG.warn("could not send a cancel request to node {} ({}): {}", node.id(), node.address(),
                                f.cause().getMessage());
                    }
                });
    }

    /** The login conversation, from StartupMessage to the first ReadyForQuery. */
    private static final class Login implements BackendListener {
        private final BackendConnection conn;
        private final CredentialSource source;
        private final CompletableFuture<BackendConnection> result;
        private ScramClient scram;

        Login(BackendConnection conn, CredentialSource source, CompletableFuture<BackendConnection> result) {
            this.conn = conn;
            this.source = source;
            this.result = result;
        }

        @Override
        public void onMessage(BackendConnection c, ByteBuf frame) {
            try {
                byte tag = frame.getByte(frame.readerIndex());
                switch (tag) {
                    case BackendTag.AUTHENTICATION -> onAuthentication(Authentication.decode(frame));
                    case BackendTag.PARAMETER_STATUS -> {
                        ParameterStatus ps = ParameterStatus.decode(frame);
                        conn.parameters().put(ps.name(), ps.value());
                    }
                    case BackendTag.BACKEND_KEY_DATA -> {
                        BackendKeyData k = BackendKeyData.decode(frame);
                        conn.backendKey(k.processId(), k.secretKey());
                    }
                    case BackendTag.READY_FOR_QUERY -> {
                        conn.txStatus(ReadyForQuery.status(frame));
                        conn.listener(null);
                        result.complete(conn);
                    }
                    case BackendTag.ERROR_RESPONSE -> fail(new BackendException(conn.nodeId(),
                            ErrorResponse.decode(frame)));
                    default -> {
                        // NoticeResponse, NegotiateProtocolVersion: nothing a login needs
                    }
                }
            } catch (RuntimeException e) {
                fail(e instanceof BackendException ? e
                        : new BackendException(conn.nodeId(), "login to node " + conn.nodeId() + " failed: "
                                + e.getMessage(), e));
            } finally {
                ReferenceCountUtil.release(frame);
            }
        }

        private void onAuthentication(Authentication auth) {
            if (auth instanceof Authentication.Ok) {
                return; // the parameters and ReadyForQuery follow
            }
            if (auth instanceof Authentication.CleartextPassword) {
                withCredentials(AuthMethod.CLEARTEXT, cred -> send(new PasswordMessage(cred.password())::encode));
            } else if (auth instanceof Authentication.Md5Password p) {
                withCredentials(AuthMethod.MD5, cred ->
                        send(new PasswordMessage(Md5Auth.saltedResponse(cred.md5HashOrComputed(), p.salt()))::encode));
            } else if (auth instanceof Authentication.Sasl sasl) {
                if (!sasl.mechanisms().contains("SCRAM-SHA-256")) {
                    fail(new BackendException(conn.nodeId(), "node " + conn.nodeId()
                            + " offers no SASL mechanism jpgpool supports: " + sasl.mechanisms(), null));
                    return;
                }
                withCredentials(AuthMethod.SCRAM_SHA_256, cred -> {
                    scram = cred.password() != null ? ScramClient.forPassword(cred.password())
                            : ScramClient.forClientKey(cred.scramClientKey(), cred.scramSecret());
                    send(new SASLInitialResponse("SCRAM-SHA-256", scram.clientFirst())::encode);
                });
            } else if (auth instanceof Authentication.SaslContinue c) {
                send(new SASLResponse(scram.handleServerFirst(c.data()))::encode);
            } else if (auth instanceof Authentication.SaslFinal f) {
                scram.handleServerFinal(f.data());
            } else if (auth instanceof Authentication.Unsupported u) {
                fail(new BackendException(conn.nodeId(),
                        "unsupported auth kind " + u.code() + " requested by node " + conn.nodeId(), null));
            }
        }

        private void withCredentials(AuthMethod method, java.util.function.Consumer<Credentials> then) {
            conn.authMethod(method);
            source.credentialsFor(method).whenComplete((cred, err) -> conn.channel().eventLoop().execute(() -> {
                if (result.isDone()) {
                    return;
                }
                if (err != null) {
                    fail(err);
                } else if (cred == null || !cred.canAnswer(method)) {
                    fail(new BackendException(conn.nodeId(), "node " + conn.nodeId() + " asks for "
                            + method.hbaName() + " authentication and jpgpool has no password for user \""
                            + (cred == null ? "?" : cred.user()) + "\"", null));
                } else {
                    try {
                        then.accept(cred);
                    } catch (RuntimeException e) {
                        fail(e);
                    }
                }
            }));
        }

        private void send(java.util.function.Consumer<ByteBuf> encoder) {
            ByteBuf out = conn.channel().alloc().buffer();
            encoder.accept(out);
            conn.writeAndFlush(out);
        }

        private void fail(Throwable t) {
            conn.listener(null);
            if (result.completeExceptionally(t instanceof java.util.concurrent.CompletionException
                    && t.getCause() != null ? t.getCause() : t)) {
                conn.abort();
            }
        }

        @Override
        public void onClosed(BackendConnection c, Throwable cause) {
            if (!result.isDone()) {
                result.completeExceptionally(new BackendException(c.nodeId(), "node " + c.nodeId()
                        + " closed the connection during login" + (cause == null ? "" : ": " + cause.getMessage()),
                        cause));
            }
        }
    }
}
