package io.jpgpool.pcp.wire;

/**
 * Where pgpool 4.3.5 raises an error (the {@code F} and {@code L} fields of an error packet). Clients ignore
 * them; sending pgpool's own makes jpgpool's error packets byte-identical to pgpool's (PCP_SPEC 13.3).
 */
public record PgpoolSource(String file, int line) {
    private static final String WORKER = "pcp_worker.c";
    private static final String COMMS = "pool_internal_comms.c";

    public static final PgpoolSource INVALID_PACKET = new PgpoolSource(WORKER, 186);
    public static final PgpoolSource NOT_AUTHORIZED = new PgpoolSource(WORKER, 216);
    public static final PgpoolSource UNKNOWN_PACKET = new PgpoolSource(WORKER, 354);
    public static final PgpoolSource AUTH_PACKET = new PgpoolSource(WORKER, 441);
    public static final PgpoolSource AUTH_FILE = new PgpoolSource(WORKER, 451);
    public static final PgpoolSource AUTH_USER = new PgpoolSource(WORKER, 517);
    public static final PgpoolSource PROCESS_INFO = new PgpoolSource(WORKER, 699);
    public static final PgpoolSource WATCHDOG_OFF = new PgpoolSource(WORKER, 794);
    public static final PgpoolSource NODE_INFO = new PgpoolSource(WORKER, 843);
    public static final PgpoolSource AUTH_NO_SALT = new PgpoolSource(WORKER, 1352);
    public static final PgpoolSource SHUTDOWN_MODE = new PgpoolSource(WORKER, 1407);
    public static final PgpoolSource SET_PARAMETER_VALUE = new PgpoolSource(WORKER, 1487);
    public static final PgpoolSource SET_PARAMETER_NAME = new PgpoolSource(WORKER, 1492);
    /** Not one of pgpool's: an error only jpgpool has. */
    public static final PgpoolSource JPGPOOL = new PgpoolSource("jpgpool", 0);

    /** The source of an error raised by a command, found by its wording. */
    public static PgpoolSource of(String message, String detail) {
        String d = detail == null ? "" : detail;
        if (message.equals("informing health check stats info failed")) {
            return new PgpoolSource(WORKER, d.startsWith("stats data") ? 1017 : 998);
        }
        if (message.equals("process recovery request failed")) {
            return new PgpoolSource(WORKER, d.startsWith("node id") ? 1160 : d.startsWith("primary") ? 1170
                    : d.startsWith("pgpool-II is already") ? 1181 : 1174);
        }
        if (message.equals("process reload config request failed")) {
            return new PgpoolSource(WORKER, 1091);
        }
        if (message.equals("could not process promote request")) {
            return new PgpoolSource(WORKER, 1295);
        }
        if (message.equals("invalid pgpool mode for process promote request")) {
            return new PgpoolSource(WORKER, 1302);
        }
        if (message.equals("invalid promote request")) {
            return new PgpoolSource(WORKER, 1310);
        }
        if (message.equals("query cache is not enabled")) {
            return new PgpoolSource(WORKER, 1395); // pcp_invalidate_query_cache is 4.6's; its line there
        }
        if (message.equals("informing node info failed")) {
            return NODE_INFO;
        }
        if (message.equals("informing process info failed")) {
            return PROCESS_INFO;
        }
        if (message.startsWith("node recovery failed, node id: ")) {
            int line = message.endsWith("is not valid") ? 77 : message.endsWith("is unused") ? 81
                    : message.endsWith("is alive") ? 85 : 0;
            return line == 0 ? JPGPOOL : new PgpoolSource("recovery.c", line);
        }
        int recovery = recoveryLine(message);
        if (recovery > 0) {
            return new PgpoolSource("recovery.c", recovery);
        }
        if (message.startsWith("invalid degenerate backend request, node id: ")) {
            return new PgpoolSource(COMMS, 120);
        }
        if (message.startsWith("invalid degenerate backend request, node id : ")) {
            return new PgpoolSource(COMMS, 124);
        }
        if (message.startsWith("degenerate backend request for node_id: ")) {
            return new PgpoolSource(COMMS, 135);
        }
        if (message.startsWith("invalid failback request, node id: ")) {
            return new PgpoolSource(COMMS, 332);
        }
        if (message.startsWith("invalid failback request, node id : ")) {
            return new PgpoolSource(COMMS, 336);
        }
        return JPGPOOL;
    }

    /** The other errors of recovery.c (4.3.5), by the start of their text; 0 for none of them. */
    private static int recoveryLine(String message) {
        if (message.startsWith("the password of recovery_user ")) {
            return 100;
        }
        if (message.startsWith("node recovery failed, unable to connect to main node: ")) {
            return 105;
        }
        if (message.equals("node recovery failed, waiting connection closed in the other pgpools timeout")) {
            return 141;
        }
        if (message.equals("executing recovery, execute CHECKPOINT failed")) {
            return 235;
        }
        if (message.startsWith("executing recovery, SET STATEMENT_TIMEOUT failed at ")) {
            return 301;
        }
        if (message.startsWith("executing recovery, execution of command failed at ")) {
            return 312;
        }
        if (message.startsWith("executing remote start failed with error: ")) {
            return 348;
        }
        return message.equals("recovery is checking if postmaster is started") ? 455 : 0;
    }
}
