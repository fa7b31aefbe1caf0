package io.jpgpool.config;

import java.util.Locale;

/**
 * {@code backend_sslmode} (a jpgpool parameter; Pgpool-II 4.3 behaves as {@link #PREFER}): whether jpgpool's own
 * connections to PostgreSQL (sessions, health check, replication check) use TLS, while {@code ssl = on}. The
 * names and meanings are libpq's {@code sslmode}, except that the server certificate is checked against
 * {@code ssl_ca_cert}/{@code ssl_ca_cert_dir} whenever one is set, as pgpool does.
 */
public enum BackendSslMode implements PgpoolEnum {
    /** Never TLS to backends, even with {@code ssl = on}. */
    DISABLE,
    /** TLS when the backend offers it, clear text when it answers {@code N} (Pgpool-II 4.3). */
    PREFER,
    /** TLS or no connection. */
    REQUIRE,
    /** TLS with a certificate signed by {@code ssl_ca_cert}/{@code ssl_ca_cert_dir}. */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and the certificate names {@code backend_hostnameN}. */
    VERIFY_FULL;

    @Override
    public String pgpoolName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether a backend that answers {@code N} to the SSLRequest is refused. */
    public boolean required() {
        return compareTo(REQUIRE) >= 0;
    }

    /** Whether the certificate must be signed by a configured CA. */
    public boolean verifiesCertificate() {
        return compareTo(VERIFY_CA) >= 0;
    }

    public boolean verifiesHostName() {
        return this == VERIFY_FULL;
    }
}
