package io.jpgpool.it.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.jpgpool.core.session.StatementLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The {@code log_per_node_statement} lines jpgpool writes while a test runs, parsed: which node ran which
 * statement. This is how pgpool's own tests check routing, and how ours do.
 */
public final class RoutingLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final Pattern LINE = Pattern.compile("DB node id: (\\d+) backend pid: (\\d+) statement: (.*)",
            Pattern.DOTALL);

    private static final String EXECUTE = "Execute: ";

    /** One statement sent to one node. */
    public record Entry(int node, int backendPid, String statement) {
        /**
         * The statement was run here: a simple query, or an extended-protocol {@code Execute:} (not its
         * {@code Parse:}, {@code Bind:} or a Describe/Close), so each run of a statement counts once.
         */
        public boolean isExecution() {
            return statement.startsWith(EXECUTE) || !(statement.startsWith("Parse: ")
                    || statement.startsWith("Bind: ") || statement.equals("D message")
                    || statement.equals("C message") || statement.equals("F message"));
        }

        /** The SQL text without the extended-protocol prefix. */
        public String sql() {
            int colon = statement.indexOf(": ");
            return statement.startsWith(EXECUTE) || statement.startsWith("Parse: ") || statement.startsWith("Bind: ")
                    ? statement.substring(colon + 2) : statement;
        }
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(StatementLog.LOGGER);

    private RoutingLog() {
    }

    public static RoutingLog capture() {
        RoutingLog log = new RoutingLog();
        log.setContext(log.logger.getLoggerContext());
        log.start();
        log.logger.addAppender(log);
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        Matcher m = LINE.matcher(event.getFormattedMessage());
        if (m.matches()) {
            entries.add(new Entry(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
        }
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public List<Entry> matching(Predicate<String> statement) {
        return entries.stream().filter(e -> statement.test(e.statement())).toList();
    }

    /** The nodes that ran statements containing {@code text} (case-insensitive), in order. */
    public List<Integer> nodesOf(String text) {
        String t = text.toLowerCase();
        return entries.stream().filter(e -> e.statement().toLowerCase().contains(t)).map(Entry::node).toList();
    }

    /** Each run of a statement containing {@code text} (case-insensitive), once per run (see {@link Entry#isExecution}). */
    public List<Entry> executionsOf(String text) {
        String t = text.toLowerCase();
        return entries.stream().filter(e -> e.isExecution() && e.sql().toLowerCase().contains(t)).toList();
    }

    /** How many runs of statements containing {@code text} each node had; nodes without any are absent. */
    public Map<Integer, Long> executionsPerNode(String text) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (Entry e : executionsOf(text)) {
            counts.merge(e.node(), 1L, Long::sum);
        }
        return counts;
    }

    public void clear() {
        entries.clear();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
