package io.jpgpool.core.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log_statement}: each statement a client sends, as pgpool logs it ({@code LOG:  statement: TEXT}), for a
 * simple Query when it arrives and for an Execute with its portal's query text.
 */
public final class StatementTextLog {
    /** The logger name; a logback configuration can route these lines separately. */
    public static final String LOGGER = "io.jpgpool.log_statement";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private StatementTextLog() {
    }

    public static void statement(String sql) {
        LOG.info("statement: {}", sql);
    }
}
