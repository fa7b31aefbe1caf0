package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.jpgpool.config.LogErrorVerbosity;
import io.jpgpool.config.MessageLevel;
import io.jpgpool.core.logging.LogContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.event.KeyValuePair;

/**
 * One event as pgpool's elog writes it to its log (send_message_to_server_log): {@code PREFIX LEVEL:  message},
 * then with {@code log_error_verbosity} default or verbose a {@code PREFIX DETAIL:  ...} and a
 * {@code PREFIX HINT:  ...} line (the event's {@link LogContext#DETAIL} and {@link LogContext#HINT} key-value
 * pairs), and with verbose a {@code PREFIX LOCATION:  method, File.java:line} line. A newline inside a text is
 * followed by a tab, as pgpool's append_with_tabs does; so is each line of a stack trace, which terse leaves out.
 * The prefix and verbosity change on reload.
 */
public final class PgpoolLayout extends LayoutBase<ILoggingEvent> {
    private volatile LogLinePrefix prefix = LogLinePrefix.compile("%m: %a pid %p: ");
    private volatile LogErrorVerbosity verbosity = LogErrorVerbosity.DEFAULT;
    /** {@code %l}: pgpool counts every line it prefixes, per process; jpgpool is one process. */
    private final AtomicLong lineNumber = new AtomicLong();

    void prefix(LogLinePrefix prefix) {
        this.prefix = prefix;
    }

    /** The log_line_prefix text in use (the default one until configured). */
    public String prefix() {
        return prefix.text();
    }

    void verbosity(LogErrorVerbosity verbosity) {
        this.verbosity = verbosity;
    }

    /** Sets both from their pgpool.conf texts (for logback.xml and tests). */
    public void setLogLinePrefix(String text) {
        prefix(LogLinePrefix.compile(text));
    }

    public void setLogErrorVerbosity(String text) {
        verbosity(LogErrorVerbosity.valueOf(text.toUpperCase(java.util.Locale.ROOT)));
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        LogLinePrefix p = prefix;
        LogErrorVerbosity v = verbosity;
        MessageLevel severity = Severity.of(event);
        StringBuilder out = new StringBuilder(128);
        line(out, p, event, Severity.word(severity), event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (v != LogErrorVerbosity.TERSE) {
            String detail = value(event, LogContext.DETAIL);
            if (detail != null) {
                line(out, p, event, "DETAIL", detail);
            }
            String hint = value(event, LogContext.HINT);
            if (hint != null) {
                line(out, p, event, "HINT", hint);
            }
            if (v == LogErrorVerbosity.VERBOSE) {
                StackTraceElement[] caller = event.getCallerData();
                if (caller != null && caller.length > 0) {
                    StackTraceElement c = caller[0];
                    line(out, p, event, "LOCATION", c.getClassName() + "." + c.getMethodName() + ", "
                            + c.getFileName() + ":" + c.getLineNumber());
                }
            }
            if (thrown != null) {
                // the stack trace continues the last line, each of its lines after a tab
                out.setLength(out.length() - 1);
                out.append("\n\t");
                appendWithTabs(out, ThrowableProxyUtil.asString(thrown).stripTrailing());
                out.append('\n');
            }
        }
        return out.toString();
    }

    private void line(StringBuilder out, LogLinePrefix p, ILoggingEvent event, String word, String text) {
        p.append(out, event, lineNumber.incrementAndGet());
        out.append(word).append(":  ");
        appendWithTabs(out, text == null ? "missing error text" : text);
        out.append('\n');
    }

    /** elog.c's append_with_tabs: a tab after every newline, so a multi-line text stays one entry. */
    private static void appendWithTabs(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            if (c == '\n') {
                out.append('\t');
            }
        }
    }

    static String value(ILoggingEvent event, String key) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return null;
        }
        for (KeyValuePair kv : pairs) {
            if (key.equals(kv.key)) {
                return String.valueOf(kv.value);
            }
        }
        return null;
    }
}
