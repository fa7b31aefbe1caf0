package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ssl_* parameters, backend_sslmode and enable_pool_hba as typed settings (SEMANTICS §E.3, §E.6). */
class SslSettingsTest {

    @Test
    void filesAreResolvedBesidePgpoolConf(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, """
                ssl = on
                ssl_cert = 'server.crt'
                ssl_key = '/etc/keys/server.key'
                ssl_ca_cert = ''
                enable_pool_hba = on
                """);
        PgpoolConfig c = PgpoolConfig.load(conf);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.enablePoolHba()).isTrue();
        assertThat(c.ssl()).isTrue();
        assertThat(c.sslCert()).contains(dir.toAbsolutePath().resolve("server.crt"));
        assertThat(c.sslKey()).contains(Path.of("/etc/keys/server.key"));
        assertThat(c.sslCaCert()).isEmpty();
        assertThat(c.enablePoolHba()).isTrue();
        assertThat(c.defaultPoolHbaFile()).isEqualTo(dir.toAbsolutePath().resolve("pool_hba.conf"));
        assertThat(c.backendSslMode()).isEqualTo(BackendSslMode.PREFER);
    }

    @Test
    void defaultsAreThoseOfPgpool() {
        PgpoolConfig c = PgpoolConfig.defaults();
        assertThat(c.ssl()).isFalse();
        assertThat(c.sslCiphers()).isEqualTo("HIGH:MEDIUM:+3DES:!aNULL");
        assertThat(c.sslEcdhCurve()).isEqualTo("prime256v1");
        assertThat(c.sslPreferServerCiphers()).isFalse();
        // ssl = off: no TLS to backends whatever backend_sslmode says
        assertThat(c.backendSslMode()).isEqualTo(BackendSslMode.DISABLE);
        assertThat(c.format("backend_sslmode")).isEqualTo("prefer");
    }

    @Test
    void backendSslModeTakesLibpqsNames() throws Exception {
        PgpoolConfig c = PgpoolConfig.builder().set("ssl", "on").set("ssl_ca_cert", "ca.crt")
                .set("backend_sslmode", "verify-full").build();
        assertThat(c.backendSslMode()).isEqualTo(BackendSslMode.VERIFY_FULL);
        assertThat(c.backendSslMode().verifiesHostName()).isTrue();
        assertThat(PgpoolConfig.builder().set("ssl", "on").set("backend_sslmode", "REQUIRE").build()
                .backendSslMode().required()).isTrue();
    }

    @Test
    void impossibleTlsSettingsStopTheStart() {
        assertThatThrownBy(() -> PgpoolConfig.parse("pgpool.conf", "backend_sslmode = require\n"))
                .hasMessage("pgpool.conf:1: backend_sslmode: invalid value \"require\": TLS to backends needs ssl = on");
        assertThatThrownBy(() -> PgpoolConfig.parse("pgpool.conf", "ssl = on\nbackend_sslmode = verify-ca\n"))
                .hasMessage("pgpool.conf:2: backend_sslmode: invalid value \"verify-ca\": verifying backend "
                        + "certificates needs ssl_ca_cert or ssl_ca_cert_dir");
        assertThatThrownBy(() -> PgpoolConfig.parse("pgpool.conf", "backend_sslmode = sometimes\n"))
                .hasMessageContaining("must be one of disable, prefer, require, verify-ca, verify-full");
        assertThatThrownBy(() -> PgpoolConfig.parse("pgpool.conf", "ssl_ecdh_curve = 'brainpool'\n"))
                .hasMessageStartingWith("pgpool.conf:1: ssl_ecdh_curve: invalid value \"brainpool\": ECDH: "
                        + "unrecognized curve name");
    }
}
