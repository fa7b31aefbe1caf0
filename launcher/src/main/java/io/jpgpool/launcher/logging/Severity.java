package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.jpgpool.config.MessageLevel;
import io.jpgpool.core.logging.LogContext;
import java.util.List;
import org.slf4j.Marker;

/**
 * A logback event's pgpool severity: INFO is pgpool's LOG (NOTICE with {@link LogContext#NOTICE}), WARN its
 * WARNING, ERROR its ERROR (FATAL, PANIC with their markers), DEBUG its DEBUG1 and TRACE its DEBUG2 to DEBUG5.
 */
final class Severity {
    private Severity() {
    }

    static MessageLevel of(ILoggingEvent e) {
        Level level = e.getLevel();
        if (level == Level.ERROR) {
            return has(e, LogContext.PANIC) ? MessageLevel.PANIC
                    : has(e, LogContext.FATAL) ? MessageLevel.FATAL : MessageLevel.ERROR;
        }
        if (level == Level.WARN) {
            return MessageLevel.WARNING;
        }
        if (level == Level.INFO) {
            return has(e, LogContext.NOTICE) ? MessageLevel.NOTICE : MessageLevel.LOG;
        }
        return level == Level.DEBUG ? MessageLevel.DEBUG1 : MessageLevel.DEBUG2;
    }

    /** The word pgpool prints (elog.c's error_severity: every debug level is "DEBUG"). */
    static String word(MessageLevel level) {
        return switch (level) {
            case DEBUG1, DEBUG2, DEBUG3, DEBUG4, DEBUG5 -> "DEBUG";
            default -> level.name();
        };
    }

    /**
     * pgpool's is_log_level_output: LOG ranks between ERROR and FATAL in the server log, so it is written at every
     * log_min_messages up to error, and at log.
     */
    static boolean written(MessageLevel level, MessageLevel min) {
        if (level == MessageLevel.LOG) {
            return min == MessageLevel.LOG || min.number() <= MessageLevel.ERROR.number();
        }
        if (min == MessageLevel.LOG) {
            return level.number() >= MessageLevel.FATAL.number();
        }
        return level.number() >= min.number();
    }

    /** The logback level below which nothing can be written at {@code min}. */
    static Level loggerLevel(MessageLevel min) {
        if (min.number() < MessageLevel.DEBUG1.number()) {
            return Level.TRACE;
        }
        return min == MessageLevel.DEBUG1 ? Level.DEBUG : Level.INFO;
    }

    private static boolean has(ILoggingEvent e, Marker marker) {
        List<Marker> markers = e.getMarkerList();
        if (markers == null) {
            return false;
        }
        for (Marker m : markers) {
            if (m.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
