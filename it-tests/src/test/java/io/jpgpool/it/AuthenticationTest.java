package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jpgpool.cluster.Auth;
import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.protocol.auth.Md5Auth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who gets in, on a first login and on the reuse of a pooled backend connection (SEMANTICS E.1, E.4). The
 * backends check passwords (trust, password, md5 and scram-sha-256 users); jpgpool runs with
 * {@code num_init_children = 1}, so that the next client certainly finds the connection the last one left.
 * A pooled connection is logged in already, so no backend checks a client that reuses it: jpgpool must. The
 * first test is Pgpool-II's own 020.allow_clear_text_frontend_auth scenario, driven with psql.
 */
class AuthenticationTest {
    private static final String DB = "test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    static PgCluster cluster;
    static PgNode primary;
    static String scramVerifier;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).auth(Auth.SCRAM)
                .extraHba("host all trust_user 127.0.0.1/32 trust",
                        "host all pw_user 127.0.0.1/32 password",
                        "host all md5_user 127.0.0.1/32 md5",
                        "host all scram_user 127.0.0.1/32 scram-sha-256")
                .initDatabase(DB).build());
        primary = cluster.node(0);
        primary.execute("SET password_encryption = 'scram-sha-256'; "
                + "CREATE ROLE scram_user LOGIN PASSWORD 'scram_password'; "
                + "CREATE ROLE pw_user LOGIN PASSWORD 'pw_password'; "
                + "CREATE ROLE trust_user LOGIN PASSWORD 'trust_password'");
        primary.execute("SET password_encryption = 'md5'; CREATE ROLE md5_user LOGIN PASSWORD 'md5_password'");
        scramVerifier = primary.query("SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_user'").get(0).get(0);
        cluster.node(1).waitForReplayOf(primary, WAIT);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** jpgpool with one client at a time, reads on the primary, so pg_backend_pid() names the kept connection. */
    private static JpgpoolFixture jpgpool(String... extra) {
        List<String> lines = new ArrayList<>(List.of("num_init_children = 1", "backend_weight1 = 0"));
        lines.addAll(List.of(extra));
        return JpgpoolFixture.start(cluster, lines.toArray(String[]::new));
    }

    // ------------------------------------------------------------------ Pgpool-II's 020 scenario, with psql

    @Test
    void wrongPasswordsAreRefusedOnAReusedConnectionAsOnANewOne() {
        try (JpgpoolFixture j = jpgpool("allow_clear_text_frontend_auth = on")) {
            PsqlLogin firstScram = psql(j, "scram_user", "scram_password");
            assertThat(firstScram.user()).isEqualTo("scram_user");
            assertThat(psql(j, "md5_user", "md5_password").user()).isEqualTo("md5_user");

            assertPsqlRefused(j, "scram_user", "scram_wrong_password");
            assertPsqlRefused(j, "md5_user", "md5_wrong_password");
            assertPsqlRefused(j, "scram_user", "scram_another_wrong_password");

            PsqlLogin again = psql(j, "scram_user", "scram_password");
            assertThat(again.user()).isEqualTo("scram_user");
            assertThat(again.pid()).as("the right password still gets the pooled connection").isEqualTo(firstScram.pid());
        }
    }

    private record PsqlLogin(String user, int pid) {
    }

    private static PsqlLogin psql(JpgpoolFixture j, String user, String password) {
        Commands.Result r = runPsql(j, user, password);
        assertThat(r.exitCode()).as(r.all()).isZero();
        String[] f = r.stdout().trim().split("\\|");
        return new PsqlLogin(f[0], Integer.parseInt(f[1]));
    }

    private static void assertPsqlRefused(JpgpoolFixture j, String user, String password) {
        Commands.Result r = runPsql(j, user, password);
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("FATAL:  password authentication failed for user \"" + user + "\"");
        assertThat(r.stdout()).doesNotContain(user);
    }

    private static Commands.Result runPsql(JpgpoolFixture j, String user, String password) {
        return Commands.run(WAIT, Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10"),
                Commands.pgTool("psql"), "-h", j.host(), "-p", String.valueOf(j.port()), "-U", user, "-d", DB,
                "-X", "-At", "-c", "SELECT current_user, pg_backend_pid()");
    }

    // ------------------------------------------------------------------ the matrix, with pgjdbc

    /**
     * One way in: the backend's method for {@code user}, what pool_passwd holds for it (null: no file), and
     * jpgpool's settings.
     */
    record Path_(String name, String user, String password, String poolPasswdLine, String... conf) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Path_> waysIn() {
        return Stream.of(
                new Path_("password backend, no pool_passwd", "pw_user", "pw_password", null),
                new Path_("password backend, no pool_passwd, allow_clear_text_frontend_auth", "pw_user",
                        "pw_password", null, "allow_clear_text_frontend_auth = on"),
                new Path_("password backend, md5 entry", "pw_user", "pw_password",
                        "pw_user:" + Md5Auth.encrypt("pw_user", "pw_password")),
                new Path_("md5 backend, md5 entry", "md5_user", "md5_password",
                        "md5_user:" + Md5Auth.encrypt("md5_user", "md5_password")),
                new Path_("md5 backend, TEXT entry", "md5_user", "md5_password", "md5_user:TEXTmd5_password"),
                new Path_("md5 backend, no entry, allow_clear_text_frontend_auth", "md5_user", "md5_password",
                        null, "allow_clear_text_frontend_auth = on"),
                new Path_("scram backend, plain entry", "scram_user", "scram_password",
                        "scram_user:scram_password"),
                new Path_("scram backend, the backend's SCRAM verifier (pass-through)", "scram_user",
                        "scram_password", "scram_user:" + "VERIFIER"),
                new Path_("scram backend, no entry, allow_clear_text_frontend_auth", "scram_user",
                        "scram_password", null, "allow_clear_text_frontend_auth = on"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("waysIn")
    void rightPasswordInWrongPasswordOutOnAFirstLoginAndOnAReuse(Path_ way) throws Exception {
        try (JpgpoolFixture j = jpgpool(conf(way))) {
            assertRefused(j, way.user(), way.password() + "x", "28P01");
            int first = login(j, way.user(), way.password());
            assertRefused(j, way.user(), "wrong", "28P01");
            assertThat(login(j, way.user(), way.password())).as("reused").isEqualTo(first);
            assertRefused(j, way.user(), way.password().toUpperCase(), "28P01");
            assertThat(login(j, way.user(), way.password())).as("reused again").isEqualTo(first);
        }
    }

    @Test
    void aTrustedUserNeedsNoPasswordOnAFirstLoginNorOnAReuse() throws Exception {
        try (JpgpoolFixture j = jpgpool()) {
            int first = login(j, "trust_user", "anything");
            assertThat(login(j, "trust_user", null)).isEqualTo(first);
        }
    }

    /**
     * jpgpool cannot check them, so they cannot get in; but they are asked for a password and refused as if it
     * were wrong, exactly like a user nobody knows, as PostgreSQL does: nothing tells which users exist.
     */
    @Test
    void withoutAllowClearTextAndWithoutAnEntryMd5AndScramUsersHaveNoWayInAndLookLikeUnknownUsers() throws Exception {
        try (JpgpoolFixture j = jpgpool()) {
            assertRefused(j, "md5_user", "md5_password", "28P01");
            assertRefused(j, "scram_user", "scram_password", "28P01");
            assertRefused(j, "nobody", "scram_password", "28P01");
        }
    }

    @Test
    void aPooledConnectionMadeWithAClearTextPasswordOpensOnlyForThatPasswordWhatPoolPasswdSaysLater() throws Exception {
        Path passwd = Files.createTempFile("pool_passwd", "");
        try (JpgpoolFixture j = jpgpool("allow_clear_text_frontend_auth = on", "pool_passwd = '" + passwd + "'")) {
            int first = login(j, "scram_user", "scram_password");
            // an entry with another password appears: the kept connection's proof (the password its backend
            // accepted) still rules, and the new entry's password does not open it
            Files.writeString(passwd, "scram_user:entry_password\n");
            j.server().reload();
            assertRefused(j, "scram_user", "entry_password", "28P01");
            assertRefused(j, "scram_user", "wrong", "28P01");
            assertThat(login(j, "scram_user", "scram_password")).isEqualTo(first);
        } finally {
            Files.deleteIfExists(passwd);
        }
    }

    @Test
    void withoutConnectionCacheEveryLoginIsCheckedByTheBackend() throws Exception {
        try (JpgpoolFixture j = jpgpool("allow_clear_text_frontend_auth = on", "connection_cache = off")) {
            int first = login(j, "md5_user", "md5_password");
            assertRefused(j, "md5_user", "wrong", "28P01");
            assertThat(login(j, "md5_user", "md5_password")).as("a new connection each time").isNotEqualTo(first);
        }
    }

    @Test
    void withSeveralEventLoopsEveryPooledConnectionChecksItsClient() throws Exception {
        String before = System.getProperty("jpgpool.threads");
        System.setProperty("jpgpool.threads", "2");
        try (JpgpoolFixture j = JpgpoolFixture.start(cluster, "num_init_children = 8", "backend_weight1 = 0",
                "allow_clear_text_frontend_auth = on")) {
            Set<Integer> pids = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                pids.add(login(j, "scram_user", "scram_password"));
                pids.add(login(j, "md5_user", "md5_password"));
            }
            for (int i = 0; i < 6; i++) {
                assertRefused(j, "scram_user", "wrong" + i, "28P01");
                assertRefused(j, "md5_user", "wrong" + i, "28P01");
            }
            assertThat(login(j, "scram_user", "scram_password")).as("a kept connection").isIn(pids);
        } finally {
            if (before == null) {
                System.clearProperty("jpgpool.threads");
            } else {
                System.setProperty("jpgpool.threads", before);
            }
        }
    }

    private static String[] conf(Path_ way) {
        List<String> lines = new ArrayList<>(List.of(way.conf()));
        if (way.poolPasswdLine() != null) {
            try {
                Path p = Files.createTempFile("pool_passwd", "");
                p.toFile().deleteOnExit();
                Files.writeString(p, way.poolPasswdLine().replace("VERIFIER", scramVerifier) + "\n");
                lines.add("pool_passwd = '" + p + "'");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines.toArray(String[]::new);
    }

    /** Logs in and returns the primary's backend pid of the session, after checking who the server says we are. */
    private static int login(JpgpoolFixture j, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(j.jdbcUrl(DB), props(user, password));
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_user, pg_backend_pid()")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo(user);
            return r.getInt(2);
        }
    }

    private static void assertRefused(JpgpoolFixture j, String user, String password, String sqlState) {
        SQLException e = catchThrowableOfType(SQLException.class,
                () -> DriverManager.getConnection(j.jdbcUrl(DB), props(user, password)).close());
        assertThat((Object) e).as("%s with password '%s' must be refused", user, password).isNotNull();
        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
    }

    private static Properties props(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        return p;
    }
}
