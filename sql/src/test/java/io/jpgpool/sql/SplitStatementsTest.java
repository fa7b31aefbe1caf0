package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multi-statement strings are never load balanced (SEMANTICS A.2); only the first statement is analysed. */
class SplitStatementsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # sql                                                  | multi | first kind | first text
            SELECT 1                                               | false | SELECT     | SELECT 1
            SELECT 1;                                              | false | SELECT     | SELECT 1
            `  SELECT 1 ;  `                                       | false | SELECT     | SELECT 1
            SELECT 1; ;                                            | false | SELECT     | SELECT 1
            ;;SELECT 1;;                                           | false | SELECT     | SELECT 1
            SELECT 1; -- trailing comment                          | false | SELECT     | SELECT 1
            SELECT 1; /* c */                                      | false | SELECT     | SELECT 1
            BEGIN; INSERT INTO t VALUES (1)                        | true  | BEGIN      | BEGIN
            BEGIN;SELECT 1;                                        | true  | BEGIN      | BEGIN
            SELECT 1; SELECT 2                                     | true  | SELECT     | SELECT 1
            SAVEPOINT a; SELECT 1                                  | true  | SAVEPOINT  | SAVEPOINT a
            SELECT ';'                                             | false | SELECT     | SELECT ';'
            SELECT $$; INSERT$$                                    | false | SELECT     | SELECT $$; INSERT$$
            SELECT E'\\'; INSERT'                                   | false | SELECT     | SELECT E'\\'; INSERT'
            SELECT $$ ; $$, $a$ ; $a$                              | false | SELECT     | SELECT $$ ; $$, $a$ ; $a$
            SELECT 1 /* ; */ -- ;                                  | false | SELECT     | SELECT 1 /* ; */ -- ;
            SELECT ";" FROM t                                      | false | SELECT     | SELECT ";" FROM t
            CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)) | false | CREATE | CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))
            CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END; SELECT 2 | true | CREATE | CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END
            CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END | false | CREATE | CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END
            CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT f() | true | CREATE | CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql
            /* lead */ SELECT 1; SELECT 2                          | true  | SELECT     | /* lead */ SELECT 1
            """)
    void firstStatementOfString(String sql, boolean multi, StatementKind kind, String text) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.multiStatement()).as("multiStatement").isEqualTo(multi);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.text()).isEqualTo(text);
        assertThat(s.malformed()).isFalse();
    }

    @Test
    void splitReturnsTheNonEmptyStatements() {
        assertThat(SqlAnalyzer.splitStatements("BEGIN; INSERT INTO t VALUES (';'); ; COMMIT;"))
                .containsExactly("BEGIN", "INSERT INTO t VALUES (';')", "COMMIT");
        assertThat(SqlAnalyzer.splitStatements("SELECT (1; 2)")).containsExactly("SELECT (1; 2)");
        assertThat(SqlAnalyzer.splitStatements("SELECT 1; -- tail")).containsExactly("SELECT 1");
        assertThat(SqlAnalyzer.splitStatements("SELECT 1;\n/* c */ SELECT 2")).containsExactly("SELECT 1", "/* c */ SELECT 2");
        assertThat(SqlAnalyzer.splitStatements(";; ;")).isEmpty();
        assertThat(SqlAnalyzer.splitStatements("")).isEmpty();
        assertThat(SqlAnalyzer.splitStatements(null)).isEmpty();
        assertThat(SqlAnalyzer.splitStatements("   ")).isEmpty();
    }

    @Test
    void emptyStrings() {
        for (String sql : List.of("", "   ", ";", " ; ; ", "/* x */", "-- x", "/* a */ ; -- b\n;")) {
            Statement s = SqlAnalyzer.analyzeStrict(sql);
            assertThat(s.empty()).as(sql).isTrue();
            assertThat(s.kind()).isEqualTo(StatementKind.EMPTY);
            assertThat(s.multiStatement()).isFalse();
            assertThat(s.syntacticRead()).as("the empty query is a dummy read (SEMANTICS A.1.4)").isTrue();
            assertThat(s.text()).isEmpty();
        }
        assertThat(SqlAnalyzer.analyze(null).empty()).isTrue();
        Statement unterminated = SqlAnalyzer.analyzeStrict("/* never closed");
        assertThat(unterminated.empty()).isFalse();
        assertThat(unterminated.malformed()).isTrue();
    }
}
