package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real {@code bin/jpgpool -n -f pgpool.conf}: a bad value stops it at startup with exit code 1 and the
 * file, line and parameter on stderr; an unknown parameter is only a warning. Needs the launcher built
 * ({@code mvn -B -q -o -DskipTests install -pl launcher -am}).
 */
class ConfigErrorTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    static PgCluster cluster;
    static Path script;

    @BeforeAll
    static void start() {
        script = launcherScript();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(0).build());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            port = 99999                                | port                          | invalid value "99999"
            backend_weight0 = abc                       | backend_weight0               | invalid value "abc"
            load_balance_mode = maybe                   | load_balance_mode             | invalid value "maybe"
            disable_load_balance_on_write = 'sometimes' | disable_load_balance_on_write | invalid value "sometimes"
            """)
    void anInvalidValueStopsJpgpoolNamingFileLineAndParameter(String line, String parameter, String reason)
            throws IOException {
        try (JpgpoolFixture conf = JpgpoolFixture.prepare(cluster, line)) {
            int lineNo = Files.readAllLines(conf.confFile()).size();

            Commands.Result r = Commands.run(START_TIMEOUT, Map.of(), script.toString(), "-n", "-f",
                    conf.confFile().toString());

            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(r.stderr()).as(r.all())
                    .contains(conf.confFile() + ":" + lineNo + ": " + parameter + ": " + reason);
            assertThat(conf.dir().resolve("jpgpool.pid")).doesNotExist();
        }
    }

    @Test
    void aRecoveryStageCommandWithoutEveryDataDirectoryStopsJpgpoolAsItStopsPgpool() throws IOException {
        try (JpgpoolFixture conf = JpgpoolFixture.prepare(cluster, "backend_data_directory0 = ''",
                "recovery_1st_stage_command = 'recovery_1st_stage'")) {
            int lineNo = Files.readAllLines(conf.confFile()).size();

            Commands.Result r = Commands.run(START_TIMEOUT, Map.of(), script.toString(), "-n", "-f",
                    conf.confFile().toString());

            assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
            assertThat(r.stderr()).as(r.all()).contains("FATAL:  " + conf.confFile() + ":" + lineNo
                    + ": recovery_1st_stage_command: invalid configuration, recovery_1st_stage_command and "
                    + "recovery_2nd_stage_command requires backend_data_directory to be set "
                    + "(backend_data_directory0 is empty)");
        }
    }

    @Test
    void anUnknownParameterOnlyWarnsAndSigtermStopsJpgpoolCleanly() throws Exception {
        try (JpgpoolFixture conf = JpgpoolFixture.prepare(cluster, "no_such_parameter = 42")) {
            int lineNo = Files.readAllLines(conf.confFile()).size();
            Path out = conf.dir().resolve("jpgpool.out");
            Process jpgpool = new ProcessBuilder(script.toString(), "-n", "-f", conf.confFile().toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                await().atMost(START_TIMEOUT).ignoreExceptions().until(() -> answers(conf));
                assertThat(Files.readString(out))
                        .contains(conf.confFile() + ":" + lineNo + ": no_such_parameter: unknown parameter");
                // the pid file is written just after the port opens
                await().atMost(START_TIMEOUT).untilAsserted(() -> assertThat(conf.dir().resolve("jpgpool.pid"))
                        .content().isEqualToIgnoringNewLines(String.valueOf(jpgpool.pid())));

                jpgpool.destroy(); // SIGTERM

                assertThat(jpgpool.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
                assertThat(jpgpool.exitValue()).as(Files.readString(out)).isZero();
                assertThat(jpgpool.toHandle().descendants()).isEmpty();
                assertThat(conf.dir().resolve("jpgpool.pid")).doesNotExist();
            } finally {
                jpgpool.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                jpgpool.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean answers(JpgpoolFixture conf) throws SQLException {
        try (Connection c = conf.connect("postgres"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT 1")) {
            return r.next();
        }
    }

    /** bin/jpgpool of this checkout (tests run in the it-tests module directory). */
    private static Path launcherScript() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("bin/jpgpool");
            if (Files.isExecutable(candidate)) {
                assertThat(dir.resolve("launcher/target/jpgpool.jar"))
                        .as("the launcher is built (mvn -B -q -o -DskipTests install -pl launcher -am)").exists();
                return candidate;
            }
        }
        throw new AssertionError("bin/jpgpool not found above " + Path.of("").toAbsolutePath());
    }
}
