package io.jpgpool.core.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The {@code sslfactory} jpgpool gives pgpool's checks (health check, replication check): TLS with the CA of
 * {@code ssl_ca_cert}/{@code ssl_ca_cert_dir} when one is set, else without verification (libpq's prefer and
 * require). pgjdbc instantiates it with the connection properties; host names are checked by pgjdbc itself
 * for {@code sslmode=verify-full}.
 */
public final class JdbcSslFactory extends SSLSocketFactory {
    static final String CA_FILE = "jpgpool.sslcafile";
    static final String CA_DIR = "jpgpool.sslcadir";
    static final String CRL_FILE = "jpgpool.sslcrlfile";
    private static final ConcurrentHashMap<String, SSLSocketFactory> FACTORIES = new ConcurrentHashMap<>();

    private final SSLSocketFactory delegate;

    /** Called by pgjdbc. */
    public JdbcSslFactory(Properties info) throws GeneralSecurityException {
        String key = info.getProperty(CA_FILE, "") + '\0' + info.getProperty(CA_DIR, "") + '\0'
                + info.getProperty(CRL_FILE, "");
        try {
            delegate = FACTORIES.computeIfAbsent(key, k -> build(info));
        } catch (IllegalStateException e) {
            throw new GeneralSecurityException(e.getMessage(), e.getCause());
        }
    }

    /** Writes the trust settings into pgjdbc properties (strings only survive pgjdbc's copy). */
    static void describe(TlsSettings s, Properties p) {
        if (s.caCert() != null) {
            p.setProperty(CA_FILE, s.caCert().toString());
        }
        if (s.caCertDir() != null) {
            p.setProperty(CA_DIR, s.caCertDir().toString());
        }
        if (s.crlFile() != null) {
            p.setProperty(CRL_FILE, s.crlFile().toString());
        }
    }

    private static SSLSocketFactory build(Properties info) {
        Path ca = path(info, CA_FILE);
        Path dir = path(info, CA_DIR);
        try {
            TrustManagerFactory tmf = ca == null && dir == null
                    ? io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE
                    : TlsFiles.trust(ca, dir, path(info, CRL_FILE));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (TlsConfigException | GeneralSecurityException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Path path(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    /** Forgets the trust material read so far (certificates re-read on reload). */
    public static void reload() {
        FACTORIES.clear();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return delegate.createSocket(s, host, port, autoClose);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return delegate.createSocket(address, port, localAddress, localPort);
    }
}
