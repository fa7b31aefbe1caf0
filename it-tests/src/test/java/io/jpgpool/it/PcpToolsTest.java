package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Given a primary and two standbys behind jpgpool with its PCP server: every one of Debian's 13 pcp tools
 * (pgpool2 4.3.5) works against it, default and {@code -v}, with the layout and values PCP_SPEC 7 describes for
 * this cluster; {@code bin/jpcp} prints exactly the same; bad clients get pgpool's FATAL and the server goes
 * on answering the others.
 */
class PcpToolsTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        jpgpool = JpgpoolFixture.start(cluster);
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    @BeforeEach
    void realToolsAreInstalled() {
        PcpFixture.assumeRealToolsInstalled();
    }

    private static Commands.Result ok(Commands.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).as(r.all()).isEmpty();
        return r;
    }

    // ------------------------------------------------------------------ the 13 tools, default and -v

    @Test
    void nodeCount() {
        assertThat(ok(pcp.real("pcp_node_count")).stdout()).isEqualTo("3\n");
        assertThat(ok(pcp.real("pcp_node_count", "-v")).stdout()).isEqualTo("Node Count\n____________\n 3\n");
    }

    @Test
    void nodeInfoShowsThePrimaryAndTheStandbysUpOnceAClientSessionStarted() throws Exception {
        // a Pgpool-II session connects to every node, which makes each one that answers "up" (not "waiting")
        try (Connection c = jpgpool.connect("postgres")) {
            assertThat(c.isValid(5)).isTrue();
        }
        List<String> lines = ok(pcp.real("pcp_node_info")).stdout().lines().toList();
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String role = i == 0 ? "primary" : "standby";
            // the health check is off: pg_status is unknown, so pg_role is not asked either (as pgpool's get_nodes)
            assertThat(lines.get(i)).matches("127\\.0\\.0\\.1 " + cluster.node(i).port() + " 2 0\\.333333 "
                    + "up unknown " + role + " unknown \\d+ (none|streaming) (none|async) " + TIME);
        }
        String v = ok(pcp.real("pcp_node_info", "-v", "-n", "1")).stdout();
        assertThat(v).matches("(?s)Hostname               : 127\\.0\\.0\\.1\n"
                + "Port                   : " + cluster.node(1).port() + "\n"
                + "Status                 : 2\n"
                + "Weight                 : 0\\.333333\n"
                + "Status Name            : up\n"
                + "Backend Status Name    : unknown\n"
                + "Role                   : standby\n"
                + "Backend Role           : unknown\n"
                + "Replication Delay      : \\d+\n"
                + "Replication State      : \\w+\n"
                + "Replication Sync State : \\w+\n"
                + "Last Status Change     : " + TIME + "\n\n");
    }

    @Test
    void healthCheckStatsWithTheHealthCheckOff() {
        String line = ok(pcp.real("pcp_health_check_stats", "0")).stdout();
        assertThat(line).matches("0 127\\.0\\.0\\.1 " + cluster.node(0).port() + " (waiting|up) primary " + TIME
                + " 0 0 0 0 0 0\\.000000 0 0 0 0\\.000000    \n");
        String v = ok(pcp.real("pcp_health_check_stats", "-v", "2")).stdout();
        assertThat(v).startsWith("Node Id                       : 2\nHost Name                     : 127.0.0.1\n")
                .contains("Role                          : standby\n", "Minimum Health Check Duration : 0\n")
                .endsWith("Last Failed Health Check      : \n\n");
        Commands.Result bad = pcp.real("pcp_health_check_stats", "3");
        assertThat(bad.stderr()).isEqualTo("ERROR:  informing health check stats info failed\n"
                + "DETAIL:  stats data for node ID 3 does not exist\n\n");
        assertThat(bad.exitCode()).isZero();
    }

    @Test
    void procCountAndProcInfoReportTheSessions() throws Exception {
        try (Connection c = jpgpool.connect("postgres")) {
            int session = c.unwrap(PGConnection.class).getBackendPID();
            assertThat(ok(pcp.real("pcp_proc_count")).stdout()).isEqualTo(session + " \n");
            assertThat(ok(pcp.real("pcp_proc_count", "-v")).stdout()).isEqualTo(
                    "No \t | \t PID\n_____________________\n0 \t | \t " + session + "\n\nTotal Processes:1\n");

            // pool_id 0 holds the session's backend connections: the primary's first, one line per node
            List<String> info = ok(pcp.real("pcp_proc_info", "-P", String.valueOf(session))).stdout().lines().toList();
            assertThat(info).isNotEmpty().allMatch(l -> l.matches("postgres postgres " + TIME + " 0 3 0 " + TIME + " "
                    + TIME + " \\d+  \\d+ \\d+ 1 " + session + " [012] Idle"));
            assertThat(info.get(0)).endsWith(" " + session + " 0 Idle");
            List<String> all = ok(pcp.real("pcp_proc_info", "-a")).stdout().lines().toList();
            assertThat(all).as("max_pool x nodes slots").hasSize(4 * 3);
            String v = ok(pcp.real("pcp_proc_info", "-v")).stdout();
            assertThat(v).startsWith("Database                  : postgres\nUsername                  : postgres\n")
                    .contains("PID                       : " + session + "\n", "Status                    : Idle\n");
        }
        assertThat(ok(pcp.real("pcp_proc_count")).stdout()).isEqualTo("pcp_proc_count -- Command Successful\n");
        assertThat(pcp.real("pcp_proc_info", "12345").stderr()).isEqualTo(
                "ERROR:  informing process info failed\nDETAIL:  invalid process ID : 12345\n\n");
    }

    @Test
    void poolStatusListsTheConfiguration() {
        String out = ok(pcp.real("pcp_pool_status")).stdout();
        assertThat(out).startsWith("name : backend_clustering_mode\nvalue: 1\ndesc : clustering mode\n\n")
                .contains("name : pcp_port\nvalue: " + pcp.port() + "\ndesc : PCP port # to bind\n\n",
                        "name : backend_weight2\nvalue: 0.333333\ndesc : weight of backend #2\n\n");
        String v = ok(pcp.real("pcp_pool_status", "-v")).stdout();
        assertThat(v).startsWith("Name [  0]:\tbackend_clustering_mode\nValue:      \t1\n"
                + "Description:\tclustering mode\n\n");
        assertThat(v.split("\nName \\[")).hasSameSizeAs(out.split("\nname : "));
    }

    @Test
    void watchdogInfoSaysItIsOff() {
        for (String v : List.of("", "-v")) {
            Commands.Result r = v.isEmpty() ? pcp.real("pcp_watchdog_info") : pcp.real("pcp_watchdog_info", v);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).isEqualTo("ERROR:  PCP: informing watchdog info failed\n"
                    + "DETAIL:  watchdog is not enabled\n\n");
        }
    }

    @Test
    void recoveryIsAClearErrorUntilOnlineRecoveryExists() {
        Commands.Result alive = pcp.real("pcp_recovery_node", "1");
        assertThat(alive.exitCode()).isZero();
        assertThat(alive.stderr()).isEqualTo("ERROR:  node recovery failed, node id: 1 is alive\n\n");
        assertThat(pcp.real("pcp_recovery_node", "-v", "0").stderr()).isEqualTo("ERROR:  process recovery request "
                + "failed\nDETAIL:  primary server cannot be recovered by online recovery.\n\n");
    }

    @Test
    void promoteOfThePrimaryAndDetachOfAnUnknownNodeAreRefused() {
        assertThat(pcp.real("pcp_promote_node", "0").stderr()).isEqualTo("FATAL:  invalid promote request\n"
                + "DETAIL:  specified node is already primary node, can't promote node id 0\n\n");
        assertThat(pcp.real("pcp_detach_node", "-v", "7").stderr()).isEqualTo("ERROR:  invalid degenerate backend "
                + "request, node id : 7 status: [0] is not valid for failover\n\n");
        assertThat(pcp.real("pcp_attach_node", "-v", "1").stdout()).isEqualTo(
                "pcp_attach_node -- Command Successful\n");
    }

    @Test
    void reloadConfigSucceeds() {
        assertThat(ok(pcp.real("pcp_reload_config")).stdout()).isEqualTo("pcp_reload_config -- Command Successful\n");
        assertThat(ok(pcp.real("pcp_reload_config", "-v", "-s", "cluster")).stdout()).isEqualTo(
                "pcp_reload_config -- Command Successful\n");
    }

    @Test
    void theUnixSocketIsInPcpSocketDir() {
        Commands.Result r = pcp.realArgv(List.of("pcp_node_count", "-h", jpgpool.dir().toString(), "-p",
                String.valueOf(pcp.port()), "-U", PcpFixture.USER, "-w"));
        assertThat(ok(r).stdout()).isEqualTo("3\n");
    }

    // ------------------------------------------------------------------ bin/jpcp = the real tools

    @Test
    void jpcpPrintsExactlyWhatTheRealToolsPrint() throws Exception {
        try (Connection c = jpgpool.connect("postgres")) {
            int session = c.unwrap(PGConnection.class).getBackendPID();
            List<List<String>> cases = new ArrayList<>();
            for (String v : List.of("", "-v")) {
                cases.add(pcp.argv("pcp_node_count", v));
                cases.add(pcp.argv("pcp_node_info", v));
                cases.add(pcp.argv("pcp_node_info", v, "-n", "2"));
                cases.add(pcp.argv("pcp_node_info", v, "9"));
                cases.add(pcp.argv("pcp_health_check_stats", v, "1"));
                cases.add(pcp.argv("pcp_proc_count", v));
                cases.add(pcp.argv("pcp_proc_info", v, "-a", String.valueOf(session)));
                cases.add(pcp.argv("pcp_proc_info", v, "4242"));
                cases.add(pcp.argv("pcp_pool_status", v));
                cases.add(pcp.argv("pcp_watchdog_info", v));
                cases.add(pcp.argv("pcp_attach_node", v, "2"));
                cases.add(pcp.argv("pcp_detach_node", v, "8"));
                cases.add(pcp.argv("pcp_promote_node", v, "-s", "0"));
                cases.add(pcp.argv("pcp_recovery_node", v, "2"));
                cases.add(pcp.argv("pcp_reload_config", v));
                cases.add(pcp.argv("pcp_stop_pgpool", v, "-m", "bogus"));
            }
            cases.add(pcp.argv("pcp_node_info", "-d", "1"));
            cases.add(List.of("pcp_node_count", "--help"));
            cases.add(List.of("pcp_attach_node", "-w"));
            cases.add(List.of("pcp_node_count", "-h", "127.0.0.1", "-p", String.valueOf(pcp.port()), "-U", "intruder",
                    "-w"));
            for (List<String> argv : cases) {
                List<String> a = new ArrayList<>(argv);
                a.removeIf(String::isEmpty);
                Commands.Result real = pcp.realArgv(a);
                Commands.Result jpcp = pcp.jpcpArgv(a);
                String what = String.join(" ", a);
                assertThat(masked(jpcp.stdout())).as(what).isEqualTo(masked(real.stdout()));
                assertThat(jpcp.stderr()).as(what).isEqualTo(real.stderr());
                assertThat(jpcp.exitCode()).as(what).isEqualTo(real.exitCode());
            }
        }
    }

    /** pcp_proc_info's idle seconds tick between two runs; everything else is stable. */
    private static String masked(String out) {
        return out.replaceAll("(" + TIME + " " + TIME + ") \\d+ ", "$1 N ")
                .replaceAll("(?m)^(  " + TIME + " 0 0 0   )\\d+ ", "$1N ")
                .replaceAll("Client idle duration      : \\d+", "Client idle duration      : N");
    }

    // ------------------------------------------------------------------ bad clients

    @Test
    void aWrongPasswordExitsOneWithPgpoolsMessage() throws IOException {
        java.nio.file.Path wrong = jpgpool.dir().resolve("wrong-pcppass");
        java.nio.file.Files.writeString(wrong, "*:*:" + PcpFixture.USER + ":not-it\n");
        java.nio.file.Files.setPosixFilePermissions(wrong,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec -a \"$0\" /usr/sbin/\"$0\" \"$@\""));
        cmd.addAll(pcp.argv("pcp_node_count"));
        Commands.Result r = Commands.run(Duration.ofSeconds(30), Map.of("PCPPASSFILE", wrong.toString()), null, cmd);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("FATAL:  authentication failed for user \"pcpadmin\"\n"
                + "DETAIL:  username and/or password does not match\n\n");
    }

    @Test
    void aCommandWithoutLoginIsRefused() throws IOException {
        try (Socket s = new Socket("127.0.0.1", pcp.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(new byte[] {'D', 0, 0, 0, 6, '1', 0});
            String reply = readReply(s);
            assertThat(reply).startsWith("E").contains("SFATAL\0", "Mauthentication failed for new PCP connection\0",
                    "Dconnection not authorized\0");
            assertThat(s.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
        assertThat(ok(pcp.real("pcp_node_count")).stdout()).isEqualTo("3\n");
    }

    @Test
    void aPacketOf260BytesOrGarbageGetsAFatalAndTheServerGoesOn() throws IOException {
        byte[] big = new byte[1 + 4 + 256];
        big[0] = 'I';
        big[3] = 1;
        big[4] = 4; // 260
        byte[] garbage = "GET / HTTP/1.1\r\nHost: jpgpool\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (byte[] bad : List.of(big, garbage)) {
            try (Socket s = new Socket("127.0.0.1", pcp.port())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(bad);
                out.flush();
                String reply = readReply(s);
                assertThat(reply).contains("SFATAL\0", "Minvalid PCP packet\0", "Dincorrect packet length (");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(ok(pcp.real("pcp_node_count")).stdout()).isEqualTo("3\n");
        }
    }

    private static String readReply(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte tag = in.readByte();
        int len = in.readInt();
        byte[] payload = new byte[len - 4];
        in.readFully(payload);
        return (char) tag + new String(payload, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHundredConcurrentNodeInfoCallsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<Commands.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                runs.add(pool.submit(() -> pcp.real("pcp_node_info", String.valueOf(1))));
            }
            for (Future<Commands.Result> f : runs) {
                Commands.Result r = f.get();
                assertThat(r.exitCode()).as(r.all()).isZero();
                assertThat(r.stdout()).startsWith("127.0.0.1 " + cluster.node(1).port() + " ");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
