package io.jpgpool.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a client's TLS connection tells the session once the StartupMessage has arrived (the handshake is done by
 * then): whether there is TLS at all (pool_hba's hostssl/hostnossl) and the CN of a verified client certificate
 * (pool_hba's {@code cert}, pgpool's fetch_pool_ssl_cert / authenticate_frontend_cert).
 */
public final class ClientTls {
    /** pgpool's error for {@code cert} without a fitting certificate. */
    public static final String CERT_FAILED_MESSAGE = "CERT authentication failed";
    public static final String CERT_FAILED_DETAIL = "no valid certificate presented";

    private ClientTls() {
    }

    /** Whether this client connection is TLS (its handshake done). */
    public static boolean isTls(Channel client) {
        return session(client).isPresent();
    }

    /** The TLS session of a client connection, if it has one. */
    public static Optional<SSLSession> session(Channel client) {
        SslHandler h = client.pipeline().get(SslHandler.class);
        if (h == null || !h.handshakeFuture().isSuccess()) {
            return Optional.empty();
        }
        return Optional.of(h.engine().getSession());
    }

    /**
     * The common name of the client's certificate. Only a certificate that verified against ssl_ca_cert gets this
     * far: a bad one fails the handshake. Empty without TLS, without a certificate or without a CN; with several
     * CNs the first, as OpenSSL's X509_NAME_get_text_by_NID.
     */
    public static Optional<String> peerCommonName(Channel client) {
        return session(client).flatMap(ClientTls::commonName);
    }

    static Optional<String> commonName(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate x)) {
                return Optional.empty();
            }
            return commonName(x);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // no certificate presented
        }
    }

    static Optional<String> commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * pool_hba's {@code cert}: the certificate's CN equals the user, ignoring case (pgpool's strcasecmp). False
     * means FATAL {@link #CERT_FAILED_MESSAGE} / {@link #CERT_FAILED_DETAIL}.
     */
    public static boolean certificateMatchesUser(Optional<String> commonName, String user) {
        return commonName.map(cn -> cn.toLowerCase(Locale.ROOT).equals(user.toLowerCase(Locale.ROOT)))
                .orElse(false);
    }

    /** Protocol and cipher of a client connection, for logs ({@code TLSv1.3 TLS_AES_128_GCM_SHA256}). */
    public static Optional<String> describe(Channel client) {
        return session(client).map(s -> s.getProtocol() + " " + s.getCipherSuite());
    }
}
