package io.jpgpool.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/** The messages jpgpool logs under one logger (a package) while a test runs. */
public final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Logger logger;

    private LogLines(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    }

    public static LogLines capture(String loggerName) {
        LogLines l = new LogLines(loggerName);
        l.setContext(l.logger.getLoggerContext());
        l.start();
        l.logger.addAppender(l);
        return l;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = event.getFormattedMessage();
        if (event.getKeyValuePairs() != null) {
            for (org.slf4j.event.KeyValuePair kv : event.getKeyValuePairs()) {
                if ("detail".equals(kv.key)) {
                    line += "\nDETAIL:  " + kv.value; // as the log prints it, on the next line
                }
            }
        }
        lines.add(line);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
