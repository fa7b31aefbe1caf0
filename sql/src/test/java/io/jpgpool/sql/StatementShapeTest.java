package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One analysis serves every string of a shape: strings that differ only in their constants must get exactly
 * the facts their own analysis gives, or else not share one.
 */
class StatementShapeTest {

    @Test
    void constantsAreReplacedAndEverythingElseIsKept() {
        StatementShape a = StatementShape.of("SELECT abalance FROM pgbench_accounts WHERE aid = 12345;");
        StatementShape b = StatementShape.of("SELECT abalance FROM pgbench_accounts WHERE aid = 7;");
        assertThat(a.key()).isEqualTo(b.key()).isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = \0N;");
        assertThat(StatementShape.of("SELECT * FROM t WHERE s = 'x' AND n = 1.5e3").key())
                .isEqualTo("SELECT * FROM t WHERE s = \0S AND n = \0N");
        // names, comments and spacing are part of the shape
        assertThat(StatementShape.of("SELECT * FROM t1 WHERE a = 1").key())
                .isNotEqualTo(StatementShape.of("SELECT * FROM t2 WHERE a = 1").key())
                .isNotEqualTo(StatementShape.of("/*NO LOAD BALANCE*/ SELECT * FROM t1 WHERE a = 1").key())
                .isNotEqualTo(StatementShape.of("SELECT * FROM t1 WHERE a =  1").key());
        // a string constant and a number are different shapes: "x = '1'" is not "x = 1"
        assertThat(StatementShape.of("SELECT 1").key()).isNotEqualTo(StatementShape.of("SELECT '1'").key());
    }

    @Test
    void noShapeWithoutConstantsForSeveralStatementsOrMalformedText() {
        assertThat(StatementShape.of("SELECT a FROM t WHERE b = $1")).isNull();
        assertThat(StatementShape.of("SELECT 1; SELECT 2")).isNull();
        assertThat(StatementShape.of("SELECT 'unterminated")).isNull();
        assertThat(StatementShape.of("SELECT 1 \\")).isNull();
        assertThat(StatementShape.of("SELECT '\0'")).isNull();
    }

    @Test
    void boundFactsCarryTheirOwnText() {
        Statement model = SqlAnalyzer.analyze("  SELECT abalance FROM pgbench_accounts WHERE aid = 1 ; ");
        String other = "/* c */ SELECT abalance FROM pgbench_accounts WHERE aid = 99 ;";
        Statement bound = StatementShape.of(other).bind(model);
        assertThat(bound.text()).isEqualTo(SqlAnalyzer.analyze(other).text());
        assertThat(bound.startsWithReadChar(true)).isFalse();
        assertThat(facts(bound)).isEqualTo(facts(SqlAnalyzer.analyze(other)));
    }

    @Test
    void factsThatReadConstantsAreNotShared() {
        for (String sql : List.of("SET statement_timeout = 5", "SET application_name = 'a'",
                "SELECT pg_terminate_backend(1234)", "SELECT pg_terminate_backend(12345678901)",
                "EXPLAIN SELECT * FROM t WHERE a = 1", "PREPARE p AS SELECT 1", "COPY (SELECT 1) TO STDOUT",
                "SHOW pool_nodes", "RESET ALL")) {
            assertThat(SqlAnalyzer.analyze(sql).readsConstants()).as(sql).isTrue();
        }
        assertThat(SqlAnalyzer.analyze("UPDATE t SET a = 'x' WHERE id = 3").readsConstants()).isFalse();
        assertThat(SqlAnalyzer.analyze("SELECT nextval('s')").readsConstants()).isFalse();
    }

