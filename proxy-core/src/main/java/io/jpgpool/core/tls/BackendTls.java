package io.jpgpool.core.tls;

import io.jpgpool.config.BackendSslMode;
import io.jpgpool.protocol.frontend.SSLRequest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS for jpgpool's own connections to PostgreSQL (SEMANTICS §E.6, {@code backend_sslmode}): an SSLRequest before
 * the StartupMessage; {@code S} starts the handshake, {@code N} continues in clear text unless TLS is required.
 * The same policy goes to pgjdbc for the health and replication checks ({@link #jdbcProperties}). Unix-socket
 * connections never use TLS, as in libpq.
 */
public final class BackendTls {
    /** Pipeline name of the handler that reads the one-byte answer. */
    public static final String NEGOTIATION_NAME = "tls-request";
    public static final String SSL_HANDLER_NAME = "tls";

    private final BackendSslMode mode;
    private final TlsSettings settings;
    private volatile SslContext context;

    private BackendTls(BackendSslMode mode, SslContext context, TlsSettings settings) {
        this.mode = mode;
        this.context = context;
        this.settings = settings;
    }

    /** The policy of these settings; the CA files are read now, so bad ones stop the start. */
    public static BackendTls create(TlsSettings settings) throws TlsConfigException {
        if (settings.backendMode() == BackendSslMode.DISABLE) {
            return disabled();
        }
        return new BackendTls(settings.backendMode(), TlsContexts.backend(settings), settings);
    }

    /** Plain connections (ssl = off, or backend_sslmode = disable). */
    public static BackendTls disabled() {
        return new BackendTls(BackendSslMode.DISABLE, null, null);
    }

    public BackendSslMode mode() {
        return mode;
    }

    /** Reads the CA files again (SIGHUP, pcp_reload_config) for new connections; keeps the old ones on error. */
    public void reload() throws TlsConfigException {
        JdbcSslFactory.reload();
        if (mode != BackendSslMode.DISABLE) {
            context = TlsContexts.backend(settings);
        }
    }

    /**
     * Negotiates TLS on a freshly connected backend channel, before anything else is sent: writes the SSLRequest
     * and, on {@code S}, puts an {@link SslHandler} first in the pipeline. The future completes when the
     * StartupMessage may be sent (handshake done, or clear text allowed), or fails with a libpq-worded reason;
     * the caller closes the channel then.
     */
    public CompletableFuture<Void> negotiate(Channel ch, String host, int port, boolean unixSocket) {
        if (mode == BackendSslMode.DISABLE || unixSocket) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ch.pipeline().addFirst(NEGOTIATION_NAME, new Answer(host, port, done));
        ByteBuf req = ch.alloc().buffer(8);
        SSLRequest.INSTANCE.encode(req);
        ch.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new TlsNegotiationException("could not send SSL negotiation packet: "
                        + f.cause().getMessage()));
            }
        });
        return done;
    }

    /** Reads the server's answer to the SSLRequest. */
    private final class Answer extends ChannelInboundHandlerAdapter {
        private final String host;
        private final int port;
        private final CompletableFuture<Void> done;

        Answer(String host, int port, CompletableFuture<Void> done) {
            this.host = host;
            this.port = port;
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (!in.isReadable()) {
                    return;
                }
                byte answer = in.readByte();
                if (answer == 'S') {
                    if (in.isReadable()) {
                        // pgpool: "received unencrypted data after SSL request"
                        done.completeExceptionally(new TlsNegotiationException(
                                "received unencrypted data after SSL request"));
                        return;
                    }
                    startTls(ctx);
                } else if (answer == 'N') {
                    if (mode.required()) {
                        done.completeExceptionally(new TlsNegotiationException(
                                "server does not support SSL, but SSL was required"));
                        return;
                    }
                    ctx.pipeline().remove(this);
                    done.complete(null);
                    if (in.isReadable()) {
                        ctx.fireChannelRead(in.retain());
                    }
                } else {
                    done.completeExceptionally(new TlsNegotiationException(
                            "received invalid response to SSL negotiation: " + (char) answer));
                }
            } finally {
                ReferenceCountUtil.release(in);
            }
        }

        private void startTls(ChannelHandlerContext ctx) {
            SslHandler ssl = context.newHandler(ctx.alloc(), host, port);
            if (mode.verifiesHostName()) {
                SSLEngine engine = ssl.engine();
                SSLParameters p = engine.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // SAN DNS/IP, else CN: what libpq's verify-full checks
                engine.setSSLParameters(p);
            }
            ctx.pipeline().replace(this, SSL_HANDLER_NAME, ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new TlsNegotiationException("SSL error: "
                            + TlsFiles.reason(f.cause()), f.cause()));
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new TlsNegotiationException(
                    "server closed the connection unexpectedly during SSL negotiation"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!done.completeExceptionally(new TlsNegotiationException("SSL negotiation failed: "
                    + TlsFiles.reason(cause), cause))) {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    /**
     * pgjdbc connection properties for the same policy: {@code sslmode} and, when TLS may be used,
     * {@link JdbcSslFactory} with the configured CA, so the health and replication checks trust exactly what
     * session connections trust.
     */
    public Properties jdbcProperties(Properties p) {
        p.setProperty("sslmode", mode.pgpoolName());
        if (mode != BackendSslMode.DISABLE) {
            p.setProperty("sslfactory", JdbcSslFactory.class.getName());
            JdbcSslFactory.describe(settings, p);
        }
        return p;
    }

    /** Why TLS to a backend could not be set up. */
    public static final class TlsNegotiationException extends RuntimeException {
        public TlsNegotiationException(String message) {
            super(message);
        }

        public TlsNegotiationException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
