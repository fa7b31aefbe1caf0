package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given {@code jpgpool demo} (the README's first command) in a JVM of its own: it brings a primary and two
 * standbys, answers SHOW pool_nodes with the password its welcome text prints, refuses a wrong one (on a first
 * login and on the reuse of a pooled connection, pgjdbc and psql alike), and on SIGTERM stops and removes its
 * cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTest {
    static Process demo;
    static final List<String> output = new CopyOnWriteArrayList<>();
    static int port;
    static int pcpPort;

    @BeforeAll
    static void startDemo() throws IOException {
        port = JpgpoolFixture.freePort();
        pcpPort = JpgpoolFixture.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        demo = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.jpgpool.launcher.Main",
                "demo", "--port", String.valueOf(port), "--pcp-port", String.valueOf(pcpPort))
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofMinutes(2)).until(() -> output.stream().anyMatch(l -> l.startsWith("Press Ctrl-C"))
                || !demo.isAlive());
        assertThat(demo.isAlive()).as("the demo runs; its output:%n%s", String.join("\n", output)).isTrue();
    }

    @AfterAll
    static void stopDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    private static String printedPassword() {
        Pattern p = Pattern.compile("psql:\\s+psql -h 127\\.0\\.0\\.1 -p " + port + " -U postgres postgres\\s+\\(password: (\\S+)\\)");
        for (String line : output) {
            Matcher m = p.matcher(line.trim());
            if (m.find()) {
                return m.group(1);
            }
        }
        throw new AssertionError("no psql line in the welcome text:\n" + String.join("\n", output));
    }

    private static Connection connect(String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        p.setProperty("preferQueryMode", "simple"); // SHOW pool_* is simple-protocol only, as in Pgpool-II
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** psql over TCP as the welcome text says, with PGPASSWORD. */
    private static Commands.Result psql(String password, String sql) {
        return Commands.run(Duration.ofSeconds(30), Map.of("PGPASSWORD", password), Commands.pgTool("psql"), "-X",
                "-A", "-t", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres", "-c",
                sql);
    }

    @Test
    @Order(1)
    void thePrintedPasswordLetsInAndAWrongOneIsRefusedFirstAndOnAReusedConnection() throws SQLException {
        String password = printedPassword();
        assertThatThrownBy(() -> connect(password + "x").close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        try (Connection c = connect(password); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW pool_nodes")) {
            int rows = 0;
            while (r.next()) {
                rows++;
            }
            assertThat(rows).as("primary and two standbys").isEqualTo(3);
        }
        // the connection that login made is pooled now: a wrong password still gets nothing
        assertThatThrownBy(() -> connect("postgres-not").close()).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        Commands.Result wrong = psql("wrong", "SELECT 1");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.stderr()).contains("password authentication failed");
        assertThat(psql(password, "SELECT 42").stdout().trim()).isEqualTo("42");
    }

    @Test
    @Order(2)
    void sigtermStopsJpgpoolAndRemovesTheCluster() throws InterruptedException, SQLException {
        String dirLine = output.stream().filter(l -> l.contains("(configuration: ")).findFirst().orElseThrow();
        Path conf = Path.of(dirLine.substring(dirLine.indexOf("(configuration: ") + 16, dirLine.lastIndexOf(')')));
        Path base = conf.getParent().getParent();
        assertThat(base).isDirectory();
        try (Connection c = connect(printedPassword()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1")) {
            assertThat(r.next()).isTrue();
        }
        demo.destroy(); // SIGTERM
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo exits").isTrue();
        assertThat(Files.exists(base)).as("%s removed", base).isFalse();
    }
}
