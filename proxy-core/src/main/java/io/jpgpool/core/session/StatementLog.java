package io.jpgpool.core.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log_per_node_statement}: one line per statement sent to a node, worded as Pgpool-II words it
 * ({@code DB node id: N backend pid: P statement: TEXT}, extended protocol with {@code Parse: },
 * {@code Bind: }, {@code Execute: } prefixes), so routing can be checked from the log.
 */
public final class StatementLog {
    /** The logger name; logback configurations can route these lines separately. */
    public static final String LOGGER = "io.jpgpool.statement";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private StatementLog() {
    }

    public static void log(int node, int backendPid, String statement) {
        LOG.info("DB node id: {} backend pid: {} statement: {}", node, backendPid, statement);
    }
}
