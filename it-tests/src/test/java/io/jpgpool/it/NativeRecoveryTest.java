package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PgbenchWaves;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RecoveryScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Online recovery in native replication mode (SEMANTICS D.3, seed 003): node 1 is detached and writes go on
 * on the others; the real {@code pcp_recovery_node -n 1} copies the main node while a TPC-B load runs (first
 * stage), holds the clients at their next transaction boundary while node 1 catches up (second stage), starts
 * it and attaches it. Afterwards the three nodes hold the same rows, node 1 takes writes again, and no client
 * got an error: they only waited.
 */
class NativeRecoveryTest {
    private static final String DB = "bench";
    private static final String SECOND_STAGE = "recovery_2nd_stage";

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() throws Exception {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.independent(ClusterOptions.builder().servers(3).initDatabase(DB).build());
        RecoveryScripts.install(cluster);
        for (PgNode n : cluster.nodes()) {
            Path to = n.dataDir().resolve(SECOND_STAGE);
            Files.copy(Path.of(FailoverScripts.script(SECOND_STAGE)), to);
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setOwner(to, Files.getOwner(n.dataDir()));
        }
        jpgpool = JpgpoolFixture.prepare(cluster, "health_check_period = 0");
        jpgpool.appendConf(RecoveryScripts.conf(cluster, RecoveryScripts.FIRST_STAGE));
        jpgpool.appendConf("recovery_2nd_stage_command = '" + SECOND_STAGE + "'");
        jpgpool.startServer();
        pcp = PcpFixture.start(jpgpool);
        Commands.Result init = pgbench("-i", "-s", "2");
        assertThat(init.exitCode()).as(init.all()).isZero();
        try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE writes (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
        }
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    @Test
    void aDetachedNodeIsRebuiltWhileClientsWorkAndEveryNodeEndsIdentical() throws Exception {
        Commands.Result detach = pcp.real("pcp_detach_node", "-n", "1");
        assertThat(detach.all()).contains("Command Successful");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(PoolNodes.status(jpgpool, 1)).isEqualTo("down"));

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong longestWaitMillis = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
                while (writing.get()) {
                    long t0 = System.nanoTime();
                    s.executeUpdate("INSERT INTO writes DEFAULT VALUES");
                    longestWaitMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    written.incrementAndGet();
                }
            } catch (Throwable t) {
                writerError.set(t);
            }
        }, "native-recovery-writer");
        Commands.Result recovery;
        List<PgbenchWaves.Wave> waves;
        try (PgbenchWaves load = PgbenchWaves.start(jpgpool, DB, "-c", "4", "-j", "2", "-T", "2")) {
            writer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !load.waves().isEmpty() && written.get() > 20);
            recovery = pcp.real("pcp_recovery_node", "-n", "1");
            long attachedAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> load.startedAfter(attachedAt).size() >= 1);
            waves = load.waves();
        } finally {
            writing.set(false);
            writer.join(60_000);
        }
        assertThat(recovery.all()).as(recovery.all()).contains("pcp_recovery_node -- Command Successful");
        assertThat(writerError.get()).as("the writer never got an error").isNull();
        assertThat(waves).as("pgbench runs").allSatisfy(w -> assertThat(w.clean()).as(w.result().all()).isTrue());
        assertThat(PoolNodes.status(jpgpool, 1)).isIn("up", "waiting");
        System.out.println("native recovery: the longest INSERT during the recovery took " + longestWaitMillis.get()
                + " ms; " + written.get() + " rows written meanwhile");

        for (String table : List.of("pgbench_accounts", "pgbench_branches", "pgbench_tellers", "pgbench_history",
                "writes")) {
            String sql = "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM "
                    + table + " t";
            List<List<String>> main = cluster.node(0).query(DB, sql);
            for (PgNode n : cluster.nodes()) {
                assertThat(n.query(DB, sql)).as(table + " on " + n.name()).isEqualTo(main);
            }
        }
        try (Connection c = jpgpool.connect(DB); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO writes (id) VALUES (-1)");
        }
        assertThat(cluster.node(1).query(DB, "SELECT count(*) FROM writes WHERE id = -1"))
                .as("node 1 takes writes again").containsExactly(List.of("1"));
        assertThat(cluster.node(1).isInRecovery()).as("node 1 is a server of its own again").isFalse();
    }

    private static Commands.Result pgbench(String... args) throws SQLException {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-h", jpgpool.host(),
                "-p", String.valueOf(jpgpool.port()), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add(DB);
        return Commands.run(Duration.ofMinutes(2),
                Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"), null, command);
    }
}
