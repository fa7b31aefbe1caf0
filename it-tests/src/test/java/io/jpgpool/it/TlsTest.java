package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.TestCertificates;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given PostgreSQL with ssl = on and jpgpool with ssl = on (a throwaway CA, backend_sslmode = verify-full): the
 * sessions, the health check and the replication check all reach the primary over TLS, and clients that ask for
 * TLS get it (SEMANTICS §E.6).
 */
class TlsTest {
    static Path certDir;
    static TestCertificates certs;
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() throws Exception {
        certDir = Files.createTempDirectory("jpgpool-tls-");
        certs = TestCertificates.create(certDir);
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).ssl(certs).build());
        jpgpool = JpgpoolFixture.start(cluster,
                "ssl = on",
                "ssl_cert = '" + certs.serverCert() + "'",
                "ssl_key = '" + certs.serverKey() + "'",
                "ssl_ca_cert = '" + certs.caCert() + "'",
                "backend_sslmode = 'verify-full'",
                "backend_weight1 = 0");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool first, then the cluster
        }
        io.jpgpool.it.support.TempDirs.delete(certDir);
    }

    /** pg_stat_ssl rows of the primary's sessions whose application_name is {@code name}: "ssl version". */
    static List<String> sslOfSessions(String name) {
        List<String> rows = new ArrayList<>();
        for (List<String> r : cluster.node(0).query("SELECT s.ssl, coalesce(s.version, '') FROM pg_stat_ssl s "
                + "JOIN pg_stat_activity a USING (pid) WHERE a.application_name = '" + name + "'")) {
            rows.add(r.get(0) + " " + r.get(1));
        }
        return rows;
    }

    @Test
    void aSessionThroughJpgpoolReachesThePrimaryOverTls() throws Exception {
        Properties p = new Properties();
        p.setProperty("ApplicationName", "tls-probe");
        p.setProperty("sslmode", "disable"); // the client side in clear: this is about jpgpool's own connection
        try (Connection c = jpgpool.connect("postgres", p); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE t (x int)"); // keeps the session on the primary
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
                assertThat(r.next()).isTrue();
            }
            assertThat(sslOfSessions("tls-probe")).singleElement().asString().startsWith("t TLSv1.");
        }
    }

    @Test
    void theReplicationCheckUsesTlsToo() {
        // pgjdbc connections of the sr check (application_name jpgpool) stay open between checks
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(sslOfSessions("jpgpool")).isNotEmpty().allMatch(r -> r.startsWith("t TLSv1.")));
    }

    @Test
    void psqlWithSslmodeRequireGetsTls() {
        Commands.Result r = psql("sslmode=require", "-c", "\\conninfo");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("SSL connection (protocol: TLSv1.3");
        Commands.Result full = psql("sslmode=verify-full sslrootcert=" + certs.caCert() + " host=localhost",
                "-At", "-c", "SELECT 42");
        assertThat(full.exitCode()).as(full.stderr()).isZero();
        assertThat(full.stdout().strip()).isEqualTo("42");
    }

    @Test
    void pgjdbcWithVerifyFullAndItsOwnRootCertificate() throws Exception {
        Properties p = new Properties();
        p.setProperty("sslmode", "verify-full");
        p.setProperty("sslrootcert", certs.caCert().toString());
        p.setProperty("ApplicationName", "tls-jdbc");
        try (Connection c = java.sql.DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + jpgpool.port() + "/postgres?user=postgres&password=postgres", p);
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 7")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(7);
        }
        // a root certificate that did not sign jpgpool's: refused
        TestCertificates other = TestCertificates.create(certDir.resolve("other"), "other CA");
        p.setProperty("sslrootcert", other.caCert().toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + jpgpool.port() + "/postgres?user=postgres&password=postgres", p))
                .hasMessageContaining("SSL");
    }

    @Test
    void bytesSentWithTheSslRequestEndThatConnectionOnly() throws Exception {
        try (Connection bystander = jpgpool.connect("postgres"); Statement s = bystander.createStatement()) {
            try (Socket sock = new Socket("127.0.0.1", jpgpool.port())) {
                sock.setSoTimeout(10_000);
                OutputStream out = sock.getOutputStream();
                byte[] req = ByteBuffer.allocate(8 + 16).putInt(8).putInt(80877103).put(new byte[16]).array();
                out.write(req);
                out.flush();
                InputStream in = sock.getInputStream();
                assertThat(in.read()).isEqualTo('S');
                byte[] rest = in.readAllBytes(); // the FATAL in clear, then end of stream
                assertThat(new String(rest, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .contains("received unencrypted data after SSL request");
            }
            try (ResultSet r = s.executeQuery("SELECT 1")) {
                assertThat(r.next()).isTrue();
            }
        }
    }

    /**
     * pool_hba.conf with {@code cert} on hostssl lines only: a certificate whose CN is the user lets it in (psql and
     * pgjdbc), another CN or none is refused with pgpool's error, and in clear text the user has no line at all.
     */
    @Test
    void certAuthenticationAndHostsslLines() throws Exception {
        primary().execute("CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN");
        TestCertificates.Client alice = certs.client("alice");
        try (JpgpoolFixture hba = JpgpoolFixture.prepare(cluster, "ssl = on",
                "ssl_cert = '" + certs.serverCert() + "'", "ssl_key = '" + certs.serverKey() + "'",
                "ssl_ca_cert = '" + certs.caCert() + "'", "backend_weight1 = 0", "enable_pool_hba = on")) {
            Files.writeString(hba.dir().resolve("pool_hba.conf"), String.join("\n",
                    "# TYPE  DATABASE USER       ADDRESS       METHOD",
                    "hostssl all      alice,bob  127.0.0.1/32  cert",
                    "hostnossl all    all        127.0.0.1/32  reject", ""));
            hba.startServer();
            String withCert = "sslmode=require sslcert=" + alice.cert() + " sslkey=" + alice.key();

            Commands.Result in = psql(hba, "alice", withCert, "-At", "-c", "SELECT current_user, ssl FROM "
                    + "pg_stat_ssl WHERE pid = pg_backend_pid()");
            assertThat(in.exitCode()).as(in.all()).isZero();
            assertThat(in.stdout().strip()).isEqualTo("alice|t");

            Commands.Result otherCn = psql(hba, "bob", withCert, "-c", "SELECT 1");
            assertThat(otherCn.exitCode()).isEqualTo(2);
            assertThat(otherCn.stderr()).contains("FATAL:  CERT authentication failed")
                    .contains("no valid certificate presented");

            Commands.Result noCert = psql(hba, "alice", "sslmode=require", "-c", "SELECT 1");
            assertThat(noCert.exitCode()).isEqualTo(2);
            assertThat(noCert.stderr()).contains("FATAL:  CERT authentication failed");

            Commands.Result clear = psql(hba, "alice", "sslmode=disable", "-c", "SELECT 1");
            assertThat(clear.exitCode()).isEqualTo(2);
            assertThat(clear.stderr()).contains("FATAL:  client authentication failed").contains(
                    "no pool_hba.conf entry for host \"127.0.0.1\", user \"alice\", database \"postgres\", SSL off");

            Properties p = new Properties();
            p.setProperty("user", "alice");
            p.setProperty("sslmode", "require");
            p.setProperty("sslcert", alice.cert().toString());
            p.setProperty("sslkey", alice.keyDer().toString());
            try (Connection c = java.sql.DriverManager.getConnection(hba.jdbcUrl("postgres"), p);
                    Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_user")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("alice");
            }
            p.setProperty("user", "bob");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                    hba.jdbcUrl("postgres"), p)).hasMessageContaining("CERT authentication failed");
        }
    }

    private static Commands.Result psql(JpgpoolFixture j, String user, String conninfo, String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("psql"), "-X", "-d",
                "host=127.0.0.1 port=" + j.port() + " user=" + user + " dbname=postgres " + conninfo));
        command.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(60), Map.of("PGCONNECT_TIMEOUT", "10", "PGPASSWORD", "postgres"),
                null, command);
    }

    private static Commands.Result psql(String conninfo, String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("psql"), "-X", "-d",
                "host=127.0.0.1 port=" + jpgpool.port() + " user=postgres dbname=postgres " + conninfo));
        command.addAll(List.of(args));
        return Commands.run(Duration.ofSeconds(60), Map.of("PGCONNECT_TIMEOUT", "10", "PGPASSWORD", "postgres"),
                null, command);
    }

    static PgNode primary() {
        return cluster.node(0);
    }
}
