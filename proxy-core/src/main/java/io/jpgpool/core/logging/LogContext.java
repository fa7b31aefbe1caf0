package io.jpgpool.core.logging;

import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The names a log event carries beyond its text, read by the launcher's pgpool-style layout and JSON log.
 *
 * <p>MDC keys: a client session puts them around the work it does for its client (a Netty event loop serves many
 * sessions, so it sets them on entering a handler and {@link Scope#close() closes} them on leaving). Key-value
 * pairs (slf4j's {@code addKeyValue}): {@link #DETAIL} and {@link #HINT} become pgpool's {@code DETAIL:} and
 * {@code HINT:} lines. Markers: the severities slf4j has no level for.
 */
public final class LogContext {
    /** MDC: the client's application_name (its startup packet, then ParameterStatus), {@code %a}. */
    public static final String APPLICATION_NAME = "application_name";
    /** MDC: the client's user, {@code %u}. */
    public static final String USER = "user";
    /** MDC: the client's database, {@code %d}. */
    public static final String DATABASE = "database";
    /** MDC: the session id, where pgpool prints its child's pid ({@code %p}; as SHOW pool_processes). */
    public static final String PID = "pid";
    /** MDC: pgpool's process name for {@code %P} (CHILD, MAIN, PCP CHILD...), when the thread does not say. */
    public static final String PROCESS_NAME = "process_name";

    /** Key-value pair: the DETAIL line. */
    public static final String DETAIL = "detail";
    /** Key-value pair: the HINT line. */
    public static final String HINT = "hint";

    /** With {@code error(...)}: pgpool's FATAL, the session (or jpgpool) ends. */
    public static final Marker FATAL = MarkerFactory.getMarker("FATAL");
    /** With {@code error(...)}: pgpool's PANIC. */
    public static final Marker PANIC = MarkerFactory.getMarker("PANIC");
    /** With {@code info(...)}: pgpool's NOTICE rather than LOG. */
    public static final Marker NOTICE = MarkerFactory.getMarker("NOTICE");

    private LogContext() {
    }

    /**
     * Puts a session's keys until the scope is closed, then restores what was there (nothing, on an event loop):
     * {@code try (var s = LogContext.session(id, user, db, app)) { ... }}.
     */
    public static Scope session(int sessionId, String user, String database, String applicationName) {
        Scope scope = new Scope();
        put(PID, Integer.toString(sessionId));
        put(USER, user);
        put(DATABASE, database);
        put(APPLICATION_NAME, applicationName);
        return scope;
    }

    /** A new application_name inside the current scope (SET application_name, a ParameterStatus). */
    public static void applicationName(String name) {
        put(APPLICATION_NAME, name);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** The keys as they were before {@link #session}. */
    public static final class Scope implements AutoCloseable {
        private final String pid = MDC.get(PID);
        private final String user = MDC.get(USER);
        private final String database = MDC.get(DATABASE);
        private final String applicationName = MDC.get(APPLICATION_NAME);

        private Scope() {
        }

        @Override
        public void close() {
            put(PID, pid);
            put(USER, user);
            put(DATABASE, database);
            put(APPLICATION_NAME, applicationName);
        }
    }
}
