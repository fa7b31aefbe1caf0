package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The analyzer sits on the proxy's hot path for any client text: whatever arrives, it must return
 * (never throw) and stay linear. Seeds are fixed, so a failure reproduces. The timeouts are hang
 * guards, not performance assertions.
 */
class FuzzTest {
    private static final List<String> CORPUS = List.of(
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
            "INSERT INTO t (a, b) SELECT x, nextval('s') FROM u ON CONFLICT (a) DO UPDATE SET b = excluded.b",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SEARCH DEPTH FIRST BY n SET o SELECT * FROM r",
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d FOR UPDATE",
            "SELECT substring(a FROM 1 FOR 2), trim(both 'x' FROM b), extract(year FROM now()) FROM t",
            "SELECT * FROM a JOIN (b JOIN c USING (id)) ON a.id = b.id, LATERAL f(a.x) AS g(y int)",
            "SELECT count(*) FILTER (WHERE x > 0) OVER (PARTITION BY y ORDER BY z) FROM t GROUP BY CUBE(a, b)",
            "BEGIN ISOLATION LEVEL SERIALIZABLE, READ WRITE",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
            "SET search_path TO \"$user\", public",
            "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE NOWAIT",
            "PREPARE p (int) AS SELECT * FROM t WHERE a = $1",
            "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM t",
            "COPY (SELECT * FROM t) TO STDOUT WITH (FORMAT csv)",
            "CREATE TEMP TABLE tt AS SELECT * FROM t",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
            "SELECT E'\\'', $a$ $b$ $a$, U&\"x\" UESCAPE '!', B'01', /* c /* n */ */ 1 -- x\n",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v",
            "SELECT pg_terminate_backend(1234)");

    private static final String SPECIALS = "()';\"$*/-[]";
    private static final String[] PIECES = {
        "SELECT", "FROM", "WHERE", "WITH", "AS", "(", ")", "[", "]", ",", ";", ".", "::", "'", "\"", "$$", "$a$",
        "$1", "E'", "U&'", "U&\"", "/*", "*/", "--", "\n", " ", "FOR", "UPDATE", "SHARE", "INTO", "INSERT",
        "DELETE", "JOIN", "ON", "USING", "EXPLAIN", "PREPARE", "COPY", "TO", "STDOUT", "BEGIN", "ATOMIC", "END",
        "CASE", "SET", "TRANSACTION", "LOCK", "IN", "MODE", "t", "f", "x", "1", "1.5e3", "=", "+", "-", "*",
        "\\", "UESCAPE", "TABLE", "VALUES", "UNION", "EXTRACT", "SUBSTRING", "TREAT", "CAST", "OPERATOR",
        "GROUPING", "SETS", "CUBE", "ROWS", "LATERAL", "ONLY", "AT", "TIME", "ZONE", "COLLATION", "é", "\u0000"};

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomTokenSoupNeverThrows() {
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 10_000; n++) {
            StringBuilder sb = new StringBuilder();
            int pieces = random.nextInt(1, 40);
            for (int k = 0; k < pieces; k++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(3) == 0) {
                    sb.append(' ');
                }
            }
            check(sb.toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void randomCharactersNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "abcSELCTFROMWHR()[]{},;.:'\"$\\/*-+=<>!@#%^&|`?~ \n\t01é_";
        for (int n = 0; n < 10_000; n++) {
            char[] chars = new char[random.nextInt(0, 60)];
            for (int k = 0; k < chars.length; k++) {
                chars[k] = random.nextInt(20) == 0 ? (char) random.nextInt(0x10000) : alphabet.charAt(random.nextInt(alphabet.length()));
            }
            check(new String(chars));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutationsOfValidStatementsNeverThrow() {
        SplittableRandom random = new SplittableRandom(1234);
        for (int n = 0; n < 10_000; n++) {
            StringBuilder sb = new StringBuilder(CORPUS.get(random.nextInt(CORPUS.size())));
            int edits = random.nextInt(1, 6);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int at = random.nextInt(sb.length());
                switch (random.nextInt(4)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, PIECES[random.nextInt(PIECES.length)]);
                    case 2 -> sb.setCharAt(at, SPECIALS.charAt(random.nextInt(SPECIALS.length())));
                    default -> sb.insert(at, sb.substring(at, Math.min(sb.length(), at + random.nextInt(1, 20))));
                }
            }
            check(sb.toString());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pathologicalInputsStayLinear() {
        int n = 100_000; // a quadratic step would blow the guard
        List<String> inputs = List.of(
                "(".repeat(n),
                ")".repeat(n),
                "SELECT " + "(".repeat(n) + "1" + ")".repeat(n),
                "SELECT " + "f(".repeat(n) + "1" + ")".repeat(n),
                "SELECT " + "substring(".repeat(n / 2) + "x" + " FROM 1)".repeat(n / 2),
                "SELECT " + "(SELECT ".repeat(n / 8) + "1" + ")".repeat(n / 8),
                "WITH " + "a AS (SELECT 1), ".repeat(n / 20) + "b AS (SELECT 1) SELECT 1",
                "SELECT pg_terminate_backend(1, " + "pg_terminate_backend(1, ".repeat(n / 24) + "1" + ")".repeat(n / 24 + 1),
                "EXPLAIN ".repeat(n / 8) + "SELECT 1",
                "PREPARE p AS ".repeat(n / 14) + "SELECT 1",
                "COPY (".repeat(n / 6) + "SELECT 1" + ") TO STDOUT".repeat(n / 6),
                "/*".repeat(n) + "*/".repeat(n),
                "/*".repeat(n),
                "$a$" + "$a".repeat(n) + " $b$ ".repeat(n / 5),
                "$" + "x".repeat(n) + "$ " + "$x".repeat(n),
                "'" + "''".repeat(n) + "'",
                "E'" + "\\'".repeat(n),
                ";".repeat(n),
                "SELECT 1;".repeat(n / 9),
                "SELECT a" + ".b".repeat(n / 2),
                "SELECT * FROM t" + ", t".repeat(n / 3),
                "SELECT 1 " + "UNION SELECT 1 ".repeat(n / 15),
                "CREATE FUNCTION f() BEGIN ATOMIC " + "CASE ".repeat(n / 5),
                "x".repeat(n),
                "-".repeat(n),
                "+".repeat(n) + "--",
                "U&\"" + "\\0041".repeat(n / 5) + "\"");
        for (String sql : inputs) {
            check(sql);
        }
    }

    private static void check(String sql) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s).isNotNull();
        assertThat(s.kind()).isNotNull();
        if (s.empty()) {
            assertThat(s.kind()).isEqualTo(StatementKind.EMPTY);
        }
        s.syntacticRead();
        s.startsWithReadChar(true);
        s.beginNeedsRewriteForStandby();
        s.setsTransactionReadWrite();
        s.setsSerializable();
        s.setsReadOnly();
        List<String> statements = SqlAnalyzer.splitStatements(sql);
        assertThat(s.multiStatement()).isEqualTo(statements.size() > 1);
        Tokens tk = Lexer.lex(sql);
        for (int i = 0; i < tk.count; i++) {
            if (tk.type[i] == Tokens.STRING) {
                Literals.string(tk, i);
            } else if (tk.type[i] == Tokens.IDENT || tk.type[i] == Tokens.QIDENT) {
                Literals.identifier(tk, i);
            }
        }
    }
}
