package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.JpgpoolServer;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * pool_hba.conf around the logins (SEMANTICS E.3): a bad file stops the start, a reload changes the rules for the
 * next client only and a bad file on reload keeps the rules in force; nobody reaches a backend before the pool_hba
 * check let it in; Unix-socket clients match {@code local} lines and host names are matched by DNS; wrong passwords
 * in a row change nothing for the right one. PostgreSQL asks every user for a SCRAM password, so what jpgpool lets
 * through, the backend checks again.
 */
class PoolHbaTest {
    private static final String DB = "test";
    private static final String STANDARD_RULES = String.join("\n",
            "local     all  alice                 trust",
            "host      all  alice   127.0.0.1/32  md5",
            "host      all  bob     localhost     password",
            "host      all  carol   127.0.0.1/32  scram-sha-256",
            "host      all  dave    127.0.0.1/32  reject",
            "host      all  postgres 127.0.0.1/32 trust", "");

    static PgCluster cluster;
    static Path poolPasswd;

    @BeforeAll
    static void start() throws IOException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(0).initDatabase(DB)
                .extraConf("log_connections = on")
                .extraHba("host all alice,bob,carol,dave,mallory 127.0.0.1/32 scram-sha-256").build());
        cluster.primary().execute("SET password_encryption = 'scram-sha-256'; "
                + "CREATE ROLE alice LOGIN PASSWORD 'alice_pw'; CREATE ROLE bob LOGIN PASSWORD 'bob_pw'; "
                + "CREATE ROLE carol LOGIN PASSWORD 'carol_pw'; CREATE ROLE dave LOGIN PASSWORD 'dave_pw'");
        poolPasswd = Files.createTempFile("pool_passwd", "");
        Files.writeString(poolPasswd, "alice:TEXTalice_pw\ncarol:carol_pw\ndave:dave_pw\n");
    }

    @AfterAll
    static void stop() throws IOException {
        cluster.close();
        Files.deleteIfExists(poolPasswd);
    }

    /** jpgpool with pool_hba.conf = {@code rules}, one client at a time (unless {@code extra} says otherwise). */
    private static JpgpoolFixture jpgpool(String rules, String... extra) throws IOException {
        List<String> conf = new ArrayList<>(List.of("enable_pool_hba = on",
                "num_init_children = 1", "pool_passwd = '" + poolPasswd + "'"));
        conf.addAll(List.of(extra));
        JpgpoolFixture j = JpgpoolFixture.prepare(cluster, conf.toArray(String[]::new));
        Files.writeString(j.dir().resolve("pool_hba.conf"), rules);
        j.startServer();
        return j;
    }

    @Test
    void aBadPoolHbaConfStopsTheStartNamingFileAndLine() throws Exception {
        try (JpgpoolFixture j = JpgpoolFixture.prepare(cluster, "enable_pool_hba = on")) {
            Path hba = j.dir().resolve("elsewhere.conf");
            Files.writeString(hba, "host all all 127.0.0.1/32 trust\n# a comment\nhost all all 127.0.0.1/32 krb5\n");
            PgpoolConfig config = PgpoolConfig.load(j.confFile());
            assertThatThrownBy(() -> JpgpoolServer.start(config, new JpgpoolServer.Options(false, hba)).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(hba + ":3: invalid authentication method \"krb5\"");
            Path missing = j.dir().resolve("missing.conf");
            assertThatThrownBy(() -> JpgpoolServer.start(config, new JpgpoolServer.Options(false, missing)).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not open configuration file \"" + missing + "\"");
            // without -a it is the pool_hba.conf beside pgpool.conf, which is not there either
            assertThatThrownBy(() -> JpgpoolServer.start(config).close())
                    .hasMessageContaining(j.dir().resolve("pool_hba.conf").toString());
        }
    }

    @Test
    void aReloadChangesTheRulesForTheNextClientOnlyAndABadFileKeepsTheRulesInForce() throws Exception {
        try (JpgpoolFixture j = jpgpool(STANDARD_RULES, "num_init_children = 2"); PcpFixture pcp = PcpFixture.start(j);
                Connection alice = connect(j, "alice", "alice_pw")) {
            Files.writeString(j.dir().resolve("pool_hba.conf"), String.join("\n",
                    "host all alice 127.0.0.1/32 reject",
                    "host all carol 127.0.0.1/32 password", ""));
            reload(pcp);

            assertThat(currentUser(alice)).as("a connected client keeps going").isEqualTo("alice");
            assertRefused(j, "alice", "alice_pw", "28000", "client authentication failed");
            assertThat(login(j, "carol", "carol_pw")).isEqualTo("carol");

            Files.writeString(j.dir().resolve("pool_hba.conf"), "host all all 127.0.0.1/32 kerberos\n");
            reload(pcp);
            assertRefused(j, "alice", "alice_pw", "28000", "client authentication failed");
            assertThat(login(j, "carol", "carol_pw")).as("the rules in force stay").isEqualTo("carol");

            j.appendConf("enable_pool_hba = off");
            reload(pcp);
            assertThat(login(j, "alice", "alice_pw")).as("pool_hba.conf no longer asked").isEqualTo("alice");
            assertThat(currentUser(alice)).isEqualTo("alice");
        }
    }

    @Test
    void nobodyReachesABackendBeforeThePoolHbaCheckLetsItIn() throws Exception {
        try (JpgpoolFixture j = jpgpool(STANDARD_RULES)) {
            long logBefore = Files.size(cluster.primary().logFile());
            assertRefused(j, "alice", "wrong", "28P01", "password authentication failed for user \"alice\"");
            assertRefused(j, "carol", "wrong", "28P01", "password authentication failed for user \"carol\"");
            assertRefused(j, "mallory", "any", "28000", "no pool_hba.conf entry for host \"127.0.0.1\", user "
                    + "\"mallory\", database \"test\", SSL off");
            assertRefused(j, "dave", "dave_pw", "28000", "client authentication failed");
            String log = Files.readString(cluster.primary().logFile()).substring((int) logBefore);
            assertThat(log).doesNotContain("alice").doesNotContain("carol").doesNotContain("mallory")
                    .doesNotContain("dave");

            assertThat(login(j, "carol", "carol_pw")).isEqualTo("carol");
            assertThat(Files.readString(cluster.primary().logFile()).substring((int) logBefore))
                    .contains("connection authorized: user=carol");
        }
    }

    @Test
    void anUnknownUserIsToldWhatAUserWithAWrongPasswordIsTold() throws Exception {
        try (JpgpoolFixture j = jpgpool("host all all 127.0.0.1/32 scram-sha-256\n")) {
            SQLException wrong = refused(j, "carol", "wrong");
            SQLException unknown = refused(j, "mallory", "wrong");
            SQLException noEntry = refused(j, "bob", "bob_pw");
            assertThat(unknown.getSQLState()).isEqualTo(wrong.getSQLState()).isEqualTo(noEntry.getSQLState())
                    .isEqualTo("28P01");
            assertThat(unknown.getMessage().replace("mallory", "carol")).isEqualTo(wrong.getMessage());
            assertThat(noEntry.getMessage().replace("bob", "carol")).isEqualTo(wrong.getMessage());
        }
    }

    @Test
    void fiftyWrongPasswordsInARowThenTheRightOneWorksOnThePooledConnection() throws Exception {
        try (JpgpoolFixture j = jpgpool(STANDARD_RULES)) {
            int pid = pid(j, "alice", "alice_pw");
            for (int i = 0; i < 50; i++) {
                assertRefused(j, "alice", "wrong" + i, "28P01", "password authentication failed for user \"alice\"");
            }
            assertThat(pid(j, "alice", "alice_pw")).isEqualTo(pid);
        }
    }

    @Test
    void unixSocketClientsMatchLocalLinesAndHostNamesAreLookedUp() throws Exception {
        try (JpgpoolFixture j = jpgpool(STANDARD_RULES)) {
            Commands.Result local = Commands.run(Duration.ofSeconds(30), Map.of("PGCONNECT_TIMEOUT", "10"),
                    Commands.pgTool("psql"), "-X", "-w", "-At", "-h", j.dir().toString(), "-p",
                    String.valueOf(j.port()), "-U", "alice", "-d", DB, "-c", "SELECT current_user");
            // trust: jpgpool asks nothing; it logs into the backend with alice's pool_passwd entry
            assertThat(local.exitCode()).as(local.all()).isZero();
            assertThat(local.stdout().strip()).isEqualTo("alice");

            // bob's line names the host "localhost": 127.0.0.1 is looked up (and confirmed) in DNS
            assertThat(login(j, "bob", "bob_pw")).isEqualTo("bob");
            assertRefused(j, "bob", "wrong", "28P01", "password authentication failed for user \"bob\"");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void reload(PcpFixture pcp) {
        Commands.Result r = PcpFixture.realToolsInstalled() ? pcp.real("pcp_reload_config")
                : pcp.jpcp("pcp_reload_config");
        assertThat(r.exitCode()).as(r.all()).isZero();
    }

    private static Connection connect(JpgpoolFixture j, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(j.jdbcUrl(DB), p);
    }

    private static String currentUser(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_user")) {
            r.next();
            return r.getString(1);
        }
    }

    private static String login(JpgpoolFixture j, String user, String password) throws SQLException {
        try (Connection c = connect(j, user, password)) {
            return currentUser(c);
        }
    }

    private static int pid(JpgpoolFixture j, String user, String password) throws SQLException {
        try (Connection c = connect(j, user, password); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static SQLException refused(JpgpoolFixture j, String user, String password) {
        SQLException e = catchThrowableOfType(SQLException.class, () -> connect(j, user, password).close());
        assertThat((Object) e).as("%s with password %s must be refused", user, password).isNotNull();
        return e;
    }

    private static void assertRefused(JpgpoolFixture j, String user, String password, String sqlState,
            String message) {
        SQLException e = refused(j, user, password);
        assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
        assertThat(e.getMessage()).contains(message);
    }
}
