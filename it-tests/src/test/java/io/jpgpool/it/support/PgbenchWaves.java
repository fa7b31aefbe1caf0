package io.jpgpool.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A pgbench load that survives a failover the only way pgbench 15 can (it does not reconnect): short runs
 * one after another, each a fresh set of clients. A run that overlaps the failure may lose clients; the
 * runs after it show whether clients that reconnect work again.
 */
public final class PgbenchWaves implements AutoCloseable {
    /** One pgbench run: when it started and ended, and what it printed. */
    public record Wave(long startNanos, long endNanos, Commands.Result result) {
        public boolean clean() {
            return result.exitCode() == 0 && result.stdout().contains("number of failed transactions: 0 ");
        }
    }

    private final ConcurrentLinkedQueue<Wave> waves = new ConcurrentLinkedQueue<>();
    private final List<String> command;
    private final Map<String, String> env;
    private final Thread thread;
    private volatile boolean running = true;

    private PgbenchWaves(List<String> command, Map<String, String> env) {
        this.command = command;
        this.env = env;
        this.thread = new Thread(this::run, "pgbench-waves");
        this.thread.setDaemon(true);
    }

    /** Runs {@code pgbench -n <args> -h <jpgpool> <database>} again and again until closed. */
    public static PgbenchWaves start(JpgpoolFixture jpgpool, String database, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-n", "-h", jpgpool.host(),
                "-p", String.valueOf(jpgpool.port()), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add(database);
        PgbenchWaves w = new PgbenchWaves(cmd, Map.of("PGPASSWORD",
                jpgpool.cluster().options().superuserPassword(), "PGCONNECT_TIMEOUT", "30"));
        w.thread.start();
        return w;
    }

    private void run() {
        while (running) {
            long start = System.nanoTime();
            Commands.Result r = Commands.run(Duration.ofSeconds(60), env, null, command);
            waves.add(new Wave(start, System.nanoTime(), r));
        }
    }

    public List<Wave> waves() {
        return new ArrayList<>(waves);
    }

    /** The runs that began after {@code nanos}. */
    public List<Wave> startedAfter(long nanos) {
        return waves.stream().filter(w -> w.startNanos() > nanos).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(70));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
