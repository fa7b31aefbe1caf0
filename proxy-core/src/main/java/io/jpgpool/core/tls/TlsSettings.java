package io.jpgpool.core.tls;

import io.jpgpool.config.BackendSslMode;
import io.jpgpool.config.PgpoolConfig;
import java.nio.file.Path;

/**
 * The ssl_* parameters (SEMANTICS §E.6) with their files resolved beside pgpool.conf; null where unset.
 *
 * @param ssl                 {@code ssl}
 * @param cert                {@code ssl_cert}
 * @param key                 {@code ssl_key}
 * @param caCert              {@code ssl_ca_cert}
 * @param caCertDir           {@code ssl_ca_cert_dir}
 * @param crlFile             {@code ssl_crl_file}
 * @param ciphers             {@code ssl_ciphers} (OpenSSL syntax)
 * @param preferServerCiphers {@code ssl_prefer_server_ciphers}
 * @param ecdhCurve           {@code ssl_ecdh_curve}
 * @param dhParamsFile        {@code ssl_dh_params_file}
 * @param passphraseCommand   {@code ssl_passphrase_command}, empty for none
 * @param backendMode         {@code backend_sslmode}, {@link BackendSslMode#DISABLE} while ssl is off
 */
public record TlsSettings(boolean ssl, Path cert, Path key, Path caCert, Path caCertDir, Path crlFile, String ciphers,
        boolean preferServerCiphers, String ecdhCurve, Path dhParamsFile, String passphraseCommand,
        BackendSslMode backendMode) {

    public static TlsSettings of(PgpoolConfig c) {
        return new TlsSettings(c.ssl(), c.sslCert().orElse(null), c.sslKey().orElse(null),
                c.sslCaCert().orElse(null), c.sslCaCertDir().orElse(null), c.sslCrlFile().orElse(null),
                c.sslCiphers(), c.sslPreferServerCiphers(), c.sslEcdhCurve(), c.sslDhParamsFile().orElse(null),
                c.sslPassphraseCommand(), c.backendSslMode());
    }

    /** Whether any CA is configured: then peers' certificates are checked (clients' and backends'). */
    public boolean hasCa() {
        return caCert != null || caCertDir != null;
    }
}
