package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.TestCertificates;
import io.jpgpool.config.PgpoolKey;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.protocol.auth.Md5Auth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way in with {@code enable_pool_hba = on}, after Pgpool-II's own 040.client_auth test: one user per cell of
 * pool_hba method x what pool_passwd holds x the backends' pg_hba method, all in one cluster (PostgreSQL with
 * TLS) and one jpgpool with {@code num_init_children = 1}, so that a second login certainly reuses the pooled
 * connection the first left. Each cell is tried with the wrong and the right credential, on a first login and on
 * a reuse; it connects or is refused as Pgpool-II 4.3 does (SEMANTICS E.3, E.4), with two exceptions marked
 * below where jpgpool keeps the clear-text password pgpool throws away.
 */
class PoolHbaMatrixTest {
    private static final String DB = "test";
    private static final PgpoolKey KEY = PgpoolKey.of("matrix test key");

    enum Hba { TRUST, REJECT, PASSWORD, MD5, SCRAM, CERT }

    enum Entry { AES, MD5, TEXT, NONE }

    enum Backend { TRUST, MD5, SCRAM, PASSWORD, CERT }

    /** Connects, or is refused with this SQLSTATE and a message starting so. */
    record Expect(String sqlState, String message) {
        static final Expect IN = new Expect(null, null);

        static Expect refused(String sqlState, String message) {
            return new Expect(sqlState, message);
        }

        @Override
        public String toString() {
            return sqlState == null ? "in" : "refused " + sqlState;
        }
    }

    private static final Expect REJECTED = Expect.refused("28000", "client authentication failed");
    private static final Expect WRONG_PASSWORD = Expect.refused("28P01", "password authentication failed for user");
    private static final Expect NO_CLIENT_CERT = Expect.refused("28000", "connection requires a valid client cert");
    private static final Expect CERT_FAILED = Expect.refused("28000", "CERT authentication failed");

    record Cell(Hba hba, Entry entry, Backend backend) {
        String user() {
            return (hba + "_" + entry + "_" + backend).toLowerCase(Locale.ROOT);
        }

        String password() {
            return user() + "_pw";
        }

        /** The right password (or certificate) for this user. */
        Expect right() {
            return switch (hba) {
                case REJECT -> REJECTED;
                case TRUST, CERT -> withPoolPasswd();
                // pgpool 4.3 refuses password + md5 entry with a SCRAM or password backend (its get_auth_password
                // prefers the md5 hash); jpgpool has checked the typed password against the hash and sends it
                case PASSWORD -> backend == Backend.CERT ? NO_CLIENT_CERT : Expect.IN;
                case MD5 -> entry == Entry.NONE ? WRONG_PASSWORD : withPoolPasswd();
                case SCRAM -> entry == Entry.NONE || entry == Entry.MD5 ? WRONG_PASSWORD : withPoolPasswd();
            };
        }

        /** A wrong password, or a certificate of another user. */
        Expect wrong() {
            return switch (hba) {
                case REJECT -> REJECTED;
                case TRUST -> right(); // nothing is asked
                case CERT -> CERT_FAILED;
                case PASSWORD -> entry != Entry.NONE ? WRONG_PASSWORD : switch (backend) {
                    case TRUST -> Expect.IN; // nobody checks it: the backend trusts the user
                    case CERT -> NO_CLIENT_CERT;
                    default -> WRONG_PASSWORD; // the backend's own refusal
                };
                case MD5, SCRAM -> WRONG_PASSWORD;
            };
        }

        /** The client is in: the backends are logged into with what pool_passwd holds (pgpool's do_md5, do_SCRAM). */
        private Expect withPoolPasswd() {
            boolean plain = entry == Entry.AES || entry == Entry.TEXT;
            return switch (backend) {
                case TRUST -> Expect.IN;
                case CERT -> NO_CLIENT_CERT; // jpgpool, like pgpool, shows no certificate to backends
                case MD5 -> plain || entry == Entry.MD5 ? Expect.IN
                        : Expect.refused("28000", "failed to authenticate with backend using md5");
                case SCRAM -> plain ? Expect.IN
                        : Expect.refused("28000", "failed to authenticate with backend using SCRAM");
                case PASSWORD -> plain ? Expect.IN
                        : Expect.refused("28000", "clear text password authentication failed");
            };
        }

        @Override
        public String toString() {
            return "pool_hba " + hba.name().toLowerCase(Locale.ROOT) + ", pool_passwd "
                    + entry.name().toLowerCase(Locale.ROOT) + ", backend " + backend.name().toLowerCase(Locale.ROOT)
                    + ": right " + right() + ", wrong " + wrong();
        }
    }

    /** What the test writes beside the cluster (certificates, a home, pool_passwd): removed at the end. */

    static Path dir;

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static TestCertificates certs;
    static final Map<String, TestCertificates.Client> clientCerts = new HashMap<>();
    static TestCertificates.Client strangerCert;
    static String userHome;

