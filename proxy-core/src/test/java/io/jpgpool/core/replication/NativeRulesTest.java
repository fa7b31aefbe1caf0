package io.jpgpool.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** SEMANTICS B.2: order, internal transactions, repeated errors; B.5: the rows of a CommandComplete. */
class NativeRulesTest {
    @Test
    void writesRunOnTheMainNodeFirstCommitsOnTheOthersFirstAndLockFreeStatementsEverywhereAtOnce() {
        assertThat(NativeRules.order(st("UPDATE t SET a = 1"))).isEqualTo(NativeRules.Order.MAIN_FIRST);
        assertThat(NativeRules.order(st("CREATE TABLE t (a int)"))).isEqualTo(NativeRules.Order.MAIN_FIRST);
        assertThat(NativeRules.order(st("COMMIT"))).isEqualTo(NativeRules.Order.OTHERS_FIRST);
        assertThat(NativeRules.order(st("END"))).isEqualTo(NativeRules.Order.OTHERS_FIRST);
        assertThat(NativeRules.order(st("ROLLBACK"))).isEqualTo(NativeRules.Order.OTHERS_FIRST);
        assertThat(NativeRules.order(st("BEGIN"))).isEqualTo(NativeRules.Order.ALL_AT_ONCE);
        assertThat(NativeRules.order(st("SET work_mem = '8MB'"))).isEqualTo(NativeRules.Order.ALL_AT_ONCE);
        assertThat(NativeRules.order(st("SAVEPOINT s"))).isEqualTo(NativeRules.Order.ALL_AT_ONCE);
        assertThat(NativeRules.order(st("BEGIN", "INSERT INTO t VALUES (1)"))).isEqualTo(NativeRules.Order.MAIN_FIRST);
        assertThat(NativeRules.order(st("BEGIN; UPDATE t SET a = 1; COMMIT"))).as("a multi-statement string")
                .isEqualTo(NativeRules.Order.MAIN_FIRST);
    }

    @Test
    void writesOutsideATransactionAreWrappedButNotWhatCannotRunInOne() {
        assertThat(NativeRules.needsInternalTransaction(st("INSERT INTO t VALUES (1)"))).isTrue();
        assertThat(NativeRules.needsInternalTransaction(st("UPDATE t SET a = 2"))).isTrue();
        assertThat(NativeRules.needsInternalTransaction(st("CREATE TABLE t (a int)"))).isTrue();
        assertThat(NativeRules.needsInternalTransaction(st("SET a.b = 1"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("BEGIN"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("BEGIN", "INSERT INTO t VALUES (1)"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("VACUUM ANALYZE t"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("CREATE DATABASE d"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("create index concurrently i on t (a)"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("DROP TABLESPACE s"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("REINDEX DATABASE d"))).isFalse();
        assertThat(NativeRules.needsInternalTransaction(st("REINDEX TABLE t"))).isTrue();
        assertThat(NativeRules.needsInternalTransaction(st("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)")))
                .as("a multi-statement string is its own implicit transaction").isFalse();
    }

    @Test
    void deadlocksSerializationFailuresAndCancelsOfTheMainNodeAreRepeatedOnTheOthers() {
        assertThat(NativeRules.repeatedOnOthers("40P01")).isTrue();
        assertThat(NativeRules.repeatedOnOthers("40001")).isTrue();
        assertThat(NativeRules.repeatedOnOthers("25001")).isTrue();
        assertThat(NativeRules.repeatedOnOthers("57014")).isTrue();
        assertThat(NativeRules.repeatedOnOthers("23505")).isFalse();
        assertThat(NativeRules.repeatedOnOthers(null)).isFalse();
    }

    @Test
    void onlyInsertUpdateAndDeleteCountRows() {
        assertThat(NativeRules.affectedTuples("INSERT 0 5")).isEqualTo(OptionalLong.of(5));
        assertThat(NativeRules.affectedTuples("UPDATE 12")).isEqualTo(OptionalLong.of(12));
        assertThat(NativeRules.affectedTuples("DELETE 0")).isEqualTo(OptionalLong.of(0));
        assertThat(NativeRules.affectedTuples("SELECT 3")).isEmpty();
        assertThat(NativeRules.affectedTuples("COPY 100")).isEmpty();
        assertThat(NativeRules.affectedTuples("MERGE 2")).isEmpty();
        assertThat(NativeRules.affectedTuples("INSERT x")).isEmpty();
        assertThat(NativeRules.affectedTuples(null)).isEmpty();
    }

    private static List<Statement> st(String... sql) {
        return Arrays.stream(sql).map(SqlAnalyzer::analyze).toList();
    }
}
