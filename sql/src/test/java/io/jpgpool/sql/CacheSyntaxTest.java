package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CacheSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"SELECT CURRENT_TIMESTAMP", "SELECT current_user", "select localtime(3)",
            "SELECT * FROM t WHERE d < current_date", "SELECT session_user", "SELECT user",
            "SELECT current_catalog", "SELECT current_schema", "SELECT CURRENT_ROLE", "SELECT LOCALTIMESTAMP"})
    void sqlValueFunctions(String sql) {
        assertThat(CacheSyntax.of(sql).sqlValueFunction()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT 'x'::timestamptz", "SELECT '2022-07-05 10:00:00'::TIMESTAMPTZ",
            "SELECT CAST(d AS timetz) FROM t", "SELECT timestamptz '2020-01-01'",
            "SELECT '1'::timestamp with time zone", "SELECT '10:00'::time(3) WITH TIME ZONE",
            "SELECT 'x'::pg_catalog.timestamptz", "SELECT 'x'::\"timetz\""})
    void timeZoneTypes(String sql) {
        assertThat(CacheSyntax.of(sql).timeZoneType()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT '2022-07-05 10:00:00'::TIMESTAMP", "SELECT '10:00'::TIME",
            "SELECT '2022-07-05'::DATE", "SELECT 'x'::timestamp without time zone", "SELECT 'timestamptz'",
            "SELECT \"CURRENT_USER\" FROM t", "SELECT 'current_timestamp'", "SELECT * FROM t -- tablesample",
            "SELECT now() AT TIME ZONE 'UTC'"})
    void plainSelects(String sql) {
        CacheSyntax s = CacheSyntax.of(sql);
        assertThat(s.sqlValueFunction()).isFalse();
        assertThat(s.timeZoneType()).isFalse();
        assertThat(s.tableSample()).isFalse();
        assertThat(s.nowLiteral()).isFalse();
    }

    @Test
    void tableSampleAndNowLiterals() {
        assertThat(CacheSyntax.of("SELECT * FROM t TABLESAMPLE SYSTEM (10)").tableSample()).isTrue();
        assertThat(CacheSyntax.of("SELECT 'now'::timestamp").nowLiteral()).isTrue();
        assertThat(CacheSyntax.of("SELECT date ' Today '").nowLiteral()).isTrue();
        assertThat(CacheSyntax.of("SELECT E'tomorrow'::date").nowLiteral()).isTrue();
        assertThat(CacheSyntax.of("SELECT 'nowhere'").nowLiteral()).isFalse();
    }

    @Test
    void leadingTokensFoldUnquotedWordsOnly() {
        assertThat(CacheSyntax.of("ALTER ROLE \"Foo\" WITH PASSWORD 'x' CONNECTION LIMIT 5").leadingTokens())
                .containsExactly("alter", "role", "\"Foo\"", "with", "password", "'x'", "connection", "limit", "5");
        assertThat(CacheSyntax.of("/* c */ DROP DATABASE IF EXISTS \"My\"\"Db\"").leadingTokens())
                .containsExactly("drop", "database", "if", "exists", "\"My\"\"Db\"");
        assertThat(CacheSyntax.identifier("\"My\"\"Db\"")).isEqualTo("My\"Db");
        assertThat(CacheSyntax.identifier("mydb")).isEqualTo("mydb");
        assertThat(CacheSyntax.of(null).leadingTokens()).isEmpty();
    }
}
