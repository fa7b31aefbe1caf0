package io.jpgpool.core.recovery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The connection to the source node's {@code template1} as {@code recovery_user}, for the whole recovery. */
final class SourceConnection implements AutoCloseable {
    /** The 4.3 forms pgpool calls; an older extension (fewer arguments) cannot run 4.3's call. */
    private static final String HAS_EXTENSION = "SELECT to_regprocedure("
            + "'pgpool_recovery(text,text,text,text,integer,text,text)') IS NOT NULL"
            + " AND to_regprocedure('pgpool_remote_start(text,text)') IS NOT NULL";

    private final Connection conn;
    private final int sourceNode;

    SourceConnection(Connection conn, int sourceNode) {
        this.conn = conn;
        this.sourceNode = sourceNode;
    }

    int sourceNode() {
        return sourceNode;
    }

    /** True when {@code CREATE EXTENSION pgpool_recovery} (1.4, as in Pgpool-II 4.3) was run in template1. */
    boolean hasExtension() throws SQLException {
        try (Statement s = conn.createStatement(); ResultSet r = s.executeQuery(HAS_EXTENSION)) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** recovery.c exec_checkpoint. */
    void checkpoint() throws RecoveryException {
        try {
            execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new RecoveryException("executing recovery, execute CHECKPOINT failed", e.getMessage());
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // the source went away: nothing to close
        }
    }
}