    /**
     * The property itself, on random token soup: replace the constants of a string by other constants; when
     * the shape stays the same, the facts bound from the first analysis equal the second string's own.
     */
    @Test
    void sameShapeMeansSameFacts() {
        String[] pieces = {"SELECT", "FROM", "WHERE", "WITH", "AS", "(", ")", "[", "]", ",", ";", ".", "::",
            "$1", "/* c */", "-- x\n", "\n", " ", "FOR", "UPDATE", "SHARE", "INTO", "INSERT", "DELETE", "JOIN",
            "ON", "USING", "EXPLAIN", "COPY", "TO", "STDOUT", "BEGIN", "SET", "TRANSACTION", "LOCK", "IN", "MODE",
            "t", "f", "x", "nextval", "pg_terminate_backend", "setval", "now", "=", "+", "-", "*", "TABLE", "VALUES",
            "UNION", "EXTRACT", "SUBSTRING", "CAST", "LIMIT", "OFFSET", "ORDER", "BY", "GROUP", "HAVING", "AND",
            "OR", "NOT", "NULL", "TEMP", "CREATE", "DROP", "READ", "ONLY", "WRITE", "ISOLATION", "LEVEL",
            "SERIALIZABLE", "SHOW", "RESET", "DISCARD", "ALL", "PREPARE", "EXECUTE", "DEALLOCATE", "UNLOGGED",
            "1", "42", "1.5", "1e3", "'a'", "'it''s'", "E'\\n'", "$$d$$", "$q$x$q$", "B'01'", "X'ff'"};
        String[] constants = {"7", "123456", "2.25", "9e9", "'b'", "'x y'", "E'\\t'", "$$z$$", "''", "2147483648",
            "12345678901", "-1"};
        String[] templates = {
            "SELECT abalance FROM pgbench_accounts WHERE aid = ?;",
            "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP);",
            "SELECT * FROM t WHERE a = ? FOR UPDATE", "SELECT nextval(?)", "SELECT setval(?, ?)",
            "SELECT * INTO TEMP x FROM t WHERE a > ?", "WITH d AS (DELETE FROM t WHERE a = ? RETURNING *) SELECT * FROM d",
            "SELECT pg_terminate_backend(?)", "SELECT pg_terminate_backend(-?)", "SET statement_timeout = ?",
            "SET application_name TO ?", "BEGIN ISOLATION LEVEL SERIALIZABLE", "EXPLAIN ANALYZE SELECT ?",
            "COPY (SELECT ?) TO STDOUT", "PREPARE p AS SELECT * FROM t WHERE a = ?", "LOCK TABLE t IN SHARE MODE",
            "SELECT count(*) FROM a JOIN b ON a.id = b.id WHERE a.x = ? LIMIT ? OFFSET ?",
            "SELECT ?::regclass, ?::int, CAST(? AS text), substring(? FROM ? FOR ?)",
            "/*NO LOAD BALANCE*/ SELECT * FROM t WHERE s = ?", "DELETE FROM t WHERE id IN (?, ?, ?)",
            "CREATE TEMP TABLE tt AS SELECT ? AS a", "SELECT * FROM s.t WHERE (a, b) = (?, ?) UNION SELECT ?, ?",
            "VALUES (?), (?)", "SHOW statement_timeout", "DECLARE c CURSOR FOR SELECT ?", "FETCH ? FROM c",
            "SELECT t.* FROM t, LATERAL f(?) g WHERE t.v @> ARRAY[?, ?]", "SELECT random() * ?", "SELECT ? || ?"};
        SplittableRandom random = new SplittableRandom(7);
        int compared = 0;
        for (int n = 0; n < 80_000; n++) {
            StringBuilder sb = new StringBuilder();
            if (n % 2 == 0) {
                String t = templates[random.nextInt(templates.length)];
                for (int k = 0; k < t.length(); k++) {
                    char c = t.charAt(k);
                    sb.append(c == '?' ? pieces[random.nextInt(pieces.length - 11, pieces.length)] : String.valueOf(c));
                }
            } else {
                sb.append(soup(pieces, 24, random));
            }
            String first = sb.toString();
            StatementShape shape = StatementShape.of(first);
            if (shape == null) {
                continue;
            }
            String second = replaceConstants(first, constants, random);
            StatementShape other = StatementShape.of(second);
            if (other == null || !other.key().equals(shape.key())) {
                continue;
            }
            Statement model = SqlAnalyzer.analyze(first);
            if (model.readsConstants()) {
                continue;
            }
            assertThat(facts(other.bind(model))).as("%s%nshares the shape of%n%s", second, first)
                    .isEqualTo(facts(SqlAnalyzer.analyze(second)));
            compared++;
        }
        assertThat(compared).as("pairs compared").isGreaterThan(5_000);
    }

