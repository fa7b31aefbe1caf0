package io.jpgpool.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.SqlAnalyzer;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
    private final SessionSettings settings = new SessionSettings();

    private void run(String sql) {
        settings.executed(SqlAnalyzer.analyze(sql));
    }

    @Test
    void nothingChangedNothingToReplay() {
        run("SELECT 1");
        run("INSERT INTO t VALUES (1)");
        assertThat(settings.replay()).isNull();
    }

    @Test
    void sessionSetsAndResetsAreReplayedInOrder() {
        run("SET search_path = app, public");
        run("set work_mem to '8MB';");
        run("RESET work_mem");
        run("SET TIME ZONE 'Asia/Tokyo'");
        assertThat(settings.replay()).isEqualTo(
                "SET search_path = app, public; set work_mem to '8MB'; RESET work_mem; SET TIME ZONE 'Asia/Tokyo';");
    }

    @Test
    void transactionScopedSettingsAreNotKept() {
        run("SET LOCAL work_mem = '8MB'");
        run("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
        assertThat(settings.replay()).isNull();
    }

    @Test
    void resetAllAndDiscardAllForgetEverything() {
        run("SET search_path = app");
        run("RESET ALL");
        assertThat(settings.replay()).isNull();
        run("SET search_path = app");
        run("DISCARD ALL");
        assertThat(settings.replay()).isNull();
    }

    @Test
    void aSetInsideAMultiStatementQueryIsNotReplayedAlone() {
        run("SET search_path = app; DELETE FROM t");
        assertThat(settings.replay()).isNull();
    }
}
