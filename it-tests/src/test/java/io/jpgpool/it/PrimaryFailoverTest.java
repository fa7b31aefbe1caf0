package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PgbenchWaves;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RetryingWriter;
import io.jpgpool.it.support.RoutingLog;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given a primary (node 0), a synchronous standby (node 1) and an asynchronous one (node 2) behind jpgpool with
 * conf/failover.sh and conf/follow_primary.sh, a 1 s health check, a TPC-B load run in waves and a writer that
 * records every id the server acknowledged (the 5.4.2 and 5.4.3 scenarios of the PGECons report): when node 0
 * stops, node 1 is promoted and node 2 follows it, no acknowledged row is lost and clients that reconnect work;
 * when node 1 stops too, node 2 becomes the primary and writes go on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrimaryFailoverTest {
    private static final String DB = "bench";
    private static final Duration FAILOVER = Duration.ofSeconds(20);
    private static final Duration FOLLOW = Duration.ofSeconds(45);
    /** What a client may see while its primary goes away: its session ends, or a connect fails. */
    private static final Set<String> FAILOVER_SQLSTATES = Set.of("57P01", "08006", "08001", "08003", "57P03");

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;
    static RetryingWriter writer;
    static PgbenchWaves load;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).synchronousStandby(true)
                .initDatabase(DB).build());
        jpgpool = JpgpoolFixture.prepare(cluster,
                FailoverScripts.withFastHealthCheck(FailoverScripts.failoverCommand(cluster)));
        jpgpool.appendConf(FailoverScripts.followPrimaryCommand(jpgpool),
                "app_name_redirect_preference_list = 'reader2:2'");
        jpgpool.startServer();
        pcp = PcpFixture.start(jpgpool); // follow_primary.sh attaches node 2 through it
        Commands.Result init = pgbench("-i", "-s", "1", DB);
        assertThat(init.exitCode()).as(init.all()).isZero();
        cluster.node(0).execute("CREATE TABLE acked (id bigint PRIMARY KEY)");
        writer = RetryingWriter.start(jpgpool, "acked", Duration.ZERO, Duration.ofMillis(100));
        load = PgbenchWaves.start(jpgpool, DB, "-c", "4", "-j", "2", "-T", "1");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp; RetryingWriter w = writer;
                PgbenchWaves l = load) {
            // closed in reverse order: the load, the writer, PCP, jpgpool, the cluster
        }
    }

    @Test
    @Order(1)
    void whenTheFirstPrimaryStopsNode1IsPromotedNode2FollowsItAndNoAcknowledgedWriteIsLost() throws Exception {
        PgNode node0 = cluster.node(0);
        PgNode node1 = cluster.node(1);
        PgNode node2 = cluster.node(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.acks().size() >= 50
                && load.waves().stream().anyMatch(PgbenchWaves.Wave::clean));
        long stopped = System.nanoTime();

        node0.stop(StopMode.IMMEDIATE);

        await().atMost(FAILOVER).until(() -> PoolNodes.summary(jpgpool).startsWith("0 down standby, 1 up primary")
                && !jpgpool.server().failover().inProgress());
        long failedOver = System.nanoTime();
        assertThat(node1.isInRecovery()).as("failover.sh promoted node 1").isFalse();
        awaitFollowed(node2, node1);
        assertThat(readsAsReader2()).as("node 2 gets reads again").isEqualTo(node2.port());
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool)))
                .isEqualTo("0 down standby, 1 up primary, 2 up standby");

        try (RoutingLog log = RoutingLog.capture()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.startedAfter(failedOver).size() >= 2
                    && writer.acksOn(node1.port(), failedOver).size() >= 20);
            assertThat(log.executionsPerNode("INSERT INTO acked").keySet()).containsExactly(1);
            assertThat(log.executionsPerNode("UPDATE pgbench_accounts").keySet()).containsExactly(1);
        }
        assertThat(load.startedAfter(failedOver)).as("pgbench runs whose clients connected after the failover")
                .allSatisfy(w -> assertThat(w.clean()).as(w.result().all()).isTrue());
        assertThat(writer.failures()).as("what the writer saw while the primary went away")
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.sqlState()).as(f.message()).isIn(FAILOVER_SQLSTATES))
                .allSatisfy(f -> assertThat(f.atNanos()).isGreaterThan(stopped));
        // synchronous_commit = on with node 1 synchronous: whatever node 0 acknowledged, node 1 has
        List<RetryingWriter.Ack> acked = writer.acks();
        assertThat(acked.stream().filter(a -> a.port() == node0.port())).hasSizeGreaterThanOrEqualTo(50);
        assertThat(missingOn(node1, acked)).as("acknowledged ids missing on the new primary").isEmpty();
    }

    @Test
    @Order(2)
    void whenTheSecondPrimaryStopsNode2IsPromotedAndWritesGoOn() throws Exception {
        PgNode node1 = cluster.node(1);
        PgNode node2 = cluster.node(2);
        await().atMost(FOLLOW).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 up primary, 2 up standby"));

        node1.stop(StopMode.IMMEDIATE);

        await().atMost(FAILOVER).until(() -> PoolNodes.summary(jpgpool)
                .equals("0 down standby, 1 down standby, 2 up primary") && !jpgpool.server().failover().inProgress());
        long failedOver = System.nanoTime();
        assertThat(node2.isInRecovery()).as("failover.sh promoted node 2").isFalse();
        try (RoutingLog log = RoutingLog.capture()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> load.startedAfter(failedOver).size() >= 2
                    && writer.acksOn(node2.port(), failedOver).size() >= 20);
            assertThat(log.executionsPerNode("INSERT INTO acked").keySet()).containsExactly(2);
        }
        assertThat(load.startedAfter(failedOver))
                .allSatisfy(w -> assertThat(w.clean()).as(w.result().all()).isTrue());
        assertThat(PoolNodes.summary(PoolNodes.show(jpgpool)))
                .as("follow_primary.sh leaves the stopped nodes alone")
                .isEqualTo("0 down standby, 1 down standby, 2 up primary");
        assertThat(missingOn(node2, writer.acksOn(node2.port(), 0))).isEmpty();
    }

    /** follow_primary.sh rebuilds the standby from the new primary, starts it and runs pcp_attach_node. */
    private static void awaitFollowed(PgNode standby, PgNode primary) {
        standby.waitForStreamingFrom(primary, FOLLOW);
        await().atMost(FOLLOW).until(() -> PoolNodes.summary(jpgpool).contains(standby.id() + " up standby"));
    }

    /** The port of the node that answered a read of a session named reader2 (redirected to node 2). */
    private static int readsAsReader2() throws Exception {
        return jpgpool.readPortAs("reader2", DB, "pgbench_branches");
    }

    private static Set<Long> missingOn(PgNode node, List<RetryingWriter.Ack> acked) {
        Set<Long> present = new HashSet<>();
        for (List<String> row : node.query("SELECT id FROM acked")) {
            present.add(Long.parseLong(row.get(0)));
        }
        return acked.stream().map(RetryingWriter.Ack::id).filter(id -> !present.contains(id))
                .collect(Collectors.toSet());
    }

    private static Commands.Result pgbench(String... args) {
        List<String> cmd = Stream.concat(Stream.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(), "-p",
                String.valueOf(jpgpool.port()), "-U", "postgres"), Stream.of(args)).toList();
        return Commands.run(Duration.ofSeconds(60), Map.of("PGPASSWORD", cluster.options().superuserPassword()),
                null, cmd);
    }
}
