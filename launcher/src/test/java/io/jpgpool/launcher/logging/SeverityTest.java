package io.jpgpool.launcher.logging;

import static io.jpgpool.config.MessageLevel.DEBUG1;
import static io.jpgpool.config.MessageLevel.DEBUG2;
import static io.jpgpool.config.MessageLevel.DEBUG5;
import static io.jpgpool.config.MessageLevel.ERROR;
import static io.jpgpool.config.MessageLevel.FATAL;
import static io.jpgpool.config.MessageLevel.INFO;
import static io.jpgpool.config.MessageLevel.LOG;
import static io.jpgpool.config.MessageLevel.NOTICE;
import static io.jpgpool.config.MessageLevel.PANIC;
import static io.jpgpool.config.MessageLevel.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

/** log_min_messages as pgpool's is_log_level_output applies it: LOG ranks between ERROR and FATAL. */
class SeverityTest {

    @Test
    void atTheDefaultWarningLogLinesAreWrittenButNoticesAndDebugAreNot() {
        assertThat(Severity.written(LOG, WARNING)).isTrue();
        assertThat(Severity.written(WARNING, WARNING)).isTrue();
        assertThat(Severity.written(ERROR, WARNING)).isTrue();
        assertThat(Severity.written(NOTICE, WARNING)).isFalse();
        assertThat(Severity.written(DEBUG1, WARNING)).isFalse();
    }

    @Test
    void errorDropsWarningsButKeepsLogLines() {
        assertThat(Severity.written(WARNING, ERROR)).isFalse();
        assertThat(Severity.written(LOG, ERROR)).isTrue();
        assertThat(Severity.written(ERROR, ERROR)).isTrue();
    }

    @Test
    void logKeepsLogLinesAndWhatIsFatal() {
        assertThat(Severity.written(LOG, LOG)).isTrue();
        assertThat(Severity.written(ERROR, LOG)).isFalse();
        assertThat(Severity.written(FATAL, LOG)).isTrue();
        assertThat(Severity.written(PANIC, LOG)).isTrue();
    }

    @Test
    void fatalDropsEvenLogLines() {
        assertThat(Severity.written(LOG, FATAL)).isFalse();
        assertThat(Severity.written(FATAL, FATAL)).isTrue();
    }

    @Test
    void debugLevelsOpenTheLoggersAsFarAsNeeded() {
        assertThat(Severity.written(DEBUG1, DEBUG1)).isTrue();
        assertThat(Severity.written(DEBUG2, DEBUG1)).isFalse();
        assertThat(Severity.written(DEBUG2, DEBUG5)).isTrue();
        assertThat(Severity.written(INFO, DEBUG1)).isTrue();
        assertThat(Severity.loggerLevel(DEBUG5)).isEqualTo(Level.TRACE);
        assertThat(Severity.loggerLevel(DEBUG2)).isEqualTo(Level.TRACE);
        assertThat(Severity.loggerLevel(DEBUG1)).isEqualTo(Level.DEBUG);
        assertThat(Severity.loggerLevel(WARNING)).isEqualTo(Level.INFO);
        assertThat(Severity.loggerLevel(FATAL)).isEqualTo(Level.INFO);
    }
}
