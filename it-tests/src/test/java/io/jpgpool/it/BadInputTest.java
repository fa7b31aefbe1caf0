package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RawPgClient;
import io.jpgpool.it.support.RawPgClient.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * While 50 pgbench clients read through jpgpool, other clients send it malformed bytes: each of those gets a
 * FATAL error (or, where it already went away, nothing) and is disconnected; pgbench never notices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final int PGBENCH_CLIENTS = 50;

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static CompletableFuture<Commands.Result> pgbench;

    @BeforeAll
    static void startLoad() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        PgNode primary = cluster.primary();
        Commands.Result init = Commands.run(Duration.ofSeconds(60), Map.of(), Commands.pgTool("pgbench"), "-i", "-q",
                "-s", "1", "-h", primary.host(), "-p", String.valueOf(primary.port()), "-U", "postgres", "postgres");
        assertThat(init.exitCode()).as(init.all()).isZero();
        cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(30));
        jpgpool = JpgpoolFixture.start(cluster);

        pgbench = CompletableFuture.supplyAsync(() -> Commands.run(Duration.ofSeconds(60), Map.of(),
                Commands.pgTool("pgbench"), "-n", "-S", "-c", String.valueOf(PGBENCH_CLIENTS), "-j", "2", "-T", "15",
                "-h", jpgpool.host(), "-p", String.valueOf(jpgpool.port()), "-U", "postgres", "postgres"));
        await().atMost(Duration.ofSeconds(20)).until(() -> pgbench.isDone()
                || jpgpool.server().runtime().sessions().connectedClients() >= PGBENCH_CLIENTS);
    }

    @AfterAll
    static void stop() {
        if (pgbench != null) {
            pgbench.join();
        }
        if (jpgpool != null) {
            jpgpool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void garbageInsteadOfAStartupPacketIsRefused() {
        byte[] http = "GET / HTTP/1.1\r\nHost: jpgpool\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(answerTo(http)).singleElement()
                .satisfies(m -> assertFatal(m, "08P01", "invalid length of startup packet"));

        byte[] nonsenseVersion = ByteBuffer.allocate(16).putInt(16).putInt(0x12345678).putLong(42).array();
        assertThat(answerTo(nonsenseVersion)).singleElement().satisfies(m -> assertFatal(m, "0A000",
                "unsupported frontend protocol 4660.22136: server supports 3.0 to 3.0"));
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(2)
    void aTruncatedStartupPacketThenCloseEndsTheConnectionQuietly() {
        byte[] startup = RawPgClient.startupPacket("postgres", "postgres");
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            c.send(Arrays.copyOf(startup, startup.length / 2)).shutdownOutput();
            // as PostgreSQL: "incomplete startup packet" is for the log only, the client has gone
            assertThat(c.readUntilClosed()).isEmpty();
        }
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            c.send(Arrays.copyOf(startup, 3)); // not even a length word, then a full close
        }
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(3)
    void aStartupPacketClaimingMoreThanTenThousandBytesIsRefused() {
        byte[] huge = ByteBuffer.allocate(13).putInt(10_009).putInt(196608).put("user".getBytes()).put((byte) 0)
                .array();
        assertThat(answerTo(huge)).singleElement()
                .satisfies(m -> assertFatal(m, "08P01", "invalid length of startup packet"));
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(4)
    void anUnknownMessageTypeAfterLoginIsAProtocolViolation() {
        assertThat(answerAfterLogin(RawPgClient.message('z', new byte[0]))).singleElement()
                .satisfies(m -> assertFatal(m, "08P01", "invalid frontend message type 122"));
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(5)
    void aMessageClaimingTwoGigabytesIsRefusedBeforeAnythingIsBuffered() {
        byte[] twoGigabytes = ByteBuffer.allocate(5).put((byte) 'Q').putInt(0x80000000).array();
        assertThat(answerAfterLogin(twoGigabytes)).singleElement()
                .satisfies(m -> assertFatal(m, "08P01", "invalid message length"));
        byte[] justUnderTwoGigabytes = ByteBuffer.allocate(5).put((byte) 'Q').putInt(0x7fffffff).array();
        assertThat(answerAfterLogin(justUnderTwoGigabytes)).singleElement()
                .satisfies(m -> assertFatal(m, "08P01", "invalid message length"));
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(6)
    void aTruncatedMessageThenCloseEndsTheSessionQuietly() {
        byte[] query = RawPgClient.query("SELECT 'never complete'");
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            c.login("postgres", "postgres");
            c.send(Arrays.copyOf(query, query.length - 5)).shutdownOutput();
            assertThat(c.readUntilClosed()).isEmpty(); // PostgreSQL too only logs "unexpected EOF"
        }
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(7)
    void aWellBehavedRawClientIsServedDuringTheLoad() {
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            List<Message> answer = c.login("postgres", "postgres").send(RawPgClient.query("SELECT 41 + 1"))
                    .readUntilReady();
            assertThat(answer).extracting(Message::type).containsExactly('T', 'D', 'C', 'Z');
        }
        assertThat(pgbench).isNotDone();
    }

    @Test
    @Order(8)
    void pgbenchSawNoFailureAndNewClientsAreStillServed() throws Exception {
        Commands.Result bench = pgbench.join();
        assertThat(bench.exitCode()).as(bench.all()).isZero();
        assertThat(bench.stdout())
                .contains("number of clients: " + PGBENCH_CLIENTS)
                .contains("number of failed transactions: 0 (0.000%)");

        try (Connection c = jpgpool.connect("postgres"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pgbench_accounts")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(100_000L);
        }
        // every bad client gave its slot back
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jpgpool.server().runtime().sessions().connectedClients() == 0);
    }

    /** Sends bytes as the first thing on a new connection; returns all the server said before closing. */
    private static List<Message> answerTo(byte[] bytes) {
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            return c.send(bytes).readUntilClosed();
        }
    }

    /** Logs in (trust), then sends bytes; returns all the server said before closing. */
    private static List<Message> answerAfterLogin(byte[] bytes) {
        try (RawPgClient c = RawPgClient.connect(jpgpool.host(), jpgpool.port(), ANSWER_TIMEOUT)) {
            return c.login("postgres", "postgres").send(bytes).readUntilClosed();
        }
    }

    private static void assertFatal(Message m, String sqlState, String text) {
        assertThat(m.type()).as("message type of %s", m).isEqualTo('E');
        assertThat(m.fields())
                .containsEntry('S', "FATAL")
                .containsEntry('C', sqlState)
                .containsEntry('M', text);
    }
}
