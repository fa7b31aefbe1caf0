package io.jpgpool.core.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log_client_messages}: one LOG line per protocol message a client sends, with pgpool's texts (and its
 * DETAIL line), so that scripts written for pgpool's log keep working. Called by the session when the
 * parameter is on.
 */
public final class ClientMessageLog {
    /** The logger name; a logback configuration can route these lines separately. */
    public static final String LOGGER = "io.jpgpool.client_messages";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private ClientMessageLog() {
    }

    public static void query(String sql) {
        detail("Query message from frontend.", "query: \"" + sql + "\"");
    }

    public static void parse(String statement, String sql) {
        detail("Parse message from frontend.", "statement: \"" + statement + "\", query: \"" + sql + "\"");
    }

    public static void bind(String portal, String statement) {
        detail("Bind message from frontend.", "portal: \"" + portal + "\", statement: \"" + statement + "\"");
    }

    /** Describe of a prepared statement ({@code 'S'}) or a portal ({@code 'P'}). */
    public static void describe(char kind, String name) {
        detail("Describe message from frontend.", (kind == 'S' ? "statement" : "portal") + ": \"" + name + "\"");
    }

    public static void execute(String portal) {
        detail("Execute message from frontend.", "portal: \"" + portal + "\"");
    }

    /** Close of a prepared statement ({@code 'S'}) or a portal ({@code 'P'}). */
    public static void close(char kind, String name) {
        detail("Close message from frontend.", (kind == 'S' ? "statement" : "portal") + ": \"" + name + "\"");
    }

    public static void sync() {
        LOG.info("Sync message from frontend.");
    }

    public static void flush() {
        LOG.info("Flush message from frontend.");
    }

    public static void terminate() {
        LOG.info("Terminate message from frontend.");
    }

    public static void functionCall(int oid) {
        detail("FunctionCall message from frontend.", "oid: \"" + oid + "\"");
    }

    /** {@code count}: the CopyData messages of this COPY so far, this one included (pgpool's copy_count). */
    public static void copyData(int count) {
        detail("CopyData message from frontend.", "count: " + count);
    }

    public static void copyDone() {
        LOG.info("CopyDone message from frontend.");
    }

    public static void copyFail() {
        LOG.info("CopyFail message from frontend.");
    }

    /** A CancelRequest for the backend (session) {@code pid}. */
    public static void cancel(int pid) {
        detail("Cancel message from frontend.", "process id: " + pid);
    }

    private static void detail(String message, String detail) {
        LOG.atInfo().addKeyValue(LogContext.DETAIL, detail).log(message);
    }
}
