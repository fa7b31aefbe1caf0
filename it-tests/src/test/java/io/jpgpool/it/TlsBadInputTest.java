package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.TestCertificates;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * While pgbench clients read through two jpgpools, one with TLS (pgbench over TLS too, authentication_timeout =
 * 3 s) and one without, other clients break the TLS negotiation every way they can: each of those connections
 * ends, by a FATAL error or by being closed, and pgbench sees no failed transaction on either.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsBadInputTest {
    private static final int AUTH_TIMEOUT_SECONDS = 3;
    private static final int SSL_REQUEST_CODE = 80877103;

    static Path certDir;
    static TestCertificates certs;
    static PgCluster cluster;
    static JpgpoolFixture tls;
    static JpgpoolFixture plain;
    static CompletableFuture<Commands.Result> pgbenchTls;
    static CompletableFuture<Commands.Result> pgbenchPlain;

    @BeforeAll
    static void startLoad() throws IOException {
        certDir = Files.createTempDirectory("jpgpool-tls-bad-");
        certs = TestCertificates.create(certDir);
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(0).build());
        PgNode primary = cluster.primary();
        Commands.Result init = Commands.run(Duration.ofSeconds(60), Map.of(), Commands.pgTool("pgbench"), "-i", "-q",
                "-s", "1", "-h", primary.host(), "-p", String.valueOf(primary.port()), "-U", "postgres", "postgres");
        assertThat(init.exitCode()).as(init.all()).isZero();
        tls = JpgpoolFixture.start(cluster, "ssl = on", "ssl_cert = '" + certs.serverCert() + "'",
                "ssl_key = '" + certs.serverKey() + "'", "ssl_ca_cert = '" + certs.caCert() + "'",
                "authentication_timeout = " + AUTH_TIMEOUT_SECONDS);
        plain = JpgpoolFixture.start(cluster);
        pgbenchTls = pgbench(tls, "require");
        pgbenchPlain = pgbench(plain, "disable");
        await().atMost(Duration.ofSeconds(20)).until(() -> pgbenchTls.isDone() || pgbenchPlain.isDone()
                || tls.server().runtime().sessions().connectedClients() >= 4
                        && plain.server().runtime().sessions().connectedClients() >= 4);
    }

    private static CompletableFuture<Commands.Result> pgbench(JpgpoolFixture j, String sslmode) {
        return CompletableFuture.supplyAsync(() -> Commands.run(Duration.ofSeconds(60),
                Map.of("PGSSLMODE", sslmode, "PGPASSWORD", "postgres"), Commands.pgTool("pgbench"), "-n", "-S",
                "-c", "4", "-j", "2", "-T", "15", "-h", j.host(), "-p", String.valueOf(j.port()), "-U", "postgres",
                "postgres"));
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture t = tls; JpgpoolFixture p = plain) {
            if (pgbenchTls != null) {
                pgbenchTls.join();
            }
            if (pgbenchPlain != null) {
                pgbenchPlain.join();
            }
        }
        io.jpgpool.it.support.TempDirs.delete(certDir);
    }

    @Test
    @Order(1)
    void randomBytesAfterTheSslRequestEndThatConnection() throws Exception {
        byte[] junk = new byte[300];
        new SecureRandom().nextBytes(junk);
        try (Socket s = connect(tls)) {
            sslRequest(s);
            assertThat(s.getInputStream().read()).isEqualTo('S');
            s.getOutputStream().write(junk);
            s.getOutputStream().flush();
            assertEndsWithin(s, Duration.ofSeconds(AUTH_TIMEOUT_SECONDS + 5));
        }
    }

    @Test
    @Order(2)
    void aTlsClientHelloToAJpgpoolWithoutTlsGetsAFatalError() throws Exception {
        try (Socket s = connect(plain)) {
            s.getOutputStream().write(clientHello());
            s.getOutputStream().flush();
            String answer = new String(assertEndsWithin(s, Duration.ofSeconds(10)), StandardCharsets.ISO_8859_1);
            assertThat(answer).contains("FATAL").contains("08P01").contains("invalid length of startup packet");
        }
        try (Socket s = connect(plain)) {
            sslRequest(s);
            assertThat(s.getInputStream().read()).as("TLS is off: no").isEqualTo('N');
            s.getOutputStream().write(clientHello());
            s.getOutputStream().flush();
            String answer = new String(assertEndsWithin(s, Duration.ofSeconds(10)), StandardCharsets.ISO_8859_1);
            assertThat(answer).contains("08P01");
        }
    }

    @Test
    @Order(3)
    void aHandshakeThatStopsHalfWayEndsWhenAuthenticationTimeoutIsUp() throws Exception {
        byte[] hello = clientHello();
        try (Socket s = connect(tls)) {
            sslRequest(s);
            assertThat(s.getInputStream().read()).isEqualTo('S');
            s.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            assertEndsWithin(s, Duration.ofSeconds(AUTH_TIMEOUT_SECONDS + 5));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // jpgpool's authentication_timeout ends it, not Netty's handshake timeout of 10 s
            assertThat(took).isBetween(Duration.ofSeconds(AUTH_TIMEOUT_SECONDS - 1),
                    Duration.ofSeconds(AUTH_TIMEOUT_SECONDS + 4));
        }
        try (Socket s = connect(tls)) {
            sslRequest(s);
            assertThat(s.getInputStream().read()).isEqualTo('S');
            assertEndsWithin(s, Duration.ofSeconds(AUTH_TIMEOUT_SECONDS + 5)); // and one that never starts it
        }
    }

    @Test
    @Order(4)
    void aClientCertificateOfAnotherAuthorityFailsTheHandshakeOfThatClientOnly() throws Exception {
        TestCertificates other = TestCertificates.create(certDir.resolve("other"), "other CA");
        TestCertificates.Client stranger = other.client("postgres");
        // psql (libpq) sends its certificate whatever authorities the server names; pgjdbc would keep it back
        Commands.Result r = Commands.run(Duration.ofSeconds(30), Map.of("PGCONNECT_TIMEOUT", "10",
                "PGPASSWORD", "postgres"), Commands.pgTool("psql"), "-X", "-At", "-d", "host=" + tls.host() + " port="
                + tls.port() + " user=postgres dbname=postgres sslmode=require sslcert=" + stranger.cert()
                + " sslkey=" + stranger.key(), "-c", "SELECT 1");
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("SSL error"); // BoringSSL's alert says "internal error", not "unknown ca"
    }

    @Test
    @Order(5)
    void everyoneElseCarriedOn() throws Exception {
        for (JpgpoolFixture j : new JpgpoolFixture[] {tls, plain}) {
            try (Connection c = j.connect("postgres"); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT 1")) {
                assertThat(r.next()).isTrue();
            }
        }
        for (CompletableFuture<Commands.Result> f : java.util.List.of(pgbenchTls, pgbenchPlain)) {
            Commands.Result r = f.join();
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).contains("number of failed transactions: 0 ");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Socket connect(JpgpoolFixture j) throws IOException {
        Socket s = new Socket(j.host(), j.port());
        s.setSoTimeout(1000);
        return s;
    }

    private static void sslRequest(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array());
        out.flush();
    }

    /** Reads until the server closes the connection; what it sent. Fails if it is still open after {@code max}. */
    private static byte[] assertEndsWithin(Socket s, Duration max) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + max.toNanos();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    return got.toByteArray();
                }
                got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                assertThat(System.nanoTime()).as("the connection is still open after %s", max).isLessThan(deadline);
            } catch (java.net.SocketException e) {
                return got.toByteArray(); // reset by the server: ended too
            }
        }
    }

    /** A real TLS ClientHello record, from the JDK's TLS client. */
    private static byte[] clientHello() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        SSLEngine engine = ctx.createSSLEngine("localhost", 5432);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }
}
