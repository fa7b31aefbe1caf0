package io.jpgpool.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** log_line_prefix with pgpool 4.3's escapes, for a session's line and for jpgpool's own tasks. */
class LogLinePrefixTest {
    private static final String OWN_PID = Long.toString(ProcessHandle.current().pid());

    private static String prefix(String text, Events e) {
        StringBuilder out = new StringBuilder();
        LogLinePrefix.compile(text, ZoneOffset.UTC).append(out, e.get(), 7);
        return out.toString();
    }

    @Test
    void theDefaultPrefixOfASessionLineNamesTheClientsApplicationAndTheSession() {
        Events e = Events.at(Level.INFO, "x").thread("jpgpool-io-3-1").session(42, "alice", "test", "psql");
        assertThat(prefix("%m: %a pid %p: ", e)).isEqualTo("2026-03-04 05:06:07.089: psql pid 42: ");
        assertThat(prefix("%t %u@%d %P line %l", e)).isEqualTo("2026-03-04 05:06:07 alice@test CHILD line 7");
    }

    @Test
    void outsideASessionTheThreadNamesThePgpoolProcessAndThePidIsJpgpools() {
        assertThat(prefix("%a|%P|%p", Events.at(Level.INFO, "x").thread("main"))).isEqualTo("main|MAIN|" + OWN_PID);
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("jpgpool-health-check")))
                .isEqualTo("health_check|");
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("jpgpool-background")))
                .isEqualTo("sr_check_worker|WORKER");
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("jpgpool-pcp-io-2-1")))
                .isEqualTo("pcp_child|PCP WORKER");
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("jpgpool-io-1-1"))).isEqualTo("child|CHILD");
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("SIGHUP handler"))).isEqualTo("main|MAIN");
        assertThat(prefix("%a|%P", Events.at(Level.INFO, "x").thread("some-library-thread")))
                .isEqualTo("some-library-thread|");
        assertThat(prefix("%u %d", Events.at(Level.INFO, "x"))).isEqualTo("[No Connection] [No Connection]");
    }

    @Test
    void anEmptyApplicationNameUserOrDatabasePrintsUnknown() {
        Events e = Events.at(Level.INFO, "x").session(1, "", "", "");
        assertThat(prefix("%a %u %d", e)).isEqualTo("[unknown] [unknown] [unknown]");
    }

    @Test
    void paddingAlignsRightWithAWidthAndLeftWithAMinus() {
        Events e = Events.at(Level.INFO, "x").session(42, "u", "d", "psql");
        assertThat(prefix("[%10a][%-6p][%3a]", e)).isEqualTo("[      psql][42    ][psql]");
    }

    @Test
    void percentSignsUnknownEscapesAndBrokenEndsAreHandledAsPgpoolDoes() {
        Events e = Events.at(Level.INFO, "x").session(42, "u", "d", "psql");
        assertThat(prefix("100%% %x%p:", e)).as("%% is a percent sign, %x prints nothing").isEqualTo("100% 42:");
        assertThat(prefix("pid %p %", e)).as("a trailing %% is dropped").isEqualTo("pid 42 ");
        assertThat(prefix("pid %p %-12", e)).as("a padding at the end stops the prefix").isEqualTo("pid 42 ");
        assertThat(prefix("", e)).isEmpty();
        assertThat(prefix(null, e)).isEmpty();
    }
}
