package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/** Log events built by hand, as logback would hand them to a layout (its fields may be set only once). */
final class Events {
    static final Instant AT = Instant.parse("2026-03-04T05:06:07.089Z");
    private static final LoggerContext CONTEXT = new LoggerContext();

    private final Level level;
    private final String message;
    private final Throwable thrown;
    private String thread = "main";
    private final Map<String, String> mdc = new HashMap<>();
    private final List<KeyValuePair> pairs = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private StackTraceElement caller;

    private Events(Level level, String message, Throwable thrown) {
        this.level = level;
        this.message = message;
        this.thrown = thrown;
    }

    static Events at(Level level, String message) {
        return new Events(level, message, null);
    }

    static Events thrown(Level level, String message, Throwable t) {
        return new Events(level, message, t);
    }

    Events thread(String name) {
        thread = name;
        return this;
    }

    /** The MDC of a session, as LogContext.session puts it. */
    Events session(int pid, String user, String database, String applicationName) {
        mdc.put("pid", Integer.toString(pid));
        mdc.put("user", user);
        mdc.put("database", database);
        mdc.put("application_name", applicationName);
        return this;
    }

    Events kv(String key, String value) {
        pairs.add(new KeyValuePair(key, value));
        return this;
    }

    Events marker(Marker m) {
        markers.add(m);
        return this;
    }

    Events caller(StackTraceElement e) {
        caller = e;
        return this;
    }

    LoggingEvent get() {
        LoggingEvent event = new LoggingEvent("x", CONTEXT.getLogger("io.jpgpool.test"), level, message, thrown, null);
        event.setInstant(AT);
        event.setThreadName(thread);
        event.setMDCPropertyMap(mdc);
        pairs.forEach(event::addKeyValuePair);
        markers.forEach(event::addMarker);
        if (caller != null) {
            event.setCallerData(new StackTraceElement[] {caller});
        }
        return event;
    }
}
