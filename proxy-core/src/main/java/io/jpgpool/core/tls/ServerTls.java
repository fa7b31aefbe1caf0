package io.jpgpool.core.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS context for clients, replaced as a whole by {@link #reload}: a new handshake takes the context in force
 * when it starts, a connected client keeps the one it has. Without {@code ssl}, or with ssl on but no
 * {@code ssl_cert}/{@code ssl_key} (pgpool then answers {@code N} too), there is none.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);

    private final TlsSettings settings;
    private volatile SslContext context;

    private ServerTls(TlsSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    /**
     * The context for these settings. Files that are named but unusable are an error (the start fails, as
     * PostgreSQL's would); ssl on with neither certificate nor key only warns, as in pgpool.
     */
    public static ServerTls create(TlsSettings settings) throws TlsConfigException {
        if (!settings.ssl()) {
            return new ServerTls(settings, null);
        }
        if (settings.cert() == null && settings.key() == null) {
            LOG.warn("ssl = on but ssl_cert and ssl_key are not set: clients asking for TLS are told it is not "
                    + "available; connections to backends still use it");
            return new ServerTls(settings, null);
        }
        SslContext ctx = TlsContexts.server(settings);
        LOG.info("TLS for clients: {} ({}), client certificates {}", settings.cert(), TlsContexts.provider(),
                settings.hasCa() ? "requested and checked against " + caText(settings) : "not requested");
        return new ServerTls(settings, ctx);
    }

    /** No TLS for clients (every SSLRequest is answered {@code N}). */
    public static ServerTls disabled() {
        return new ServerTls(null, null);
    }

    private static String caText(TlsSettings s) {
        return s.caCert() != null ? s.caCert().toString() : s.caCertDir().toString();
    }

    /** Whether an SSLRequest is answered {@code S}. */
    public boolean enabled() {
        return context != null;
    }

    /**
     * A handler for one client connection with the context in force, or empty when TLS is off. It goes in front
     * of the protocol decoder, right after the {@code S} is written.
     */
    public Optional<SslHandler> newHandler(ByteBufAllocator alloc) {
        SslContext ctx = context;
        if (ctx == null) {
            return Optional.empty();
        }
        SslHandler h = ctx.newHandler(alloc);
        SSLEngine engine = h.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(settings.preferServerCiphers());
        engine.setSSLParameters(p);
        return Optional.of(h);
    }

    /**
     * Reads the certificate, key and CA files again (SIGHUP, pcp_reload_config): new handshakes use them,
     * connected clients are not touched. On an error the context in force stays and the error is thrown, for
     * the caller to log. The file names are those of the start ({@code ssl_*} are restart parameters).
     */
    public void reload() throws TlsConfigException {
        if (context == null) {
            return;
        }
        context = TlsContexts.server(settings);
        LOG.info("TLS certificates for clients reloaded from {}", settings.cert());
    }
}
