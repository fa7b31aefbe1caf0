package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code log_destination = 'jsonlog'}: logback's JSON encoder (one object per line: timestamp, level, thread,
 * logger, the MDC with the session's application_name, user, database and pid, the key-value pairs with detail and
 * hint, message, throwable) plus pgpool's level word as {@code error_severity}, as in PostgreSQL's jsonlog.
 */
public final class PgpoolJsonEncoder extends JsonEncoder {
    public PgpoolJsonEncoder() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithContext(false);
        setWithArguments(false);
        setWithFormattedMessage(true);
        setWithMessage(false);
    }

    @Override
    protected void appendCustomFields(StringBuilder sb, ILoggingEvent event) {
        sb.append(',');
        appenderMember(sb, "error_severity", Severity.word(Severity.of(event)));
    }
}
