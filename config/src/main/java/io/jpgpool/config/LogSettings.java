package io.jpgpool.config;

import java.util.Set;

/**
 * How jpgpool writes its log (pgpool.conf's logging parameters, as Pgpool-II 4.3's elog does).
 *
 * @param logMinMessages    {@code log_min_messages} (reload): the least severe level written, in the server log's
 *                          order where LOG ranks between ERROR and FATAL
 * @param logLinePrefix     {@code log_line_prefix} (reload): {@code %a %p %P %t %m %d %u %l %%}
 * @param logErrorVerbosity {@code log_error_verbosity} (reload): terse drops DETAIL/HINT lines, verbose adds LOCATION
 * @param destinations      {@code log_destination} (reload): stderr, syslog, jsonlog
 * @param loggingCollector  {@code logging_collector} (restart): write to a file in log_directory instead
 * @param logDirectory      {@code log_directory} (restart)
 * @param logFilename       {@code log_filename} (restart): strftime escapes, expanded at start
 * @param logStatement      {@code log_statement}: each statement a client sends, at LOG
 * @param logClientMessages {@code log_client_messages}: each protocol message a client sends, at LOG
 */
public record LogSettings(
        MessageLevel logMinMessages,
        String logLinePrefix,
        LogErrorVerbosity logErrorVerbosity,
        Set<LogDestination> destinations,
        boolean loggingCollector,
        String logDirectory,
        String logFilename,
        boolean logStatement,
        boolean logClientMessages) {

    public LogSettings {
        destinations = Set.copyOf(destinations);
    }

    static LogSettings of(PgpoolConfig c) {
        Set<LogDestination> destinations;
        try {
            destinations = LogDestination.parseList(c.get(Params.LOG_DESTINATION));
        } catch (InvalidValueException e) {
            throw new IllegalStateException("log_destination was checked when it was read", e);
        }
        return new LogSettings(c.get(Params.LOG_MIN_MESSAGES), c.get(Params.LOG_LINE_PREFIX),
                c.get(Params.LOG_ERROR_VERBOSITY), destinations, c.get(Params.LOGGING_COLLECTOR),
                c.get(Params.LOG_DIRECTORY), c.get(Params.LOG_FILENAME), c.get(Params.LOG_STATEMENT),
                c.get(Params.LOG_CLIENT_MESSAGES));
    }
}
