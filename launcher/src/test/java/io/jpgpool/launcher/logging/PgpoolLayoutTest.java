package io.jpgpool.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.jpgpool.config.LogErrorVerbosity;
import io.jpgpool.core.logging.LogContext;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Lines as pgpool's elog writes them: prefix, level word, message, DETAIL/HINT/LOCATION per log_error_verbosity. */
class PgpoolLayoutTest {
    private final PgpoolLayout layout = new PgpoolLayout();

    private String format(String prefix, LogErrorVerbosity verbosity, Events e) {
        layout.prefix(LogLinePrefix.compile(prefix, ZoneOffset.UTC));
        layout.verbosity(verbosity);
        return layout.doLayout(e.get());
    }

    @Test
    void levelWordsArePgpools() {
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.INFO, "started"))).isEqualTo("LOG:  started\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.WARN, "w"))).isEqualTo("WARNING:  w\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.ERROR, "e"))).isEqualTo("ERROR:  e\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.ERROR, "f").marker(LogContext.FATAL)))
                .isEqualTo("FATAL:  f\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.INFO, "n").marker(LogContext.NOTICE)))
                .isEqualTo("NOTICE:  n\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.DEBUG, "d"))).isEqualTo("DEBUG:  d\n");
        assertThat(format("", LogErrorVerbosity.DEFAULT, Events.at(Level.TRACE, "t"))).isEqualTo("DEBUG:  t\n");
    }

    @Test
    void aStatementLineSplitsIntoTheFieldsPgpoolsTestsReadWithAwk() {
        // pgpool's 008/009 tests take the node id as field 10 of this line
        Events e = Events.at(Level.INFO, "DB node id: 1 backend pid: 4242 statement: SELECT 'test1'")
                .session(7, "postgres", "test", "psql");
        String line = format("%m: %a pid %p: ", LogErrorVerbosity.DEFAULT, e);
        assertThat(line).isEqualTo("2026-03-04 05:06:07.089: psql pid 7: LOG:  DB node id: 1 backend pid: 4242 "
                + "statement: SELECT 'test1'\n");
        assertThat(line.trim().split("\\s+")[9]).isEqualTo("1");
    }

    @Test
    void detailAndHintAreLinesOfTheirOwnUnlessTerse() {
        Events e = Events.at(Level.ERROR, "unable to read data").kv(LogContext.DETAIL, "node 1 is down")
                .kv(LogContext.HINT, "retry later").session(3, "u", "d", "psql");
        assertThat(format("%a pid %p: ", LogErrorVerbosity.DEFAULT, e)).isEqualTo(
                "psql pid 3: ERROR:  unable to read data\n"
                        + "psql pid 3: DETAIL:  node 1 is down\n"
                        + "psql pid 3: HINT:  retry later\n");
        assertThat(format("%a pid %p: ", LogErrorVerbosity.TERSE, e)).isEqualTo("psql pid 3: ERROR:  unable to read data\n");
    }

    @Test
    void verboseAddsTheLocation() {
        Events e = Events.at(Level.INFO, "failover done").kv(LogContext.DETAIL, "d")
                .caller(new StackTraceElement("io.jpgpool.core.failover.FailoverCoordinator", "failover",
                        "FailoverCoordinator.java", 120));
        assertThat(format("", LogErrorVerbosity.VERBOSE, e)).isEqualTo("LOG:  failover done\nDETAIL:  d\n"
                + "LOCATION:  io.jpgpool.core.failover.FailoverCoordinator.failover, FailoverCoordinator.java:120\n");
    }

    @Test
    void everyLineCountsForTheLineNumber() {
        Events e = Events.at(Level.WARN, "one").kv(LogContext.DETAIL, "two");
        String first = format("%l ", LogErrorVerbosity.DEFAULT, e);
        assertThat(first).isEqualTo("1 WARNING:  one\n2 DETAIL:  two\n");
        assertThat(format("%l ", LogErrorVerbosity.DEFAULT, Events.at(Level.INFO, "three"))).isEqualTo("3 LOG:  three\n");
    }

    @Test
    void aNewlineInsideATextIsFollowedByATabAsInPgpool() {
        assertThat(format("p: ", LogErrorVerbosity.DEFAULT, Events.at(Level.INFO, "SELECT 1\nFROM t")))
                .isEqualTo("p: LOG:  SELECT 1\n\tFROM t\n");
    }

    @Test
    void aStackTraceContinuesTheEntryAfterTabsAndTerseLeavesItOut() {
        Events e = Events.thrown(Level.WARN, "reload failed", new IllegalStateException("bad value"));
        String text = format("p: ", LogErrorVerbosity.DEFAULT, e);
        assertThat(text).startsWith("p: WARNING:  reload failed\n\tjava.lang.IllegalStateException: bad value\n\t");
        assertThat(text.lines().skip(1)).allMatch(l -> l.startsWith("\t"));
        assertThat(format("p: ", LogErrorVerbosity.TERSE, e)).isEqualTo("p: WARNING:  reload failed\n");
    }
}
