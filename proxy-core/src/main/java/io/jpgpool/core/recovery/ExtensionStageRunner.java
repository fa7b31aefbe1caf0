package io.jpgpool.core.recovery;

import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage commands through the {@code pgpool_recovery} extension, exactly as pgpool 4.3 calls them: the source
 * node's server runs the scripts of its own data directory. Their output goes to that server's log.
 */
final class ExtensionStageRunner implements StageRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExtensionStageRunner.class);
    /** What the extension itself reports when a script fails: the DETAIL names the script instead. */
    private static final String SCRIPT_FAILED = "pgpool_recovery failed";

    private final SourceConnection source;

    ExtensionStageRunner(SourceConnection source) {
        this.source = source;
    }

    @Override
    public String describe() {
        return "through the pgpool_recovery extension on node " + source.sourceNode();
    }

    @Override
    public void checkpoint() throws RecoveryException {
        source.checkpoint();
    }

    @Override
    public void runStage(RecoveryStage stage, RecoveryPlan plan) throws RecoveryException {
        String call = plan.recoveryCall(stage);
        LOG.info("executing recovery: starting recovery command: \"{}\"", call);
        try {
            source.execute("SET statement_timeout To 0");
        } catch (SQLException e) {
            throw new RecoveryException("executing recovery, SET STATEMENT_TIMEOUT failed at \"" + stage.label()
                    + "\"", e.getMessage());
        }
        try {
            source.execute(call);
        } catch (SQLException e) {
            String server = serverMessage(e);
            throw new RecoveryException(stage.failedMessage(), "command:\"" + plan.command(stage) + "\""
                    + (server.equals(SCRIPT_FAILED) ? "" : ": " + server));
        }
    }

    @Override
    public void remoteStart(RecoveryPlan plan) throws RecoveryException {
        String call = plan.remoteStartCall();
        LOG.info("executing remote start: \"{}\"", call);
        try {
            source.execute(call);
        } catch (SQLException e) {
            throw new RecoveryException("executing remote start failed with error: \"ERROR:  " + serverMessage(e)
                    + "\"", null);
        }
    }

    /** The server's own message, without pgjdbc's {@code ERROR: } and position decorations. */
    private static String serverMessage(SQLException e) {
        if (e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        source.close();
    }
}
