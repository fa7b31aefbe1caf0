package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.jpgpool.core.logging.LogContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A compiled {@code log_line_prefix}, with pgpool 4.3's escapes (elog.c's log_line_prefix): {@code %a}
 * application name, {@code %p} process id, {@code %P} process name, {@code %t} time, {@code %m} time with
 * milliseconds, {@code %d} database, {@code %u} user, {@code %l} line number, {@code %%}; each may carry a padding
 * ({@code %-10a} pads on the right, {@code %10a} on the left). An unknown escape prints nothing, and a prefix
 * ending in a bare {@code %} or a padding stops there, as in pgpool.
 *
 * <p>Per-session values come from the MDC ({@link LogContext}); outside a session {@code %a} and {@code %P} name
 * the pgpool process whose work the thread does, {@code %u} and {@code %d} print {@code [No Connection]} and
 * {@code %p} jpgpool's own pid.
 */
final class LogLinePrefix {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final String OWN_PID = Long.toString(ProcessHandle.current().pid());

    /** A literal ({@code escape == 0}) or an escape with its padding. */
    private record Part(char escape, int padding, String literal) {
    }

    private final String text;
    private final List<Part> parts;
    private final ZoneId zone;

    private LogLinePrefix(String text, List<Part> parts, ZoneId zone) {
        this.text = text;
        this.parts = parts;
        this.zone = zone;
    }

    static LogLinePrefix compile(String prefix) {
        return compile(prefix, ZoneId.systemDefault());
    }

    static LogLinePrefix compile(String prefix, ZoneId zone) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        String p = prefix == null ? "" : prefix;
        int i = 0;
        scan:
        while (i < p.length()) {
            char c = p.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i >= p.length()) {
                break; // a trailing '%' is ignored
            }
            if (p.charAt(i) == '%') {
                literal.append('%');
                i++;
                continue;
            }
            int sign = 1;
            int padding = 0;
            if (p.charAt(i) == '-') {
                sign = -1;
                i++;
            }
            while (i < p.length() && Character.isDigit(p.charAt(i))) {
                padding = padding * 10 + (p.charAt(i++) - '0');
            }
            if (i >= p.length()) {
                break scan; // "%-" or "%10" at the end: pgpool stops here
            }
            if (literal.length() > 0) {
                parts.add(new Part((char) 0, 0, literal.toString()));
                literal.setLength(0);
            }
            parts.add(new Part(p.charAt(i++), sign * padding, null));
        }
        if (literal.length() > 0) {
            parts.add(new Part((char) 0, 0, literal.toString()));
        }
        return new LogLinePrefix(p, List.copyOf(parts), zone);
    }

    String text() {
        return text;
    }

    /** Appends the prefix of one line of {@code event}; {@code line} is the {@code %l} number. */
    void append(StringBuilder out, ILoggingEvent event, long line) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        for (Part part : parts) {
            if (part.escape == 0) {
                out.append(part.literal);
                continue;
            }
            String value = switch (part.escape) {
                case 'a' -> applicationName(mdc, event);
                case 'P' -> processName(mdc, event);
                case 'u' -> connectionValue(mdc, LogContext.USER);
                case 'd' -> connectionValue(mdc, LogContext.DATABASE);
                case 'p' -> mdc.getOrDefault(LogContext.PID, OWN_PID);
                case 'l' -> Long.toString(line);
                case 't' -> SECONDS.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone));
                case 'm' -> MILLIS.format(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone));
                default -> null; // pgpool ignores an unknown escape
            };
            if (value != null) {
                pad(out, value, part.padding);
            }
        }
    }

    private static String applicationName(Map<String, String> mdc, ILoggingEvent event) {
        String name = mdc.get(LogContext.APPLICATION_NAME);
        if (name == null) {
            return ProcessNames.of(event.getThreadName()).applicationName();
        }
        return name.isEmpty() ? "[unknown]" : name;
    }

    private static String processName(Map<String, String> mdc, ILoggingEvent event) {
        String name = mdc.get(LogContext.PROCESS_NAME);
        if (name != null) {
            return name;
        }
        return mdc.containsKey(LogContext.PID) ? "CHILD" : ProcessNames.of(event.getThreadName()).processName();
    }

    private static String connectionValue(Map<String, String> mdc, String key) {
        String v = mdc.get(key);
        if (v == null) {
            return "[No Connection]";
        }
        return v.isEmpty() ? "[unknown]" : v;
    }

    /** printf's {@code %*s}: a positive width pads on the left, a negative one on the right. */
    private static void pad(StringBuilder out, String value, int padding) {
        int width = Math.abs(padding);
        if (padding > 0) {
            out.append(" ".repeat(Math.max(0, width - value.length())));
        }
        out.append(value);
        if (padding < 0) {
            out.append(" ".repeat(Math.max(0, width - value.length())));
        }
    }
}
