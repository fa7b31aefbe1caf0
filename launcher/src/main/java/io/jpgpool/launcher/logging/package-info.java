/**
 * Logging as Pgpool-II 4.3 does it, on logback: {@code log_line_prefix} ({@link
 * io.jpgpool.launcher.logging.LogLinePrefix}), pgpool's level words and DETAIL/HINT lines ({@link
 * io.jpgpool.launcher.logging.PgpoolLayout}), {@code log_min_messages} ({@link
 * io.jpgpool.launcher.logging.MinMessagesFilter}), {@code log_destination = 'jsonlog'} ({@link
 * io.jpgpool.launcher.logging.PgpoolJsonEncoder}) and {@code logging_collector}, all applied and re-applied on
 * reload by {@link io.jpgpool.launcher.logging.PgpoolLogging}.
 */
package io.jpgpool.launcher.logging;
