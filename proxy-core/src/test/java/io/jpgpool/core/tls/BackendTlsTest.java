package io.jpgpool.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.TestCertificates;
import io.jpgpool.config.BackendSslMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jpgpool's SSLRequest to a backend and what it does with S, N or anything else (backend_sslmode). */
class BackendTlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;
    static TestCertificates otherCa;

    @BeforeAll
    static void setUp() {
        certs = TestCertificates.create(dir.resolve("ca"));
        otherCa = TestCertificates.create(dir.resolve("other"), "another CA");
    }

    /** A client channel that swallows the errors the negotiation reports through its future. */
    static EmbeddedChannel backendChannel() {
        return new EmbeddedChannel(TlsTestSupport.closeOnError());
    }

    static CompletableFuture<Void> start(EmbeddedChannel ch, BackendSslMode mode, boolean withCa, String host)
            throws Exception {
        BackendTls tls = BackendTls.create(TlsTestSupport.backend(certs, mode, withCa));
        CompletableFuture<Void> f = tls.negotiate(ch, host, 5432, false);
        ByteBuf req = ch.readOutbound();
        assertThat(req.readInt()).isEqualTo(8);
        assertThat(req.readInt()).isEqualTo(80877103);
        req.release();
        return f;
    }

    static String reason(CompletableFuture<Void> f) {
        assertThat(f).isCompletedExceptionally();
        return f.handle((v, e) -> e.getMessage()).join();
    }

    /** A PostgreSQL-like server side after it answered S: its certificate is that of {@code ca}. */
    static EmbeddedChannel tlsServer(TestCertificates ca) throws Exception {
        SslHandler h = ServerTls.create(TlsTestSupport.server(ca, false)).newHandler(ByteBufAllocator.DEFAULT)
                .orElseThrow();
        return new EmbeddedChannel(h, TlsTestSupport.closeOnError());
    }

    @Test
    void preferContinuesInClearTextOnNAndRequireRefuses() throws Exception {
        EmbeddedChannel ch = backendChannel();
        CompletableFuture<Void> f = start(ch, BackendSslMode.PREFER, false, "db");
        assertThat(f).isNotDone();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'N'}));
        assertThat(f).isCompleted();
        assertThat(ch.pipeline().get(BackendTls.NEGOTIATION_NAME)).isNull();

        EmbeddedChannel strict = backendChannel();
        CompletableFuture<Void> g = start(strict, BackendSslMode.REQUIRE, false, "db");
        strict.writeInbound(Unpooled.wrappedBuffer(new byte[] {'N'}));
        assertThat(reason(g)).isEqualTo("server does not support SSL, but SSL was required");
    }

    @Test
    void anythingButSOrNAndClearBytesAfterSAreRefused() throws Exception {
        EmbeddedChannel ch = backendChannel();
        CompletableFuture<Void> f = start(ch, BackendSslMode.PREFER, false, "db");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'E', 0, 0}));
        assertThat(reason(f)).isEqualTo("received invalid response to SSL negotiation: E");

        EmbeddedChannel mitm = backendChannel();
        CompletableFuture<Void> g = start(mitm, BackendSslMode.PREFER, false, "db");
        mitm.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S', 'R', 0, 0, 0, 8}));
        assertThat(reason(g)).isEqualTo("received unencrypted data after SSL request");

        EmbeddedChannel gone = backendChannel();
        CompletableFuture<Void> h = start(gone, BackendSslMode.PREFER, false, "db");
        gone.close();
        assertThat(reason(h)).contains("closed the connection unexpectedly");
    }

    @Test
    void sStartsTheHandshakeAndTheStartupMayFollow() throws Exception {
        EmbeddedChannel ch = backendChannel();
        CompletableFuture<Void> f = start(ch, BackendSslMode.REQUIRE, false, "db.example");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));
        // without a CA the certificate is taken as it comes (libpq's require), whatever it names
        TlsTestSupport.pump(ch, tlsServer(otherCa));
        assertThat(f).isCompleted();
        assertThat(ch.pipeline().first()).isInstanceOf(SslHandler.class);
    }

    @Test
    void withACaTheChainIsCheckedAndVerifyFullChecksTheHostName() throws Exception {
        EmbeddedChannel good = backendChannel();
        CompletableFuture<Void> f = start(good, BackendSslMode.VERIFY_CA, true, "db.example");
        good.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));
        TlsTestSupport.pump(good, tlsServer(certs));
        assertThat(f).as("verify-ca does not look at the name").isCompleted();

        EmbeddedChannel foreign = backendChannel();
        CompletableFuture<Void> g = start(foreign, BackendSslMode.PREFER, true, "localhost");
        foreign.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));
        TlsTestSupport.pump(foreign, tlsServer(otherCa));
        assertThat(reason(g)).as("pgpool 4.3: a configured CA is checked even in prefer").startsWith("SSL error");

        EmbeddedChannel named = backendChannel();
        CompletableFuture<Void> h = start(named, BackendSslMode.VERIFY_FULL, true, "localhost");
        named.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));
        TlsTestSupport.pump(named, tlsServer(certs));
        assertThat(h).isCompleted();

        EmbeddedChannel misnamed = backendChannel();
        CompletableFuture<Void> i = start(misnamed, BackendSslMode.VERIFY_FULL, true, "db.example");
        misnamed.writeInbound(Unpooled.wrappedBuffer(new byte[] {'S'}));
        TlsTestSupport.pump(misnamed, tlsServer(certs));
        assertThat(reason(i)).startsWith("SSL error");
    }

    @Test
    void noTlsOverUnixSocketsOrWhenDisabled() throws Exception {
        BackendTls tls = BackendTls.create(TlsTestSupport.backend(certs, BackendSslMode.REQUIRE, false));
        EmbeddedChannel ch = backendChannel();
        assertThat(tls.negotiate(ch, "/tmp", 5432, true)).isCompleted();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(BackendTls.disabled().negotiate(ch, "db", 5432, false)).isCompleted();
        assertThat((Object) ch.readOutbound()).isNull();
    }

    @Test
    void pgjdbcGetsTheSamePolicy() throws Exception {
        Properties off = BackendTls.disabled().jdbcProperties(new Properties());
        assertThat(off.getProperty("sslmode")).isEqualTo("disable");
        assertThat(off.getProperty("sslfactory")).isNull();
        Properties full = BackendTls.create(TlsTestSupport.backend(certs, BackendSslMode.VERIFY_FULL, true))
                .jdbcProperties(new Properties());
        assertThat(full.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(full.getProperty("sslfactory")).isEqualTo(JdbcSslFactory.class.getName());
        assertThat(full.getProperty(JdbcSslFactory.CA_FILE)).isEqualTo(certs.caCert().toString());
        assertThat(new JdbcSslFactory(full).getDefaultCipherSuites()).isNotEmpty();
    }
}
