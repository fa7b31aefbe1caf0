package io.jpgpool.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.cluster.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Server and backend contexts from the ssl_* files, in pgpool's and PostgreSQL's words when they are wrong. */
class TlsContextsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create(dir.resolve("ca"));
    }

    @AfterEach
    void defaultProvider() {
        System.clearProperty("jpgpool.tls.provider");
    }

    @Test
    void boringSslLoadsOnThisMachine() {
        assertThat(TlsContexts.provider()).isEqualTo(SslProvider.OPENSSL);
        System.setProperty("jpgpool.tls.provider", "jdk");
        assertThat(TlsContexts.provider()).isEqualTo(SslProvider.JDK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void serverContextsFromPkcs8AndPkcs1KeysWithBothProviders(String provider) throws Exception {
        System.setProperty("jpgpool.tls.provider", provider);
        SslContext pkcs8 = TlsContexts.server(TlsTestSupport.server(certs, true));
        assertThat(pkcs8.isServer()).isTrue();
        assertThat(pkcs8.cipherSuites()).contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        SslContext pkcs1 = TlsContexts.server(TlsTestSupport.withKey(TlsTestSupport.server(certs, false),
                certs.serverKeyPkcs1(), ""));
        assertThat(pkcs1.isServer()).isTrue();
        assertThat(TlsContexts.backend(TlsTestSupport.backend(certs,
                io.jpgpool.config.BackendSslMode.VERIFY_CA, true)).isClient()).isTrue();
    }

    @Test
    void anEncryptedKeyNeedsThePassphraseCommand() throws Exception {
        Path enc = certs.serverKeyEncrypted("s3cret");
        TlsSettings base = TlsTestSupport.server(certs, false);
        assertThat(TlsContexts.server(TlsTestSupport.withKey(base, enc, "echo s3cret")).isServer()).isTrue();
        assertThat(TlsContexts.server(TlsTestSupport.withKey(base, enc, "test '%p' = '"
                + TlsFiles.PASSPHRASE_PROMPT + "' && echo s3cret")).isServer()).isTrue();
        assertThatThrownBy(() -> TlsContexts.server(TlsTestSupport.withKey(base, enc, "")))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage("private key file \"" + enc + "\" cannot be reloaded because it requires a passphrase "
                        + "(set ssl_passphrase_command)");
        assertThatThrownBy(() -> TlsContexts.server(TlsTestSupport.withKey(base, enc, "echo wrong")))
                .hasMessageStartingWith("could not load private key file \"" + enc + "\": ");
        assertThatThrownBy(() -> TlsContexts.server(TlsTestSupport.withKey(base, enc, "exit 3")))
                .hasMessage("command \"exit 3\" failed");
    }

    @Test
    void badFilesAreNamedInTheError() throws Exception {
        TlsSettings base = TlsTestSupport.server(certs, false);
        Path missing = dir.resolve("nope.crt");
        assertThatThrownBy(() -> TlsContexts.server(new TlsSettings(true, missing, certs.serverKey(), null, null,
                null, "HIGH", false, "prime256v1", null, "", base.backendMode())))
                .hasMessage("could not load server certificate file \"" + missing + "\": No such file or directory");
        Path garbage = Files.writeString(dir.resolve("garbage.key"), "not a key\n");
        Files.setPosixFilePermissions(garbage, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> TlsContexts.server(TlsTestSupport.withKey(base, garbage, "")))
                .hasMessage("could not load private key file \"" + garbage + "\": no private key found");
        // another key than the certificate's
        TestCertificates other = TestCertificates.create(dir.resolve("other"), "other CA");
        assertThatThrownBy(() -> TlsContexts.server(TlsTestSupport.withKey(base, other.serverKey(), "")))
                .hasMessageStartingWith("check of private key failed");
        assertThatThrownBy(() -> TlsContexts.server(new TlsSettings(true, certs.serverCert(), certs.serverKey(),
                null, null, null, "RC4", false, "prime256v1", null, "", base.backendMode())))
                .hasMessage("ssl_ciphers: could not set the cipher list (no valid ciphers available): \"RC4\"");
        assertThatThrownBy(() -> TlsContexts.server(new TlsSettings(true, certs.serverCert(), certs.serverKey(),
                null, null, null, "HIGH", false, "prime256v1", certs.serverCert(), "", base.backendMode())))
                .hasMessageContaining("could not load DH parameters file");
    }

    @Test
    void sslOnWithoutCertificatesAnswersNButAHalfConfiguredOneIsAnError() throws Exception {
        TlsSettings none = new TlsSettings(true, null, null, null, null, null, "HIGH", false, "prime256v1", null, "",
                io.jpgpool.config.BackendSslMode.PREFER);
        assertThat(ServerTls.create(none).enabled()).isFalse();
        TlsSettings half = new TlsSettings(true, certs.serverCert(), null, null, null, null, "HIGH", false,
                "prime256v1", null, "", io.jpgpool.config.BackendSslMode.PREFER);
        assertThatThrownBy(() -> ServerTls.create(half)).hasMessage("ssl_cert and ssl_key must both be set");
        assertThat(ServerTls.create(TlsTestSupport.server(certs, false)).enabled()).isTrue();
    }
}
