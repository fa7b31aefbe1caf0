package io.jpgpool.pcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PcpUsers;
import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.admin.AdminException;
import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.core.admin.PoolSlot;
import io.jpgpool.core.admin.SessionInfo;
import io.jpgpool.pcp.wire.Bytes;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PcpPacket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given the cluster of the recorded 4.3.5 traces (PCP_SPEC 13: native replication, nodes 127.0.0.1:15432 and
 * :15433, weights 1 and 3) and user pcpadmin/secret: each request gets the bytes pgpool sent.
 */
class PcpConnectionTest {
    /** The salt of the trace in PCP_SPEC 13.1. */
    private static final byte[] SALT = {(byte) 0xaa, (byte) 0xa6, 0x60, 0x67};

    @TempDir
    Path dir;
    FakeAdmin admin;
    Path pcpConf;
    PcpConnection connection;

    @BeforeEach
    void setUp() throws IOException {
        admin = new FakeAdmin();
        pcpConf = dir.resolve("pcp.conf");
        Files.writeString(pcpConf, "# USERID:MD5PASSWD\npcpadmin:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
        connection = new PcpConnection(admin, () -> pcpConf, "test", SALT::clone);
    }

    private byte[] send(String trace) {
        byte[] b = Trace.bytes(trace);
        int len = ((b[1] & 0xff) << 24) | ((b[2] & 0xff) << 16) | ((b[3] & 0xff) << 8) | (b[4] & 0xff);
        byte[] payload = new byte[b.length - 5];
        System.arraycopy(b, 5, payload, 0, payload.length);
        return connection.handle(new PcpFrame(b[0], len, payload)).bytes();
    }

    private PcpReply reply(String trace) {
        byte[] b = Trace.bytes(trace);
        byte[] payload = new byte[b.length - 5];
        System.arraycopy(b, 5, payload, 0, payload.length);
        return connection.handle(new PcpFrame(b[0], b.length - 1, payload));
    }

    private void login() {
        assertThat(send("M\\0\\0\\0\\x04")).isEqualTo(Trace.bytes("m\\0\\0\\0\\x08\\xaa\\xa6`g"));
        assertThat(send("R\\0\\0\\0.pcpadmin\\04b6ba0842c7ea8481e127c5cd73e4902\\0"))
                .isEqualTo(Trace.bytes("r\\0\\0\\0\\x15AuthenticationOK\\0"));
    }

    /** An error packet laid out as PCP_SPEC 4.1 describes it, built by hand. */
    private static byte[] error(String severity, String message, String detail, String file, int line) {
        String payload = "S" + severity + "\0CXX000\0M" + message + "\0D" + detail + "\0F" + file + "\0L" + line + "\0\0";
        int len = 4 + payload.length();
        return Bytes.latin1("E" + (char) (len >>> 24) + (char) ((len >>> 16) & 0xff) + (char) ((len >>> 8) & 0xff)
                + (char) (len & 0xff) + payload);
    }

    // ------------------------------------------------------------------ login (PCP_SPEC 3, 13.1, 13.3)

    @Test
    void theRecordedLoginSucceedsAndNodeCountIsAnswered() {
        login();
        assertThat(send("L\\0\\0\\0\\x04")).isEqualTo(Trace.bytes("l\\0\\0\\0\\x16CommandComplete\\02\\0"));
        PcpReply bye = reply("X\\0\\0\\0\\x04");
        assertThat(bye.packets()).isEmpty();
        assertThat(bye.close()).isTrue();
    }

    @Test
    void theClientHashIsTheWorkedExampleOfTheSpec() {
        assertThat(PcpUsers.clientResponse("pcpadmin", "secret", SALT)).isEqualTo("4b6ba0842c7ea8481e127c5cd73e4902");
    }

    @Test
    void aWrongPasswordIsAFatalWithPgpoolsBytesAndTheConnectionCloses() {
        send("M\\0\\0\\0\\x04");
        PcpReply r = reply("R\\0\\0\\0.pcpadmin\\04178f39a1b83d852fee6c931436690dd\\0");
        assertThat(r.bytes()).isEqualTo(Trace.bytes("E\\0\\0\\0zSFATAL\\0CXX000\\0Mauthentication failed for user "
                + "\"pcpadmin\"\\0Dusername and/or password does not match\\0Fpcp_worker.c\\0L517\\0\\0"));
        assertThat(r.close()).isTrue();
    }

    @Test
    void anUnknownUserIsRefusedLikeAWrongPassword() {
        send("M\\0\\0\\0\\x04");
        PcpReply r = connection.handle(PcpPacket.of('R').cstring("nobody")
                .cstring(PcpUsers.clientResponse("nobody", "secret", SALT)).toFrame());
        assertThat(r.close()).isTrue();
        assertThat(Bytes.latin1(r.bytes())).contains("authentication failed for user \"nobody\"");
    }

    @Test
    void aLoginWithoutASaltIsRefused() {
        PcpReply r = reply("R\\0\\0\\0.pcpadmin\\04b6ba0842c7ea8481e127c5cd73e4902\\0");
        assertThat(r.close()).isTrue();
        assertThat(r.bytes()).isEqualTo(error("FATAL", "authentication failed",
                "username and/or password does not match", "pcp_worker.c", 1352));
    }

    @Test
    void aSaltServesOneLoginOnly() {
        login();
        PcpReply again = reply("R\\0\\0\\0.pcpadmin\\04b6ba0842c7ea8481e127c5cd73e4902\\0");
        assertThat(again.close()).isTrue();
        assertThat(Bytes.latin1(again.bytes())).contains("Mauthentication failed\0");
    }

    @Test
    void aCommandBeforeLoginIsRefusedAndTheConnectionCloses() {
        PcpReply r = reply("L\\0\\0\\0\\x04");
        assertThat(r.close()).isTrue();
        assertThat(r.bytes()).isEqualTo(error("FATAL", "authentication failed for new PCP connection",
                "connection not authorized", "pcp_worker.c", 216));
        assertThat(admin.calls).isEmpty();
    }

    @Test
    void pcpConfIsReadAtEveryLogin() throws IOException {
        Files.writeString(pcpConf, "pcpadmin:" + "0".repeat(32) + "\n");
        send("M\\0\\0\\0\\x04");
        assertThat(reply("R\\0\\0\\0.pcpadmin\\04b6ba0842c7ea8481e127c5cd73e4902\\0").close()).isTrue();
        Files.writeString(pcpConf, "pcpadmin:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
        connection = new PcpConnection(admin, () -> pcpConf, "test", SALT::clone);
        login();
    }

    @Test
    void aMissingPcpConfIsAFatalNamingTheFile() throws IOException {
        Files.delete(pcpConf);
        send("M\\0\\0\\0\\x04");
        PcpReply r = reply("R\\0\\0\\0.pcpadmin\\04b6ba0842c7ea8481e127c5cd73e4902\\0");
        assertThat(r.close()).isTrue();
        assertThat(Bytes.latin1(r.bytes())).contains("Mfailed to authenticate PCP user\0Dcould not open " + pcpConf
                + ". reason: No such file or directory\0Fpcp_worker.c\0L451\0");
    }

    @Test
    void aUserNameWithoutItsNulIsRefused() {
        send("M\\0\\0\\0\\x04");
        PcpReply r = connection.handle(PcpFrame.of('R', Bytes.latin1("x".repeat(200))));
        assertThat(r.close()).isTrue();
        assertThat(Bytes.latin1(r.bytes())).contains("error while reading authentication packet");
    }

    @Test
    void aBadLengthIsAFatal() {
        PcpReply r = connection.handle(new PcpFrame((byte) 'L', 260, new byte[0]));
        assertThat(r.close()).isTrue();
        assertThat(r.bytes()).isEqualTo(error("FATAL", "invalid PCP packet", "incorrect packet length (260)",
                "pcp_worker.c", 186));
    }

    @Test
    void anUnknownTagAfterLoginIsAFatal() {
        login();
        PcpReply r = reply("V\\0\\0\\0\\x05l");
        assertThat(r.close()).isTrue();
        assertThat(Bytes.latin1(r.bytes())).contains("MPCP processing request\0Dunknown PCP packet type \"V\"\0");
    }

    // ------------------------------------------------------------------ information (PCP_SPEC 6, 13.2-13.4)

    @Test
    void nodeInfoForAllNodesIsTheRecordedSequence() {
        login();
        assertThat(send("I\\0\\0\\0\\x07-1\\0")).isEqualTo(Trace.bytes(
                "i\\0\\0\\0\\x10ArraySize\\02\\0"
                + "i\\0\\0\\0KNodeInfo\\0127.0.0.1\\015432\\01\\00\\0up\\0536870911.750000\\00\\0main\\00\\0\\0\\0"
                + "1795311525\\0"
                + "i\\0\\0\\0ONodeInfo\\0127.0.0.1\\015433\\01\\00\\0up\\01610612735.250000\\01\\0replica\\00\\0\\0\\0"
                + "1795311525\\0"
                + "i\\0\\0\\0\\x14CommandComplete\\0"));
    }

    @Test
    void nodeInfoForOneNode() {
        login();
        assertThat(send("I\\0\\0\\0\\x060\\0")).isEqualTo(Trace.bytes(
                "i\\0\\0\\0\\x10ArraySize\\01\\0"
                + "i\\0\\0\\0KNodeInfo\\0127.0.0.1\\015432\\01\\00\\0up\\0536870911.750000\\00\\0main\\00\\0\\0\\0"
                + "1795311525\\0"
                + "i\\0\\0\\0\\x14CommandComplete\\0"));
    }

    @Test
    void nodeInfoOfAnUnknownNodeIsAnErrorAndTheConnectionStays() {
        login();
        PcpReply r = reply("I\\0\\0\\0\\x065\\0");
        assertThat(r.bytes()).isEqualTo(Trace.bytes("E\\0\\0\\0WSERROR\\0CXX000\\0Minforming node info failed\\0"
                + "Dinvalid node ID : 5\\0Fpcp_worker.c\\0L843\\0\\0"));
        assertThat(r.close()).isFalse();
        assertThat(send("L\\0\\0\\0\\x04")).isEqualTo(Trace.bytes("l\\0\\0\\0\\x16CommandComplete\\02\\0"));
    }

    @Test
    void watchdogInfoSaysTheWatchdogIsOff() {
        login();
        assertThat(send("W\\0\\0\\0\\x07-1\\0")).isEqualTo(Trace.bytes("E\\0\\0\\0dSERROR\\0CXX000\\0MPCP: informing "
                + "watchdog info failed\\0Dwatchdog is not enabled\\0Fpcp_worker.c\\0L794\\0\\0"));
    }

    @Test
    void processInfoOfAnUnknownProcessIsAnError() {
        login();
        assertThat(send("P\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("E\\0\\0\\0]SERROR\\0CXX000\\0Minforming "
                + "process info failed\\0Dinvalid process ID : 1\\0Fpcp_worker.c\\0L699\\0\\0"));
    }

    @Test
    void processCountAndInfoAreTheRecordedOnes() {
        admin.slots = List.of(
                slot("12193", "0", "0"), slot("12193", "0", "1"), slot("12193", "1", "0"), slot("12193", "1", "1"));
        login();
        PcpReply count = reply("N\\0\\0\\0\\x04");
        assertThat(count.bytes()).isEqualTo(Trace.bytes("n\\0\\0\\0\\x16CommandComplete\\00\\0"));
        byte[] unused = Trace.bytes("p\\0\\0\\0UProcessInfo\\012193\\02026-11-22 01:38:46\\00\\00\\00\\0\\0\\0\\0\\0\\0"
                + "0\\00\\00\\00\\00\\00\\0Wait for connection\\0");
        byte[] info = send("P\\0\\0\\0\\x0a12193\\0");
        assertThat(Bytes.latin1(info)).startsWith(Bytes.latin1(Trace.bytes("p\\0\\0\\0\\x10ArraySize\\04\\0"))
                + Bytes.latin1(unused)).endsWith(Bytes.latin1(Trace.bytes("p\\0\\0\\0\\x14CommandComplete\\0")));
    }

    private static PoolSlot slot(String pid, String pool, String backend) {
        return new PoolSlot(pid, "2026-11-22 01:38:46", "0", pool, backend, "", "", "", "", "", "0", "0", "0", "0",
                "0", "0", "Wait for connection");
    }

    @Test
    void processCountListsTheSessionIds() {
        admin.sessions.add(session(1001));
        admin.sessions.add(session(1002));
        login();
        assertThat(send("N\\0\\0\\0\\x04")).isEqualTo(Trace.bytes("n\\0\\0\\0\\x20CommandComplete\\02\\0"
                + "1001\\01002\\0"));
    }

    @Test
    void processInfoSendsMaxPoolTimesNodesRecordsPerSession() {
        admin.sessions.add(session(1001));
        login();
        PcpReply r = reply("P\\0\\0\\0\\x060\\0");
        assertThat(r.packets()).hasSize(1 + 2 * 2 + 1);
        assertThat(r.packets().get(0).toBytes()).isEqualTo(Trace.bytes("p\\0\\0\\0\\x10ArraySize\\04\\0"));
        assertThat(Bytes.latin1(r.packets().get(1).toBytes())).isEqualTo(Bytes.latin1(PcpPacket.of('p')
                .cstring("ProcessInfo").cstrings(List.of("1001", "2026-11-22 01:38:45", "0", "0", "0", "postgres",
                        "postgres", "2026-11-22 01:38:45", "2026-11-22 01:38:45", "", "3", "3", "0", "1", "4242",
                        "1", "Idle")).toBytes()));
    }

    static SessionInfo session(int id) {
        return new SessionInfo(id, FakeAdmin.CHANGED, "postgres", "postgres", "psql", FakeAdmin.CHANGED, 3, "Idle", 1,
                List.of(new SessionInfo.BackendInfo(0, 4242, FakeAdmin.CHANGED, 0)));
    }

    @Test
    void healthCheckStatsIsTheRecordedPacket() {
        Instant checked = Instant.ofEpochSecond(1795311536L);
        admin.health = new HealthCheckStats(3, 3, 0, 0, 0, 0, 5, 4, 13.0 / 3, 0, checked, checked, null, null);
        login();
        assertThat(send("H\\0\\0\\0\\x060\\0")).isEqualTo(Trace.bytes("h\\0\\0\\0\\x93CommandComplete\\00\\0"
                + "127.0.0.1\\015432\\0waiting\\0main\\02026-11-22 01:38:45\\03\\03\\00\\00\\00\\00.000000\\00\\05\\0"
                + "4\\04.333333\\02026-11-22 01:38:56\\02026-11-22 01:38:56\\0\\0\\0"));
    }

    @Test
    void healthCheckStatsOfTheNodeAfterTheLastHasItsOwnError() {
        login();
        assertThat(Bytes.latin1(send("H\\0\\0\\0\\x062\\0"))).contains(
                "Minforming health check stats info failed\0Dstats data for node ID 2 does not exist\0"
                        + "Fpcp_worker.c\0L1017\0");
        assertThat(Bytes.latin1(send("H\\0\\0\\0\\x063\\0"))).contains("Dinvalid node ID 3\0Fpcp_worker.c\0L998\0");
    }

    @Test
    void poolStatusSendsItsArraySizeAsABinaryInt() {
        admin.poolStatus.clear();
        for (int i = 0; i < 152; i++) {
            admin.poolStatus.add(new PoolStatusItems.Row("backend_clustering_mode", "2", "clustering mode"));
        }
        login();
        PcpReply r = reply("B\\0\\0\\0\\x04");
        assertThat(r.packets()).hasSize(154);
        assertThat(r.packets().get(0).toBytes()).isEqualTo(Trace.bytes("b\\0\\0\\0\\x12ArraySize\\0\\0\\0\\0\\x98"));
        assertThat(r.packets().get(1).toBytes()).isEqualTo(Trace.bytes("b\\0\\0\\0<ProcessConfig\\0"
                + "backend_clustering_mode\\02\\0clustering mode\\0"));
        assertThat(r.packets().get(153).toBytes()).isEqualTo(Trace.bytes("b\\0\\0\\0\\x14CommandComplete\\0"));
    }

    // ------------------------------------------------------------------ operations (PCP_SPEC 5.8-5.13, 13.5)

    @Test
    void detachAttachReloadAndStopAnswerAsRecorded() {
        login();
        assertThat(send("D\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("d\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(send("d\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("d\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(send("C\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("c\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(send("Z\\0\\0\\0\\x05l")).isEqualTo(Trace.bytes("z\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(send("Z\\0\\0\\0\\x05c")).isEqualTo(Trace.bytes("z\\0\\0\\0\\x14CommandComplete\\0"));
        PcpReply stop = reply("T\\0\\0\\0\\x05f");
        assertThat(stop.bytes()).isEqualTo(Trace.bytes("t\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(admin.calls).containsExactly("detach 1", "detach 1 -g", "attach 1", "reload", "reload");
        stop.afterSend().run();
        assertThat(admin.calls).endsWith("stop fast");
    }

    @Test
    void stopOnlyHappensAfterTheAnswerWasSent() {
        login();
        PcpReply stop = reply("t\\0\\0\\0\\x05i");
        assertThat(admin.calls).isEmpty();
        assertThat(stop.afterSend()).isNotNull();
        stop.afterSend().run();
        assertThat(admin.calls).containsExactly("stop immediate");
    }

    @Test
    void recoveryAndALocalStopAreRefusedWhileAFailoverRuns() {
        admin.busy = "failover is in progress";
        login();
        for (String request : List.of("O\\0\\0\\0\\x061\\0", "T\\0\\0\\0\\x05f")) {
            PcpReply r = reply(request);
            assertThat(r.close()).as(request).isFalse();
            assertThat(r.afterSend()).as(request).isNull();
            assertThat(Bytes.latin1(r.bytes())).as(request).contains("SERROR\0CXX000\0"
                    + "Mfailed to process PCP request at the moment\0Dfailover is in progress\0");
        }
        assertThat(admin.calls).isEmpty();
        // as in pgpool, only the local stop is checked; and once the failover is over, both go through
        assertThat(reply("t\\0\\0\\0\\x05f").bytes()).isEqualTo(Trace.bytes("t\\0\\0\\0\\x14CommandComplete\\0"));
        admin.busy = null;
        assertThat(send("O\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("c\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(reply("T\\0\\0\\0\\x05f").bytes()).isEqualTo(Trace.bytes("t\\0\\0\\0\\x14CommandComplete\\0"));
    }

    @Test
    void anUnknownShutdownModeIsAnError() {
        login();
        PcpReply r = reply("T\\0\\0\\0\\x05x");
        assertThat(r.close()).isFalse();
        assertThat(Bytes.latin1(r.bytes())).contains("MPCP: error while processing shutdown request\0"
                + "Dinvalid shutdown mode \"x\"\0Fpcp_worker.c\0L1407\0");
    }

    @Test
    void promoteInNativeReplicationIsTheRecordedFatal() {
        login();
        PcpReply r = reply("J\\0\\0\\0\\x081 \\0n");
        assertThat(r.bytes()).isEqualTo(Trace.bytes("E\\0\\0\\0\\x94SFATAL\\0CXX000\\0Minvalid pgpool mode for process "
                + "promote request\\0Dnot in streaming replication mode, can't promote node id 1\\0Fpcp_worker.c\\0"
                + "L1302\\0\\0"));
        assertThat(r.close()).isTrue();
    }

    @Test
    void promoteReadsTheIdAndTheSwitchoverByteAndAnswersWithD() {
        admin.mode = ClusteringMode.STREAMING_REPLICATION;
        login();
        assertThat(send("J\\0\\0\\0\\x081 \\0s")).isEqualTo(Trace.bytes("d\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(send("j\\0\\0\\0\\x0812 \\0n")).isEqualTo(Trace.bytes("d\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(admin.calls).containsExactly("promote 1 -s", "promote 12 -g");
    }

    @Test
    void recoveryErrorsComeFromTheAdminApiWithPgpoolsSource() {
        admin.failure = new AdminException("node recovery failed, node id: 1 is alive", null);
        login();
        assertThat(send("O\\0\\0\\0\\x061\\0")).isEqualTo(Trace.bytes("E\\0\\0\\0NSERROR\\0CXX000\\0Mnode recovery "
                + "failed, node id: 1 is alive\\0Frecovery.c\\0L85\\0\\0"));
    }

    @Test
    void aFailedStageNamesItWithTheScriptsLastLinesAndASecondRecoveryIsFatal() {
        admin.failure = new AdminException("executing recovery, execution of command failed at \"1st stage\"",
                "command:\"recovery_1st_stage\" exited with status 1; its last lines:\npg_basebackup: error: x", false);
        login();
        assertThat(Bytes.latin1(send("O\\0\\0\\0\\x062\\0"))).contains("SERROR\0",
                "Mexecuting recovery, execution of command failed at \"1st stage\"\0",
                "Dcommand:\"recovery_1st_stage\" exited with status 1; its last lines:\npg_basebackup: error: x\0",
                "Frecovery.c\0L312\0");

        admin.failure = new AdminException("process recovery request failed",
                "pgpool-II is already processing another recovery request.", true);
        PcpReply r = reply("O\\0\\0\\0\\x062\\0");
        assertThat(Bytes.latin1(r.bytes())).contains("SFATAL\0", "Fpcp_worker.c\0L1181\0");
        assertThat(r.close()).isTrue();
    }

    @Test
    void recoveryAnswersWithC() {
        login();
        assertThat(send("O\\0\\0\\0\\x062\\0")).isEqualTo(Trace.bytes("c\\0\\0\\0\\x14CommandComplete\\0"));
    }

    @Test
    void setBackendParameterKnowsOnlyClientMinMessages() {
        login();
        assertThat(send("A\\0\\0\\0\\x1dclient_min_messages\\0log\\0"))
                .isEqualTo(Trace.bytes("a\\0\\0\\0\\x14CommandComplete\\0"));
        assertThat(Bytes.latin1(send("A\\0\\0\\0\\x0ex\\0y\\0"))).contains("Dinvalid parameter \"x\"\0");
    }

    @Test
    void stopOnlineRecoveryHasNoAnswer() {
        login();
        PcpReply r = reply("F\\0\\0\\0\\x04");
        assertThat(r.packets()).isEmpty();
        assertThat(r.close()).isFalse();
    }

    @Test
    void detachErrorsKeepTheConnection() {
        admin.failure = new AdminException("invalid degenerate backend request, node id : 1 status: [3] is not valid "
                + "for failover", null);
        login();
        PcpReply r = reply("D\\0\\0\\0\\x061\\0");
        assertThat(r.close()).isFalse();
        assertThat(Bytes.latin1(r.bytes())).endsWith("Fpool_internal_comms.c\0L124\0\0");
    }
}
