package io.jpgpool.it.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.RecoveryScripts;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * How long online recovery takes for a node of about 1 GB ({@code pgbench -i -s 70} by default): a primary and
 * two standbys behind jpgpool, conf/recovery_1st_stage (pg_basebackup) and conf/pgpool_remote_start; standby 2 is
 * stopped and detached, then the real {@code pcp_recovery_node -n 2} rebuilds it, once with jpgpool running the
 * scripts and once through the pgpool_recovery extension (when installed). Prints each step as jpgpool logged
 * it, the whole recovery, and the tool's own wall time.
 *
 * <p>Run with bench/recovery_time.sh [scale] (default 70).
 */
public final class RecoveryTimeBench {
    private static final String DB = "bench";

    private RecoveryTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int scale = args.length > 0 ? Integer.parseInt(args[0]) : 70;
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR); // a node stops: the point
        Logger recovery = (Logger) LoggerFactory.getLogger("io.jpgpool.core.recovery");
        recovery.setLevel(Level.INFO); // read by LogLines, not printed
        recovery.setAdditive(false);
        try (PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase(DB).build())) {
            RecoveryScripts.install(cluster);
            try (JpgpoolFixture jpgpool = JpgpoolFixture.prepare(cluster, "health_check_period = 1",
                    "health_check_max_retries = 0", "connect_timeout = 5000", "health_check_timeout = 5")) {
                jpgpool.appendConf(RecoveryScripts.conf(cluster, RecoveryScripts.FIRST_STAGE));
                jpgpool.appendConf("recovery_timeout = 600");
                jpgpool.startServer();
                try (PcpFixture pcp = PcpFixture.start(jpgpool)) {
                    PgNode primary = cluster.node(0);
                    long t = System.nanoTime();
                    Commands.Result init = Commands.run(Duration.ofMinutes(30), Map.of(), Commands.pgTool("pgbench"),
                            "-h", primary.host(), "-p", String.valueOf(primary.port()), "-U", "postgres", "-i",
                            "-q", "-s", String.valueOf(scale), DB);
                    if (init.exitCode() != 0) {
                        throw new IllegalStateException(init.all());
                    }
                    for (PgNode standby : List.of(cluster.node(1), cluster.node(2))) {
                        standby.waitForReplayOf(primary, Duration.ofMinutes(10));
                    }
                    System.out.printf(Locale.ROOT, "pgbench -i -s %d: database %s is %s (%.0f s to load and "
                            + "replicate)%n", scale, DB, primary.query("SELECT pg_size_pretty(pg_database_size('"
                            + DB + "'))").get(0).get(0), (System.nanoTime() - t) / 1e9);
                    once(cluster, jpgpool, pcp, "scripts run by jpgpool (no extension)");
                    if (RecoveryScripts.extensionInstalled(cluster)) {
                        RecoveryScripts.createExtension(primary);
                        once(cluster, jpgpool, pcp, "through the pgpool_recovery extension");
                    }
                }
            }
        }
    }

    private static void once(PgCluster cluster, JpgpoolFixture jpgpool, PcpFixture pcp, String how)
            throws Exception {
        PgNode node2 = cluster.node(2);
        node2.stop(StopMode.IMMEDIATE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!PoolNodes.summary(jpgpool).endsWith("2 down standby") || jpgpool.server().failover().inProgress()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node 2 was not detached: " + PoolNodes.summary(jpgpool));
            }
            Thread.sleep(100);
        }
        try (LogLines log = LogLines.capture("io.jpgpool.core.recovery")) {
            long t = System.nanoTime();
            List<String> argv = new java.util.ArrayList<>(pcp.argv("pcp_recovery_node", "-n", "2"));
            argv.set(0, "/usr/sbin/pcp_recovery_node");
            Commands.Result r = Commands.run(Duration.ofMinutes(30), pcp.env(), null, argv);
            double wall = (System.nanoTime() - t) / 1e6;
            if (!r.stdout().contains("Command Successful")) {
                throw new IllegalStateException(r.all());
            }
            String done = log.lines().stream().filter(l -> l.startsWith("recovery done:")).findFirst()
                    .orElse("(no \"recovery done\" line)");
            System.out.printf(Locale.ROOT, "%s:%n  %s%n  pcp_recovery_node returned after %.0f ms%n", how, done, wall);
        }
    }
}
