package io.jpgpool.it.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An application that keeps writing through jpgpool and reconnects when its session ends, as a failover
 * expects of clients: {@code INSERT INTO <table>(id) VALUES (n) RETURNING inet_server_port()}, each id used
 * once, and every insert the server acknowledged recorded with the port of the node that ran it. A failed
 * attempt is recorded with its SQLSTATE and retried on a new connection after {@code retryDelay}.
 */
public final class RetryingWriter implements AutoCloseable {
    /** A write the server acknowledged: its id is committed on the node behind {@code port}. */
    public record Ack(long id, int port, long atNanos) {
    }

    /** A write that failed, with what the client saw. */
    public record Failure(long atNanos, String sqlState, String message) {
    }

    private final JpgpoolFixture jpgpool;
    private final String table;
    private final Duration interval;
    private final Duration retryDelay;
    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long nextId = 1;

    private RetryingWriter(JpgpoolFixture jpgpool, String table, Duration interval, Duration retryDelay) {
        this.jpgpool = jpgpool;
        this.table = table;
        this.interval = interval;
        this.retryDelay = retryDelay;
        this.thread = new Thread(this::run, "writer-" + table);
        this.thread.setDaemon(true);
    }

    /**
     * Starts writing into {@code table} (it needs an {@code id bigint} column) with {@code interval} between
     * acknowledged writes and {@code retryDelay} before the attempt after a failure.
     */
    public static RetryingWriter start(JpgpoolFixture jpgpool, String table, Duration interval, Duration retryDelay) {
        RetryingWriter w = new RetryingWriter(jpgpool, table, interval, retryDelay);
        w.thread.start();
        return w;
    }

    public List<Ack> acks() {
        return new ArrayList<>(acks);
    }

    public List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    /** Acknowledged writes that ran on the node behind {@code port} and completed after {@code sinceNanos}. */
    public List<Ack> acksOn(int port, long sinceNanos) {
        return acks.stream().filter(a -> a.port() == port && a.atNanos() > sinceNanos).toList();
    }

    private void run() {
        Connection c = null;
        String sql = "INSERT INTO " + table + "(id) VALUES (?) RETURNING inet_server_port()";
        while (running) {
            long id = nextId++;
            try {
                if (c == null) {
                    c = connect();
                }
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, id);
                    try (ResultSet r = ps.executeQuery()) {
                        r.next();
                        acks.add(new Ack(id, r.getInt(1), System.nanoTime()));
                    }
                }
                pause(interval);
            } catch (SQLException e) {
                failures.add(new Failure(System.nanoTime(), e.getSQLState(), e.getMessage()));
                closeQuietly(c);
                c = null;
                pause(retryDelay); // the client's retry policy
            }
        }
        closeQuietly(c);
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        p.setProperty("ApplicationName", "writer");
        return jpgpool.connect("postgres", p);
    }

    private static void pause(Duration d) {
        if (!d.isZero()) {
            LockSupport.parkNanos(d.toNanos());
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the session is gone already
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
