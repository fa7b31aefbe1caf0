/**
 * What jpgpool's log lines carry besides their text, and the texts of pgpool's client-facing log switches: the
 * MDC keys a session sets for {@code log_line_prefix} ({@link io.jpgpool.core.logging.LogContext}),
 * {@code log_statement} ({@link io.jpgpool.core.logging.StatementTextLog}) and {@code log_client_messages}
 * ({@link io.jpgpool.core.logging.ClientMessageLog}). The launcher's layout turns them into pgpool's format.
 */
package io.jpgpool.core.logging;