    /**
     * The one-pass scan of plain text, wherever it answers, gives the lexer's shape: the same key and the same
     * text, or no shape where the lexer finds no constant.
     */
    @Test
    void thePlainScanAgreesWithTheLexer() {
        String[] pieces = {"SELECT", "abalance", "FROM", "pgbench_accounts", "WHERE", "aid", "=", "1", "42",
            "007", "t1", "_1", "x1y", "1_", "1.", ".5", "1.5", "1..2", "a.b", "t.1", "1e5", "1E", "e", "-", "--",
            "- -", "+", "*", "/", "<>", ">=", "!=", "::", "::int", ":", "(", ")", ",", ";", " ", "  ", "\t", "\n",
            "\r", "\f", "$1", "'x'", "\"q\"", "[", "]", "\u00e9", "\u65e5", "\ud83d\ude00", "\0", "/* c */", "@>", "||", "%",
            "#", "?", "&"};
        SplittableRandom random = new SplittableRandom(11);
        Statement model = SqlAnalyzer.analyze("SELECT 1");
        int compared = 0;
        for (int n = 0; n < 200_000; n++) {
            String sql = soup(pieces, 16, random);
            StatementShape plain = StatementShape.ofPlain(sql);
            if (plain == null) {
                continue;
            }
            StatementShape lexed = StatementShape.ofLexed(sql);
            if (plain.key().isEmpty()) {
                assertThat(lexed).as(sql).isNull();
                continue;
            }
            assertThat(lexed).as(sql).isNotNull();
            assertThat(plain.key()).as(sql).isEqualTo(lexed.key());
            assertThat(plain.bind(model).text()).as(sql).isEqualTo(lexed.bind(model).text());
            compared++;
        }
        assertThat(compared).as("shapes compared").isGreaterThan(2_000);
        assertThat(StatementShape.ofPlain("SELECT abalance FROM pgbench_accounts WHERE aid = 12345;").key())
                .isEqualTo("SELECT abalance FROM pgbench_accounts WHERE aid = \0N;");
        assertThat(StatementShape.ofPlain("UPDATE pgbench_accounts SET abalance = abalance + -4 WHERE aid = 5;"))
                .isNotNull();
        // the scan reads ISO-8859-1 bytes, where a character beyond Latin-1 would be a '?', a jsonb operator
        assertThat(StatementShape.ofPlain("SELECT a FROM t WHERE b ? 1").key()).isEqualTo("SELECT a FROM t WHERE b ? \0N");
        assertThat(StatementShape.ofPlain("SELECT a FROM t WHERE b \u65e5 1")).isNull();
        assertThat(StatementShape.ofPlain("SELECT a FROM t WHERE b \ud83d\ude00 1")).isNull();
        assertThat(StatementShape.ofPlain("SELECT a FROM t WHERE b \u00e9 1")).isNull();
    }

    /** Up to {@code max - 1} random pieces, each followed by a space or not. */
    private static String soup(String[] pieces, int max, SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int count = random.nextInt(1, max);
        for (int k = 0; k < count; k++) {
            sb.append(pieces[random.nextInt(pieces.length)]).append(random.nextInt(3) == 0 ? "" : " ");
        }
        return sb.toString();
    }

    private static String replaceConstants(String sql, String[] constants, SplittableRandom random) {
        Tokens tk = Lexer.lex(sql);
        StringBuilder sb = new StringBuilder();
        int copied = 0;
        for (int i = 0; i < tk.count; i++) {
            if (tk.type[i] == Tokens.STRING || tk.type[i] == Tokens.NUMBER) {
                sb.append(sql, copied, tk.start[i]).append(constants[random.nextInt(constants.length)]);
                copied = tk.end[i];
            }
        }
        return sb.append(sql, copied, sql.length()).toString();
    }

    /** Every public fact of a statement, as text. */
    static String facts(Statement st) {
        if (st == null) {
            return "null";
        }
        List<Method> methods = new ArrayList<>(Arrays.asList(Statement.class.getDeclaredMethods()));
        methods.sort(Comparator.comparing(Method::getName));
        StringBuilder sb = new StringBuilder();
        for (Method m : methods) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers())
                    || m.getName().equals("toString")) {
                continue;
            }
            try {
                if (m.getParameterCount() == 0) {
                    Object v = m.invoke(st);
                    sb.append(m.getName()).append('=').append(v instanceof Statement s ? facts(s) : v).append('\n');
                } else if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == boolean.class) {
                    sb.append(m.getName()).append('=').append(m.invoke(st, true)).append('/')
                            .append(m.invoke(st, false)).append('\n');
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return sb.toString();
    }
}
