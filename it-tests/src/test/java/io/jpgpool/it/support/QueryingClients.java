package io.jpgpool.it.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that each keep one session through jpgpool and run queries without a pause until closed: a write
 * transaction (BEGIN, INSERT, a read, COMMIT) and a load-balanced read that takes a while ({@code pg_sleep}),
 * so that some query is always running. They never reconnect: an error of any kind is recorded.
 */
public final class QueryingClients implements AutoCloseable {
    /** What a client saw go wrong. */
    public record Failure(int client, long atNanos, String sqlState, String message) {
    }

    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicLong> lastDone = new ArrayList<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong rounds = new AtomicLong();
    private volatile boolean running = true;

    private QueryingClients() {
    }

    /** {@code clients} sessions writing to {@code table (client int, n bigint)}, which must exist. */
    public static QueryingClients start(JpgpoolFixture jpgpool, String database, String table, int clients)
            throws SQLException {
        QueryingClients q = new QueryingClients();
        for (int i = 0; i < clients; i++) {
            int id = i;
            Connection c = jpgpool.connect(database);
            AtomicLong done = new AtomicLong();
            q.lastDone.add(done);
            Thread t = new Thread(() -> q.loop(id, c, table, done), "querying-client-" + i);
            t.setDaemon(true);
            q.threads.add(t);
        }
        q.threads.forEach(Thread::start);
        return q;
    }

    private void loop(int id, Connection c, String table, AtomicLong done) {
        try (c; PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)");
                Statement s = c.createStatement()) {
            for (long n = 0; running; n++) {
                try {
                    c.setAutoCommit(false);
                    insert.setInt(1, id);
                    insert.setLong(2, n);
                    insert.executeUpdate();
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table + " WHERE client = " + id)) {
                        r.next();
                    }
                    c.commit();
                    c.setAutoCommit(true);
                    try (ResultSet r = s.executeQuery("SELECT pg_sleep(0.05), inet_server_port()")) {
                        r.next();
                    }
                    done.set(System.nanoTime());
                    rounds.incrementAndGet();
                } catch (SQLException e) {
                    failures.add(new Failure(id, System.nanoTime(), e.getSQLState(), e.getMessage()));
                    if (c.isClosed()) {
                        return;
                    }
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            failures.add(new Failure(id, System.nanoTime(), e.getSQLState(), e.getMessage()));
        }
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public long rounds() {
        return rounds.get();
    }

    /** True when every client finished a round after {@code nanos}. */
    public boolean allDoneAfter(long nanos) {
        return lastDone.stream().allMatch(d -> d.get() > nanos);
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
