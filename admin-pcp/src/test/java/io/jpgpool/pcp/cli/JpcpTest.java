package io.jpgpool.pcp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.pcp.PcpTestSupport;
import io.jpgpool.pcp.PcpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given a PCP server answering for the recorded 4.3.5 cluster (PCP_SPEC 13) and pcpadmin/secret in .pcppass:
 * jpcp prints what PCP_SPEC 7 says the tools print, and, where Debian's pcp tools are installed, exactly what
 * they print for the same command lines.
 */
class JpcpTest {
    @TempDir
    Path dir;
    PcpTestSupport.Fake fake;
    PcpServer server;
    Path passFile;
    final Map<String, String> env = new HashMap<>();

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        fake = PcpTestSupport.fake();
        Path conf = dir.resolve("pcp.conf");
        Files.writeString(conf, "pcpadmin:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
        server = PcpServer.start(fake.admin(), new PcpServer.Settings("127.0.0.1", 0, dir.toString(), conf));
        passFile = dir.resolve("pcppass");
        Files.writeString(passFile, "*:*:pcpadmin:secret\n");
        Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
        env.put("PCPPASSFILE", passFile.toString());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> args(String tool, String... more) {
        List<String> a = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(server.port()),
                "-U", "pcpadmin", "-w"));
        a.addAll(List.of(more));
        return a;
    }

    private Run jpcp(List<String> argv) {
        return jpcp(argv, "");
    }

    private Run jpcp(List<String> argv, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.ISO_8859_1);
        PrintStream e = new PrintStream(err, true, StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1));
        Jpcp.Env environment = new Jpcp.Env(in, o, e, env::get, "pcpadmin", dir.toString(), ZoneOffset.UTC,
                PasswordPrompt.of(in, e));
        int code = new Jpcp(environment).run(argv.toArray(String[]::new));
        o.flush();
        e.flush();
        return new Run(code, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------------ the outputs of PCP_SPEC 7

    @Test
    void nodeCount() {
        assertThat(jpcp(args("node_count"))).isEqualTo(new Run(0, "2\n", ""));
        assertThat(jpcp(args("pcp_node_count", "-v"))).isEqualTo(new Run(0, "Node Count\n____________\n 2\n", ""));
    }

    @Test
    void nodeInfoPrintsTheWeightOverRandMaxAndTheStatusNames() {
        assertThat(jpcp(args("node_info")).out()).isEqualTo(
                "127.0.0.1 15432 1 0.250000 waiting up main main 0 none none 2026-11-22 01:38:45\n"
                + "127.0.0.1 15433 1 0.750000 waiting up replica replica 0 none none 2026-11-22 01:38:45\n");
        assertThat(jpcp(args("node_info", "-v", "-n", "1")).out()).isEqualTo("""
                Hostname               : 127.0.0.1
                Port                   : 15433
                Status                 : 1
                Weight                 : 0.750000
                Status Name            : waiting
                Backend Status Name    : up
                Role                   : replica
                Backend Role           : replica
                Replication Delay      : 0
                Replication State      : none
                Replication Sync State : none
                Last Status Change     : 2026-11-22 01:38:45

                """);
    }

    @Test
    void anErrorAfterLoginGoesToStderrAndExitsZero() {
        assertThat(jpcp(args("node_info", "5"))).isEqualTo(new Run(0, "",
                "ERROR:  informing node info failed\nDETAIL:  invalid node ID : 5\n\n"));
        assertThat(jpcp(args("watchdog_info"))).isEqualTo(new Run(0, "",
                "ERROR:  PCP: informing watchdog info failed\nDETAIL:  watchdog is not enabled\n\n"));
    }

    @Test
    void healthCheckStatsJoinsTheTwentyFieldsWithSpaces() {
        Instant checked = Instant.ofEpochSecond(1795311536L);
        fake.health(new HealthCheckStats(3, 3, 0, 0, 0, 0, 5, 4, 13.0 / 3, 0, checked, checked, null, null));
        assertThat(jpcp(args("health_check_stats", "0")).out()).isEqualTo("0 127.0.0.1 15432 waiting main "
                + "2026-11-22 01:38:45 3 3 0 0 0 0.000000 0 5 4 4.333333 2026-11-22 01:38:56 2026-11-22 01:38:56  \n");
        assertThat(jpcp(args("health_check_stats", "-v", "0")).out()).startsWith(
                "Node Id                       : 0\nHost Name                     : 127.0.0.1\n")
                .contains("Minimum Health Check Duration : 4\n").endsWith("Last Failed Health Check      : \n\n");
    }

    @Test
    void processesAreSessions() {
        assertThat(jpcp(args("proc_count"))).isEqualTo(new Run(0, "pcp_proc_count -- Command Successful\n", ""));
        assertThat(jpcp(args("proc_info"))).isEqualTo(new Run(0, "pcp_proc_info -- Command Successful\n", ""));
        fake.session(1001);
        fake.session(1002);
        assertThat(jpcp(args("proc_count")).out()).isEqualTo("1001 1002 \n");
        assertThat(jpcp(args("proc_count", "-v")).out()).isEqualTo(
                "No \t | \t PID\n_____________________\n0 \t | \t 1001\n1 \t | \t 1002\n\nTotal Processes:2\n");
        assertThat(jpcp(args("proc_info", "-P", "1002")).out()).isEqualTo("postgres postgres 2026-11-22 01:38:45 0 "
                + "3 0 2026-11-22 01:38:45 2026-11-22 01:38:45 3  1 4242 1 1002 0 Idle\n");
        assertThat(jpcp(args("proc_info", "1001", "-a")).out().lines()).hasSize(4)
                .contains("  2026-11-22 01:38:45 0 0 0   0  0 0 0 1001 1 Idle");
        assertThat(jpcp(args("proc_info", "-v", "1001")).out()).startsWith(
                "Database                  : postgres\nUsername                  : postgres\n");
    }

    @Test
    void poolStatusDefaultAndVerbose() {
        assertThat(jpcp(args("pool_status")).out()).isEqualTo("name : backend_clustering_mode\nvalue: 2\n"
                + "desc : clustering mode\n\nname : listen_addresses\nvalue: 127.0.0.1\n"
                + "desc : host name(s) or IP address(es) to listen on\n\n");
        assertThat(jpcp(args("pool_status", "-v")).out()).isEqualTo("Name [  0]:\tbackend_clustering_mode\n"
                + "Value:      \t2\nDescription:\tclustering mode\n\nName [  1]:\tlisten_addresses\n"
                + "Value:      \t127.0.0.1\nDescription:\thost name(s) or IP address(es) to listen on\n\n");
    }

    @Test
    void operationsPrintCommandSuccessful() {
        assertThat(jpcp(args("detach_node", "1")).out()).isEqualTo("pcp_detach_node -- Command Successful\n");
        assertThat(jpcp(args("detach_node", "-g", "-n", "1")).out()).isEqualTo(
                "pcp_detach_node -- Command Successful\n");
        assertThat(jpcp(args("attach_node", "1")).out()).isEqualTo("pcp_attach_node -- Command Successful\n");
        assertThat(jpcp(args("recovery_node", "1")).out()).isEqualTo("pcp_recovery_node -- Command Successful\n");
        assertThat(jpcp(args("reload_config", "-s", "cluster")).out()).isEqualTo(
                "pcp_reload_config -- Command Successful\n");
        assertThat(jpcp(args("stop_pgpool", "-m", "fast")).out()).isEqualTo("pcp_stop_pgpool -- Command Successful\n");
        // the stop begins once the answer is out
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(fake.calls()).containsExactly(
                "detach 1", "detach 1 -g", "attach 1", "recover 1", "reload", "stop fast"));
    }

    @Test
    void invalidateQueryCacheIsPgpool46sCommand() {
        assertThat(jpcp(args("invalidate_query_cache"))).isEqualTo(new Run(0, "",
                "ERROR:  query cache is not enabled\n\n"));
        fake.queryCache(true);
        assertThat(jpcp(args("pcp_invalidate_query_cache"))).isEqualTo(new Run(0,
                "pcp_invalidate_query_cache -- Command Successful\n", ""));
        assertThat(fake.calls()).containsExactly("invalidate query cache");
        assertThat(jpcp(args("invalidate_query_cache", "-d")).out()).contains(
                "DEBUG: send: tos=\"G\", len=4\nDEBUG: recv: tos=\"g\", len=20\n");
    }

    @Test
    void promoteInNativeReplicationIsRefused() {
        assertThat(jpcp(args("promote_node", "-s", "1"))).isEqualTo(new Run(0, "",
                "FATAL:  invalid pgpool mode for process promote request\n"
                + "DETAIL:  not in streaming replication mode, can't promote node id 1\n\n"));
    }

    // ------------------------------------------------------------------ login and command line

    @Test
    void aWrongPasswordExitsOne() throws IOException {
        Files.writeString(passFile, "*:*:pcpadmin:wrong\n");
        assertThat(jpcp(args("node_count"))).isEqualTo(new Run(1, "",
                "FATAL:  authentication failed for user \"pcpadmin\"\n"
                + "DETAIL:  username and/or password does not match\n\n"));
    }

    @Test
    void aPcppassReadableByOthersIsIgnored() throws IOException {
        Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-r--r--"));
        Run r = jpcp(args("node_count", "-d"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("WARNING: password file \"" + passFile + "\" has group or world access; "
                + "permissions should be u=rw (0600) or less\nDEBUG: recv: tos=\"m\", len=8\n");
    }

    @Test
    void withoutDashWThePasswordIsAskedFor() {
        List<String> a = new ArrayList<>(args("node_count"));
        a.remove("-w");
        env.remove("PCPPASSFILE");
        assertThat(jpcp(a, "secret\n")).isEqualTo(new Run(0, "2\n", "Password: \n"));
    }

    @Test
    void theDebugTraceIsLibpcps() {
        assertThat(jpcp(args("health_check_stats", "-d", "0")).out()).startsWith(
                "DEBUG: recv: tos=\"m\", len=8\nDEBUG: recv: tos=\"r\", len=21\nDEBUG: send: tos=\"L\", len=6\n"
                + "DEBUG: recv: tos=\"h\", len=").endsWith("DEBUG: send: tos=\"X\", len=4\n");
    }

    @Test
    void usageErrorsAreThoseOfTheTools() {
        assertThat(jpcp(List.of("attach_node", "-w"))).isEqualTo(new Run(1, "",
                "pcp_attach_node: missing node-id\nTry \"pcp_attach_node --help\" for more information.\n\n"));
        assertThat(jpcp(List.of("attach_node", "-w", "200"))).isEqualTo(new Run(0, "",
                "pcp_attach_node: Invalid node-id \"(null)\", must be between 0 and 128\n"));
        assertThat(jpcp(List.of("node_count", "-p", "80"))).isEqualTo(new Run(0, "",
                "pcp_node_count: Invalid port number \"80\", must be between 1024 and 65535\n"));
        assertThat(jpcp(List.of("node_count", "--n=3"))).isEqualTo(new Run(1, "",
                "pcp_node_count: option '--n=3' is ambiguous; possibilities: '--no-password' '--node-id'\n"
                + "Try \"pcp_node_count --help\" for more information.\n\n"));
        assertThat(jpcp(List.of("stop_pgpool", "-m", "bogus"))).isEqualTo(new Run(1, "",
                "pcp_stop_pgpool: Invalid shutdown mode \"bogus\", must be either \"smart\" \"immediate\" or "
                + "\"fast\" \n"));
        assertThat(jpcp(List.of("node_count", "-V"))).isEqualTo(new Run(0, "", "pcp_node_count (pgpool-II) 4.3.5\n"));
        assertThat(jpcp(List.of("node_count", "-h", "127.0.0.1", "-p", "1025", "-w")).err()).isEqualTo(
                "ERROR: connection to host \"127.0.0.1\" failed with error \"Connection refused\"\n");
        assertThat(jpcp(List.of("node_count", "-p", "1025", "-w")).err()).isEqualTo(
                "ERROR: connection to socket \"/tmp/.s.PGSQL.1025\" failed with error \"No such file or directory\"\n");
    }

    @Test
    void theHelpTextsAreThoseOfPcpSamples() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String tool : List.of("attach_node", "detach_node", "node_count", "node_info", "health_check_stats",
                "pool_status", "proc_count", "proc_info", "promote_node", "recovery_node", "stop_pgpool",
                "watchdog_info", "reload_config")) {
            Run r = jpcp(List.of(tool, "--help"));
            assertThat(r.exit()).isZero();
            all.append(r.err());
        }
        Path sample = PcpTestSupport.reference("pcp-samples/pcp_help_all.txt");
        if (sample != null) {
            assertThat(all.toString()).isEqualTo(Files.readString(sample));
        }
    }

    @Test
    void jpcpWithoutACommandPrintsItsUsage() {
        Run r = jpcp(List.of());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("Usage:", "node_info", "reload_config");
        assertThat(jpcp(List.of("frobnicate")).err()).startsWith("frobnicate is a invalid PCP utility\n");
    }

    // ------------------------------------------------------------------ against Debian's tools, when present

    @Test
    void jpcpPrintsWhatTheRealToolsPrint() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/pcp_node_count"))) {
            return;
        }
        fake.session(1001);
        fake.health(new HealthCheckStats(7, 6, 1, 0, 2, 2, 12, 3, 4.5, 2.0 / 7, Instant.ofEpochSecond(1795311536L),
                Instant.ofEpochSecond(1795311530L), null, Instant.ofEpochSecond(1795311536L)));
        fake.poolStatus(new PoolStatusItems.Row("x".repeat(70), "v".repeat(600), "d".repeat(90)));
        List<List<String>> cases = new ArrayList<>();
        for (String v : List.of("", "-v", "-d")) {
            cases.add(args("pcp_node_count", v));
            cases.add(args("pcp_node_info", v));
            cases.add(args("pcp_node_info", v, "-n", "1"));
            cases.add(args("pcp_node_info", v, "7"));
            cases.add(args("pcp_health_check_stats", v, "0"));
            cases.add(args("pcp_health_check_stats", v, "2"));
            cases.add(args("pcp_proc_count", v));
            cases.add(args("pcp_proc_info", v));
            cases.add(args("pcp_proc_info", v, "-a"));
            cases.add(args("pcp_proc_info", v, "99"));
            cases.add(args("pcp_pool_status", v));
            cases.add(args("pcp_watchdog_info", v));
            cases.add(args("pcp_detach_node", v, "1"));
            cases.add(args("pcp_detach_node", v, "-g", "1"));
            cases.add(args("pcp_attach_node", v, "1"));
            cases.add(args("pcp_promote_node", v, "-s", "1"));
            cases.add(args("pcp_recovery_node", v, "1"));
            cases.add(args("pcp_reload_config", v));
            cases.add(args("pcp_stop_pgpool", v, "-m", "immediate", "-s", "cluster"));
        }
        cases.add(List.of("pcp_node_count", "-x"));
        cases.add(List.of("pcp_node_count", "--verbose=1"));
        cases.add(List.of("pcp_proc_info", "--p"));
        cases.add(List.of("pcp_promote_node", "-w", "--", "-1"));
        cases.add(List.of("pcp_node_info", "-p", String.valueOf(server.port()), "-h", dir.toString(), "-U",
                "pcpadmin", "-w", "extra", "1", "2"));
        cases.add(List.of("pcp_node_count", "-h", "127.0.0.1", "-p", String.valueOf(server.port()), "-U", "nobody",
                "-w"));
        for (List<String> c : cases) {
            List<String> argv = new ArrayList<>(c);
            argv.removeIf(String::isEmpty);
            Run real = real(argv);
            assertThat(jpcp(argv)).as(String.join(" ", argv)).isEqualTo(real);
        }
    }

    /** Runs Debian's tool with argv[0] = its bare name, as when found on PATH. */
    private Run real(List<String> argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec -a \"$0\" /usr/sbin/\"$0\" \"$@\""));
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("HOME", dir.toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = dir.resolve("real.out");
        Path err = dir.resolve("real.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }
}
