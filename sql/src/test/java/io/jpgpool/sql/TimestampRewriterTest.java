package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SEMANTICS B.8: what the nodes other than the main node get, so that every node stores the same time. */
class TimestampRewriterTest {
    private static final String T = "'2026-12-02 10:00:00.123456+00'";
    private static final String TS = "CAST(" + T + " AS timestamptz)";

    private static String rw(String sql) {
        return TimestampRewriter.rewrite(sql, T, null).text();
    }

    @Test
    void theClockFunctionsAndKeywordsBecomeTheMainNodesTime() {
        assertThat(rw("INSERT INTO t VALUES (now())")).isEqualTo("INSERT INTO t VALUES (" + TS + ")");
        assertThat(rw("UPDATE t SET ts = pg_catalog.now() WHERE id = 1"))
                .isEqualTo("UPDATE t SET ts = " + TS + " WHERE id = 1");
        assertThat(rw("INSERT INTO t VALUES (CURRENT_TIMESTAMP, current_date, LOCALTIMESTAMP(3))"))
                .isEqualTo("INSERT INTO t VALUES (CAST(" + T + " AS timestamptz), CAST(" + T + " AS date), CAST("
                        + T + " AS timestamp(3)))");
        assertThat(rw("UPDATE t SET a = CURRENT_TIME, b = localtime"))
                .isEqualTo("UPDATE t SET a = CAST(" + T + " AS timetz), b = CAST(" + T + " AS time)");
        assertThat(rw("DELETE FROM t WHERE ts < transaction_timestamp() - interval '1 day'"))
                .isEqualTo("DELETE FROM t WHERE ts < " + TS + " - interval '1 day'");
        assertThat(rw("INSERT INTO t VALUES ('now'::timestamp, date 'now')"))
                .isEqualTo("INSERT INTO t VALUES (" + TS + "::timestamp, CAST(" + TS + " AS date))");
    }

    @Test
    void whatDoesNotReadTheClockIsLeftAlone() {
        assertThat(TimestampRewriter.rewrite("INSERT INTO t VALUES (1, 'now')", T, null).changed()).isFalse();
        assertThat(rw("SELECT other.now(), now, \"now\"() FROM t")).isEqualTo("SELECT other.now(), now, \"now\"() FROM t");
        assertThat(rw("INSERT INTO t VALUES (clock_timestamp(), random(), statement_timestamp())"))
                .isEqualTo("INSERT INTO t VALUES (clock_timestamp(), random(), statement_timestamp())");
        assertThat(rw("SELECT 'now() CURRENT_DATE' -- now()")).isEqualTo("SELECT 'now() CURRENT_DATE' -- now()");
        assertThat(TimestampRewriter.readsClock("SELECT 1")).isFalse();
        assertThat(TimestampRewriter.readsClock("insert into t values (now())")).isTrue();
    }

    @Test
    void aParameterCanCarryTheClockForAPreparedStatement() {
        assertThat(TimestampRewriter.rewrite("INSERT INTO t VALUES ($1, now())", "$2", null).text())
                .isEqualTo("INSERT INTO t VALUES ($1, CAST($2 AS timestamptz))");
    }

    // ------------------------------------------------------------------ defaults

    private static final TimestampRewriter.TableClock HISTORY = new TimestampRewriter.TableClock(
            List.of("id", "note", "created", "day"),
            List.of(new TimestampRewriter.ClockDefault("created", 2, "CURRENT_TIMESTAMP"),
                    new TimestampRewriter.ClockDefault("day", 3, "('now'::text)::date")));

    private static String withDefaults(String sql) {
        Function<QualifiedName, TimestampRewriter.TableClock> tables =
                name -> name.name().equals("history") ? HISTORY : null;
        return TimestampRewriter.rewrite(sql, T, tables).text();
    }

    @Test
    void omittedColumnsWithAClockDefaultGetTheMainNodesTime() {
        assertThat(withDefaults("INSERT INTO history (id, note) VALUES (1, 'a'), (2, 'b')"))
                .isEqualTo("INSERT INTO history (id, note, \"created\", \"day\") VALUES (1, 'a', CAST(" + T
                        + " AS timestamptz), ('now'::text)::date), (2, 'b', CAST(" + T
                        + " AS timestamptz), ('now'::text)::date)");
    }

    @Test
    void defaultItemsAndDefaultValuesGetItToo() {
        assertThat(withDefaults("INSERT INTO history (id, created) VALUES (1, DEFAULT)"))
                .startsWith("INSERT INTO history (id, created, \"day\") VALUES (1, CAST(" + T + " AS timestamptz), ");
        assertThat(withDefaults("INSERT INTO public.history DEFAULT VALUES"))
                .isEqualTo("INSERT INTO public.history (\"created\", \"day\") VALUES (CAST(" + T
                        + " AS timestamptz), ('now'::text)::date)");
        assertThat(withDefaults("INSERT INTO history VALUES (1, 'a')"))
                .isEqualTo("INSERT INTO history VALUES (1, 'a', CAST(" + T + " AS timestamptz), ('now'::text)::date)");
        assertThat(withDefaults("INSERT INTO history VALUES (1, 'a', DEFAULT, '2020-01-01')"))
                .isEqualTo("INSERT INTO history VALUES (1, 'a', CAST(" + T + " AS timestamptz), '2020-01-01')");
        assertThat(withDefaults("UPDATE history SET created = DEFAULT, note = 'x' WHERE id = 1"))
                .isEqualTo("UPDATE history SET created = CAST(" + T + " AS timestamptz), note = 'x' WHERE id = 1");
    }

    @Test
    void insertSelectAndOtherTablesKeepTheirDefaults() {
        assertThat(withDefaults("INSERT INTO history (id) SELECT 1")).isEqualTo("INSERT INTO history (id) SELECT 1");
        assertThat(withDefaults("INSERT INTO other (id) VALUES (1)")).isEqualTo("INSERT INTO other (id) VALUES (1)");
        assertThat(TimestampRewriter.target("insert into s.History (a) values (1)"))
                .isEqualTo(QualifiedName.of("s", "history"));
        assertThat(TimestampRewriter.target("UPDATE ONLY t SET a = 1")).isEqualTo(QualifiedName.of("t"));
        assertThat(TimestampRewriter.target("SELECT 1")).isNull();
    }

    @Test
    void pgbenchHistoryInsert() {
        assertThat(rw("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (3, 1, 77, -12, "
                + "CURRENT_TIMESTAMP);")).isEqualTo("INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
                + "VALUES (3, 1, 77, -12, CAST(" + T + " AS timestamptz));");
    }
}
