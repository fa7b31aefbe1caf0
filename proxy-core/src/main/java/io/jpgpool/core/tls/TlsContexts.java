package io.jpgpool.core.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds Netty {@link SslContext}s from the ssl_* parameters: BoringSSL (netty-tcnative) when it loads, which is
 * faster at handshakes and bulk encryption and honours {@code ssl_ecdh_curve}; the JDK's provider otherwise, or
 * with {@code -Djpgpool.tls.provider=jdk}. TLS 1.2 and 1.3 only, as PostgreSQL's default minimum.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {
    }

    /** The provider contexts are built with. */
    public static SslProvider provider() {
        String forced = System.getProperty("jpgpool.tls.provider", "");
        if (forced.equalsIgnoreCase("jdk")) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * The context for clients: {@code ssl_cert} and {@code ssl_key}; with a CA configured, clients are asked for
     * a certificate, which must then verify (pgpool: SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE), but may be absent.
     */
    public static SslContext server(TlsSettings s) throws TlsConfigException {
        if (s.cert() == null || s.key() == null) {
            throw new TlsConfigException("ssl_cert and ssl_key must both be set");
        }
        List<X509Certificate> chain = TlsFiles.certificates(s.cert(), "server certificate file");
        PrivateKey key = TlsFiles.privateKey(s.key(), s.passphraseCommand());
        TlsFiles.checkKeyMatches(key, chain.get(0), s.key());
        if (s.dhParamsFile() != null) {
            TlsFiles.checkDhParams(s.dhParamsFile());
        }
        SslProvider provider = provider();
        List<String> ciphers;
        try {
            ciphers = CipherList.select(s.ciphers(), availableCiphers(provider));
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException("ssl_ciphers: " + e.getMessage(), e);
        }
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                .ciphers(ciphers);
        if (s.hasCa()) {
            b.trustManager(TlsFiles.trust(s.caCert(), s.caCertDir(), s.crlFile())).clientAuth(ClientAuth.OPTIONAL);
        }
        curve(b, provider, s.ecdhCurve());
        return build(b, "server");
    }

    /**
     * The context for backends: no client certificate (pgpool sends none); the server certificate is checked
     * against the configured CA when there is one, else accepted as it comes (libpq's prefer/require).
     */
    public static SslContext backend(TlsSettings s) throws TlsConfigException {
        SslProvider provider = provider();
        // Netty 4.2 checks host names by default; only verify-full does (BackendTls sets it per connection)
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider).protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm(null)
                .trustManager(s.hasCa() ? TlsFiles.trust(s.caCert(), s.caCertDir(), s.crlFile())
                        : InsecureTrustManagerFactory.INSTANCE);
        return build(b, "backend");
    }

    private static SslContext build(SslContextBuilder b, String what) throws TlsConfigException {
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsConfigException("could not create SSL context for " + what + " connections: "
                    + TlsFiles.reason(e), e);
        }
    }

    /** pgpool sets the one curve of ssl_ecdh_curve (SSL_CTX_set_tmp_ecdh); Java 17 cannot per context. */
    private static void curve(SslContextBuilder b, SslProvider provider, String curve) {
        String group = switch (curve.toLowerCase(Locale.ROOT)) {
            case "prime256v1", "secp256r1", "p-256" -> "P-256";
            case "secp384r1", "p-384" -> "P-384";
            case "secp521r1", "p-521" -> "P-521";
            case "x25519" -> "X25519";
            case "x448" -> "X448";
            default -> null; // PgpoolConfig refuses other names
        };
        if (provider == SslProvider.OPENSSL && group != null) {
            b.option(OpenSslContextOption.GROUPS, new String[] {group});
        } else if (!curve.equalsIgnoreCase("prime256v1")) {
            LOG.info("ssl_ecdh_curve = '{}' is not applied with the JDK's TLS provider; it offers its default curves",
                    curve);
        }
    }

    /** The suites a provider supports, in its order of preference (Java names). */
    static List<String> availableCiphers(SslProvider provider) throws TlsConfigException {
        if (provider == SslProvider.OPENSSL) {
            return new ArrayList<>(OpenSsl.availableJavaCipherSuites());
        }
        try {
            return List.of(SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new TlsConfigException("no TLS provider: " + e.getMessage(), e);
        }
    }
}
