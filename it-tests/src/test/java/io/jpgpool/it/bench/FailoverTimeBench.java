package io.jpgpool.it.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.FailoverScripts;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RetryingWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * The failover-time figure of the issue: a primary, a synchronous and an asynchronous standby behind jpgpool
 * with {@code health_check_period = 1} and conf/failover.sh; a client writes every 100 ms and retries every
 * 100 ms after a failure. Measured: from the moment the primary is stopped ({@code pg_ctl stop -m immediate}
 * is started) to the first write acknowledged by the new primary through jpgpool. A fresh cluster per run;
 * prints each run with where the time went, then the median. A first run warms the JVM up (process
 * spawning, JDBC, the failover path) and is printed but not counted.
 *
 * <p>Run with bench/failover_time.sh [runs] (default 5).
 */
public final class FailoverTimeBench {
    private static final Duration WRITE_EVERY = Duration.ofMillis(100);
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** One run: total, and the moments the coordinator logged, all in ms after the stop began. */
    record Run(double totalMs, double detachedMs, double failoverDoneMs, List<String> clientSaw) {
    }

    private FailoverTimeBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.ERROR);
        ((Logger) LoggerFactory.getLogger("com.zaxxer.hikari")).setLevel(Level.ERROR); // a node stopping is the point
        List<Run> results = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            Run r = once();
            if (i > 0) {
                results.add(r);
            }
            System.out.printf(Locale.ROOT, "%s: %.0f ms (node 0 detached at %.0f ms, failover done at %.0f ms;"
                    + " the client saw %s)%n", i == 0 ? "warm-up run (not counted)" : "run " + i, r.totalMs(),
                    r.detachedMs(), r.failoverDoneMs(), r.clientSaw());
        }
        double[] totals = results.stream().mapToDouble(Run::totalMs).sorted().toArray();
        double median = totals.length % 2 == 1 ? totals[totals.length / 2]
                : (totals[totals.length / 2 - 1] + totals[totals.length / 2]) / 2;
        System.out.printf(Locale.ROOT, "failover time, median of %d runs: %.0f ms (%.2f s)%n", runs, median,
                median / 1000);
        System.exit(0); // the JDBC and Netty threads of closed servers may linger a moment
    }

    private static Run once() throws Exception {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        Logger coordinator = (Logger) LoggerFactory.getLogger("io.jpgpool.core.failover.FailoverCoordinator");
        coordinator.setLevel(Level.INFO);
        coordinator.setAdditive(false); // read by the bench, not printed
        events.start();
        coordinator.addAppender(events);
        try (PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).synchronousStandby(true)
                .build())) {
            PgNode node0 = cluster.node(0);
            PgNode node1 = cluster.node(1);
            node0.execute("CREATE TABLE failover_time (id bigint PRIMARY KEY)");
            try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster,
                    FailoverScripts.withFastHealthCheck(FailoverScripts.failoverCommand(cluster)));
                    RetryingWriter writer = RetryingWriter.start(jpgpool, "failover_time", WRITE_EVERY, WRITE_EVERY)) {
                waitFor(() -> writer.acks().size() >= 10, "10 writes before the stop");
                long wallStart = System.currentTimeMillis();
                long start = System.nanoTime();
                node0.stop(StopMode.IMMEDIATE);
                waitFor(() -> !writer.acksOn(node1.port(), start).isEmpty(), "a write on node 1");
                long first = writer.acksOn(node1.port(), start).get(0).atNanos();
                List<String> saw = writer.failures().stream().map(f -> String.format(Locale.ROOT, "%s at %.0f ms",
                        f.sqlState(), (f.atNanos() - start) / 1e6)).toList();
                return new Run((first - start) / 1e6, logged(events, "starting degeneration", wallStart),
                        logged(events, "failover done. shutdown host", wallStart), saw);
            }
        } finally {
            coordinator.detachAppender(events);
        }
    }

    private static double logged(ListAppender<ILoggingEvent> events, String text, long wallStart) {
        Optional<ILoggingEvent> e = events.list.stream().filter(ev -> ev.getFormattedMessage().contains(text))
                .findFirst();
        return e.map(ev -> (double) (ev.getTimeStamp() - wallStart)).orElse(Double.NaN);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + LIMIT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