    static Stream<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (Hba h : Hba.values()) {
            for (Entry e : Entry.values()) {
                for (Backend b : Backend.values()) {
                    cells.add(new Cell(h, e, b));
                }
            }
        }
        return cells.stream();
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("jpgpool-hba-matrix-");
        certs = TestCertificates.create(dir.resolve("certs"));
        List<String> pgHba = new ArrayList<>();
        StringBuilder roles = new StringBuilder();
        StringBuilder poolHba = new StringBuilder("host all postgres 127.0.0.1/32 trust\n");
        StringBuilder poolPasswd = new StringBuilder();
        for (Cell c : cells().toList()) {
            String u = c.user();
            pgHba.add(switch (c.backend()) {
                case CERT -> "hostssl all " + u + " 127.0.0.1/32 cert";
                case SCRAM -> "host all " + u + " 127.0.0.1/32 scram-sha-256";
                default -> "host all " + u + " 127.0.0.1/32 " + c.backend().name().toLowerCase(Locale.ROOT);
            });
            // an md5 backend needs an md5 hash in pg_authid, or PostgreSQL runs SCRAM instead
            roles.append("SET password_encryption = '").append(c.backend() == Backend.MD5 ? "md5" : "scram-sha-256")
                    .append("'; CREATE ROLE ").append(u).append(" LOGIN PASSWORD '").append(c.password())
                    .append("';\n");
            poolHba.append(switch (c.hba()) {
                case CERT -> "hostssl all " + u + " 127.0.0.1/32 cert";
                case SCRAM -> "host all " + u + " 127.0.0.1/32 scram-sha-256";
                default -> "host all " + u + " 127.0.0.1/32 " + c.hba().name().toLowerCase(Locale.ROOT);
            }).append('\n');
            switch (c.entry()) {
                case AES -> poolPasswd.append(u).append(":AES").append(KEY.encrypt(c.password())).append('\n');
                case MD5 -> poolPasswd.append(u).append(':').append(Md5Auth.encrypt(u, c.password())).append('\n');
                case TEXT -> poolPasswd.append(u).append(":TEXT").append(c.password()).append('\n');
                case NONE -> { }
            }
            if (c.hba() == Hba.CERT) {
                clientCerts.put(u, certs.client(u));
            }
        }
        strangerCert = certs.client("stranger");
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).ssl(certs).initDatabase(DB)
                .extraHba(pgHba.toArray(String[]::new)).build());
        cluster.primary().execute(roles.toString());

        // the AES key is read from ~/.pgpoolkey (PGPOOLKEYFILE cannot be set in this JVM)
        Path home = Files.createDirectories(dir.resolve("home"));
        Path keyFile = home.resolve(".pgpoolkey");
        Files.writeString(keyFile, "matrix test key\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        userHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());

        Path passwd = dir.resolve("pool_passwd");
        Files.writeString(passwd, poolPasswd);
        jpgpool = JpgpoolFixture.prepare(cluster, "enable_pool_hba = on", "pool_passwd = '" + passwd + "'",
                "ssl = on", "ssl_cert = '" + certs.serverCert() + "'", "ssl_key = '" + certs.serverKey() + "'",
                "ssl_ca_cert = '" + certs.caCert() + "'", "num_init_children = 1", "backend_weight1 = 0");
        Files.writeString(jpgpool.dir().resolve("pool_hba.conf"), poolHba);
        jpgpool.startServer();
        cluster.node(1).waitForReplayOf(cluster.primary(), java.time.Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (userHome != null) {
            System.setProperty("user.home", userHome);
        }
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool first, then the cluster
        }
        io.jpgpool.it.support.TempDirs.delete(dir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void wrongThenRightOnAFirstLoginThenWrongThenRightOnTheReusedConnection(Cell c) throws Exception {
        Integer firstWrong = attempt(c, false, c.wrong(), "first login, wrong");
        Integer first = attempt(c, true, c.right(), "first login, right");
        Integer reusedWrong = attempt(c, false, c.wrong(), "reuse, wrong");
        Integer reused = attempt(c, true, c.right(), "reuse, right");
        if (first != null) {
            assertThat(reused).as("the right credential again gets the pooled connection").isEqualTo(first);
            if (firstWrong != null) {
                assertThat(first).as("nothing was asked: the first connection is reused").isEqualTo(firstWrong);
                assertThat(reusedWrong).isEqualTo(first);
            }
        }
    }

    /** One login; the backend pid of the primary when it got in (checking who the server says we are). */
    private static Integer attempt(Cell c, boolean right, Expect expect, String what) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", c.user());
        p.setProperty("password", right ? c.password() : "wrong_" + c.password());
        p.setProperty("connectTimeout", "10");
        if (c.hba() == Hba.CERT) {
            TestCertificates.Client cert = right ? clientCerts.get(c.user()) : strangerCert;
            p.setProperty("sslmode", "require");
            p.setProperty("sslcert", cert.cert().toString());
            p.setProperty("sslkey", cert.keyDer().toString());
        } else {
            p.setProperty("sslmode", "disable");
        }
        if (expect.sqlState() == null) {
            try (Connection conn = DriverManager.getConnection(jpgpool.jdbcUrl(DB), p);
                    Statement s = conn.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_user, pg_backend_pid()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).as(what).isEqualTo(c.user());
                return r.getInt(2);
            }
        }
        SQLException e = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection(jpgpool.jdbcUrl(DB), p).close());
        assertThat((Object) e).as("%s: must be refused", what).isNotNull();
        assertThat(e.getSQLState()).as("%s: %s", what, e.getMessage()).isEqualTo(expect.sqlState());
        assertThat(e.getMessage()).as(what).contains(expect.message());
        return null;
    }
}
