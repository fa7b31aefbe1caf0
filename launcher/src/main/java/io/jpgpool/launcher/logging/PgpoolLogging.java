package io.jpgpool.launcher.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.jpgpool.config.LogDestination;
import io.jpgpool.config.LogSettings;
import io.jpgpool.config.MessageLevel;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * jpgpool's log as pgpool.conf describes it: one appender on the root logger, to stderr or (with
 * {@code logging_collector}) to {@code log_directory/log_filename}, in pgpool's text format or, with
 * {@code log_destination = 'jsonlog'}, as JSON lines, filtered by {@code log_min_messages}. {@link #reload}
 * applies what a reload may change (level, prefix, verbosity, destination); the file is chosen once at start.
 */
public final class PgpoolLogging {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("io.jpgpool");
    private static final String APPENDER = "pgpool";

    private final LoggerContext context;
    private final boolean debug;
    private final Path file;
    private final MinMessagesFilter filter = new MinMessagesFilter();
    private final PgpoolLayout layout = new PgpoolLayout();
    private OutputStreamAppender<ILoggingEvent> appender;
    private boolean json;

    private PgpoolLogging(LoggerContext context, boolean debug, Path file) {
        this.context = context;
        this.debug = debug;
        this.file = file;
    }

    /**
     * Replaces the root logger's appenders with the configured one. {@code debug} is pgpool's {@code -d}: at least
     * DEBUG1, whatever log_min_messages says (also after a reload).
     */
    public static synchronized PgpoolLogging start(LogSettings settings, boolean debug) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Path file = settings.loggingCollector()
                ? Path.of(settings.logDirectory()).resolve(Strftime.format(settings.logFilename(), ZonedDateTime.now()))
                : null;
        PgpoolLogging logging = new PgpoolLogging(context, debug, file);
        logging.apply(settings);
        return logging;
    }

    /** The file logging_collector writes to, or null when the log goes to stderr. */
    public Path file() {
        return file;
    }

    /** log_min_messages in effect (with {@code -d}, at least DEBUG1). */
    public MessageLevel minMessages() {
        return filter.min();
    }

    /** Applies a reloaded configuration's logging parameters (the file, if any, stays). */
    public synchronized void reload(LogSettings settings) {
        apply(settings);
    }

    private void apply(LogSettings s) {
        MessageLevel min = s.logMinMessages();
        if (debug && min.number() > MessageLevel.DEBUG1.number()) {
            min = MessageLevel.DEBUG1; // pgpool -d: log_min_messages = DEBUG1 unless lower
        }
        filter.min(min);
        layout.prefix(LogLinePrefix.compile(s.logLinePrefix()));
        layout.verbosity(s.logErrorVerbosity());
        boolean wantJson = s.destinations().contains(LogDestination.JSONLOG);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Severity.loggerLevel(min));
        if (appender == null || wantJson != json) {
            OutputStreamAppender<ILoggingEvent> old = appender;
            appender = newAppender(wantJson);
            json = wantJson;
            root.addAppender(appender);
            if (old != null) {
                root.detachAppender(old);
                old.stop();
            } else {
                // the appenders of logback.xml, used until now
                List<Appender<ILoggingEvent>> before = new ArrayList<>();
                root.iteratorForAppenders().forEachRemaining(before::add);
                for (Appender<ILoggingEvent> a : before) {
                    if (a != appender) {
                        root.detachAppender(a);
                        a.stop();
                    }
                }
            }
        }
        if (s.destinations().contains(LogDestination.SYSLOG) && !s.destinations().contains(LogDestination.STDERR)
                && !wantJson) {
            LOG.warn("log_destination \"syslog\" is not supported by jpgpool; logging to stderr");
        }
    }

    private OutputStreamAppender<ILoggingEvent> newAppender(boolean asJson) {
        Encoder<ILoggingEvent> encoder;
        if (asJson) {
            PgpoolJsonEncoder e = new PgpoolJsonEncoder();
            e.setContext(context);
            e.start();
            encoder = e;
        } else {
            layout.setContext(context);
            layout.start();
            LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
            e.setContext(context);
            e.setLayout(layout);
            e.start();
            encoder = e;
        }
        OutputStreamAppender<ILoggingEvent> a;
        if (file != null) {
            FileAppender<ILoggingEvent> f = new FileAppender<>();
            f.setFile(file.toString());
            f.setAppend(true);
            a = f;
        } else {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setTarget("System.err");
            a = c;
        }
        a.setName(APPENDER);
        a.setContext(context);
        a.setEncoder(encoder);
        filter.start();
        a.addFilter(filter);
        a.start();
        return a;
    }
}
