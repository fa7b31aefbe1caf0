package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.jpgpool.config.MessageLevel;

/**
 * {@code log_min_messages}: drops what pgpool would not write. Logger levels cannot express it alone, since
 * LOG (logback's INFO) outranks WARNING and ERROR here. Reloadable: {@link #min(MessageLevel)}.
 */
final class MinMessagesFilter extends Filter<ILoggingEvent> {
    private volatile MessageLevel min = MessageLevel.WARNING;

    void min(MessageLevel level) {
        this.min = level;
    }

    MessageLevel min() {
        return min;
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return Severity.written(Severity.of(event), min) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
