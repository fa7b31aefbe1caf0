package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Function calls as FuncCall nodes of the raw parse tree (what Pgpool-II matches against
 * write_function_list / read_only_function_list or checks for volatility, SEMANTICS A.5), and the
 * relations a statement references (system catalog, temp and unlogged checks, A.4).
 */
class FunctionsAndRelationsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # sql                                                                    | functions, in order (blank: none)
            SELECT nextval('s')                                                      | nextval
            SELECT setval('s', 1), currval('s'), lastval()                           | setval, currval, lastval
            SELECT random()                                                          | random
            SELECT public.f(1)                                                       | public.f
            SELECT "MyFunc"(), "public"."G"()                                        | MyFunc, public.G
            SELECT NOW(), Lower(x) FROM t                                            | now, lower
            SELECT db.sch.fn(1)                                                      | sch.fn
            SELECT count(*), sum(a), max(b) FROM t                                   | count, sum, max
            SELECT count(DISTINCT a), string_agg(b, ',' ORDER BY b) FROM t           | count, string_agg
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t             | percentile_cont
            SELECT count(*) FILTER (WHERE random() > 0.5) FROM t                     | count, random
            SELECT rank() OVER (PARTITION BY lower(a) ORDER BY b) FROM t             | rank, lower
            SELECT rank() OVER w FROM t WINDOW w AS (ORDER BY f(a))                  | rank, f
            SELECT f(a => 1, b => g(2))                                              | f, g
            SELECT f(VARIADIC ARRAY[g(1)])                                           | f, g
            SELECT f(g(h(1)))                                                        | f, g, h
            SELECT nextval('s'), nextval('s')                                        | nextval
            SELECT 'nextval(1)', $$ setval(1) $$, "random"                           |
            SELECT 1 -- nextval('s')                                                 |
            # type modifiers, casts and typed literals are not calls
            SELECT x::numeric(5,2), x::varchar(10), x::character varying(10) FROM t  |
            SELECT CAST(x AS varchar(10)), CAST(y AS numeric(10, 2)) FROM t          |
            SELECT x::timestamp(3) with time zone, x::interval(2), x::bit varying(3) |
            SELECT x::public.mytype(3), CAST(x AS "MyType"(1)) FROM t                |
            SELECT varchar(10) 'abc', timestamp(3) '2020-01-01', mytype(3) 'x'       |
            SELECT int4(5), text(1)                                                  | int4, text
            # SQL-syntax forms the grammar turns into pg_catalog calls
            SELECT EXTRACT(year FROM now())                                          | pg_catalog.extract, now
            SELECT extract(epoch FROM t.created) FROM t                              | pg_catalog.extract
            SELECT substring(a FROM 1 FOR 2), substring(a, 1, 2) FROM t              | pg_catalog.substring, substring
            SELECT substring(a SIMILAR 'x' ESCAPE '#') FROM t                        | pg_catalog.substring
            SELECT overlay(a PLACING 'x' FROM 2 FOR 1), overlay(a, 'x', 2) FROM t    | pg_catalog.overlay, overlay
            SELECT position('a' IN b) FROM t                                         | pg_catalog.position
            SELECT trim(both 'x' FROM a), trim(leading FROM a), trim(trailing 'y' FROM a), trim(a) FROM t | pg_catalog.btrim, pg_catalog.ltrim, pg_catalog.rtrim
            SELECT normalize(a, NFC), a IS NFKC NORMALIZED, a IS NOT NORMALIZED FROM t | pg_catalog.normalize, pg_catalog.is_normalized
            SELECT a AT TIME ZONE 'UTC' FROM t                                       | pg_catalog.timezone
            SELECT (a, b) OVERLAPS (c, d) FROM t                                     | pg_catalog.overlaps
            SELECT a LIKE b ESCAPE '!', a NOT ILIKE b ESCAPE '!' FROM t              | pg_catalog.like_escape
            SELECT a SIMILAR TO 'x%', a NOT SIMILAR TO 'y' ESCAPE '!' FROM t         | pg_catalog.similar_to_escape
            SELECT a LIKE b, a ILIKE c FROM t                                        |
            SELECT COLLATION FOR (a) FROM t                                          | pg_catalog.pg_collation_for
            SELECT xmlexists('//x' PASSING BY REF d) FROM t                          | pg_catalog.xmlexists
            SELECT TREAT(a AS integer), treat(b AS double precision), treat(c AS mytype) FROM t | pg_catalog.int4, pg_catalog.float8, pg_catalog.mytype
            # special forms that are not FuncCall nodes
            SELECT COALESCE(a, b), NULLIF(a, b), GREATEST(1, 2), LEAST(1, 2) FROM t   |
            SELECT ROW(1, 2), ARRAY[1], ARRAY(SELECT 1), EXISTS (SELECT 1)           |
            SELECT a = ANY(b), a = ALL(c), a = SOME(d), a IN (1, 2) FROM t           |
            SELECT xmlelement(name x, xmlattributes(a AS b)), xmlforest(a), xmlconcat(a, b), xmlparse(document a), xmlpi(name p), xmlroot(a, version '1.0'), xmlserialize(content a AS text) FROM t |
            SELECT CURRENT_TIMESTAMP, current_timestamp(3), localtime(2), CURRENT_DATE, CURRENT_USER, SESSION_USER, current_schema |
            SELECT current_schema(), current_database(), current_setting('x')        | current_schema, current_database, current_setting
            SELECT left(a, 2), right(a, 1) FROM t                                    | left, right
            SELECT a FROM t GROUP BY GROUPING SETS ((a), ROLLUP(b, c), CUBE(d)), GROUPING(a) |
            SELECT a FROM t GROUP BY CUBE(a, b), rollup(c)                           |
            SELECT cube(1, 2)                                                        | cube
            SELECT a FROM t WHERE a OPERATOR(pg_catalog.~) 'x' AND OPERATOR(pg_catalog.-) 1 > 0 |
            # calls in every clause, in subqueries and in FROM
            SELECT * FROM generate_series(1, 3) g                                    | generate_series
            SELECT * FROM generate_series(1, 3) AS g(n), unnest(a) WITH ORDINALITY u(x, i) | generate_series, unnest
            SELECT * FROM ROWS FROM (f(1), g(2)) AS x(a, b)                          | f, g
            SELECT * FROM t, LATERAL f(t.a) AS x                                     | f
            SELECT * FROM f(1) AS x(a int, b varchar(10))                            | f
            SELECT * FROM t TABLESAMPLE bernoulli (f(10)) REPEATABLE (g(1))          | f, g
            SELECT * FROM xmltable('/r' PASSING f(d) COLUMNS a int PATH g('x'))      | f, g
            SELECT * FROM t JOIN u ON lower(t.a) = lower(u.a) WHERE f(t.b) HAVING g(1) > 0 ORDER BY h(2) LIMIT i(3) OFFSET j(4) | lower, f, g, h, i, j
            SELECT * FROM t WHERE a = ANY(ARRAY[f(1), g(2)]) AND b IS NOT DISTINCT FROM h(3) | f, g, h
            SELECT CASE WHEN f(1) THEN g(2) ELSE h(3) END                            | f, g, h
            SELECT * FROM t WHERE a BETWEEN f(1) AND g(2) AND b LIKE h(3)            | f, g, h
            SELECT (SELECT max(a) FROM u) FROM t WHERE EXISTS (SELECT f(1))          | max, f
            SELECT 1 - f(1), 2 * g(2), 'a' <> h('b'), -i(1)                          | f, g, h, i
            SELECT a[f(1)], b[1:g(2)] FROM t                                         | f, g
            WITH x AS (SELECT f(1)) SELECT g(2) FROM x                               | f, g
            INSERT INTO t (a, b) VALUES (nextval('s'), now())                        | nextval, now
            INSERT INTO t(a) SELECT f(1) ON CONFLICT (a) DO UPDATE SET b = g(2) RETURNING h(3) | f, g, h
            UPDATE t SET a = f(1), (b, c) = (g(2), 3) FROM u WHERE h(u.x)            | f, g, h
            DELETE FROM t USING u WHERE f(u.a) RETURNING g(1)                        | f, g
            MERGE INTO t USING s ON t.id = f(s.id) WHEN NOT MATCHED THEN INSERT (id, v) VALUES (g(1), 2) | f, g
            SELECT pg_terminate_backend(123)                                         | pg_terminate_backend
            SELECT DISTINCT ON (a) nextval('s'), b FROM t                            | nextval
            SELECT 1 WHERE a OPERATOR(pg_catalog.=) f(1)                             | f
            SELECT xmlparse(document f(1)), xmlserialize(content g(2) AS text), xmlroot(x, version h(3)) | f, g, h
            SELECT xmlexists('//x' PASSING BY REF f(1)) FROM t                       | pg_catalog.xmlexists, f
            SELECT substring(a SIMILAR f(1) ESCAPE g(2)) FROM t                      | pg_catalog.substring, f, g
            SELECT (a) IN (f(1)), (b) = g(2)                                         | f, g
            # utility statements
            CALL p(1, f(2))                                                          | p, f
            EXECUTE p(1, nextval('s'))                                               | nextval
            CREATE TABLE t (id int DEFAULT nextval('s'), n numeric(10,2) CHECK (n > abs(-1)), v varchar(10), c mytype(3), PRIMARY KEY (id)) | nextval, abs
            CREATE TABLE t (r int, PRIMARY KEY (r)) PARTITION BY RANGE (r)           |
            CREATE INDEX i ON t USING btree (lower(a), b) INCLUDE (c) WHERE d > now() | lower, now
            CREATE INDEX ON t (f(a))                                                 | f
            CREATE FUNCTION f(a int, b varchar(10)) RETURNS numeric(5,2) LANGUAGE sql AS $$ SELECT g() $$ |
            DROP FUNCTION IF EXISTS f(int), g(text)                                  |
            GRANT EXECUTE ON FUNCTION f(int) TO u                                    |
            GRANT SELECT (a, b), UPDATE (c) ON t TO u                                |
            ALTER TABLE t ALTER COLUMN a TYPE bigint USING f(a), ADD CONSTRAINT c EXCLUDE USING gist (r WITH &&) | f
            ALTER TABLE t ALTER COLUMN a SET DEFAULT nextval('s')                    | nextval
            CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW WHEN (f(new.a)) EXECUTE FUNCTION g() | f
            CREATE VIEW v AS SELECT nextval('s') FROM t                              | nextval
            COPY t (a, b) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (a))           |
            """)
    void functions(String sql, String expected) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(names(s.functions())).isEqualTo(list(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # sql                                                                     | relations, in order (blank: none)
            SELECT 1                                                                  |
            SELECT * FROM t                                                           | t
            /* c */ SELECT /* a */ * /* b */ FROM /* c */ t /* d */ -- e                | t
            -- line\\nSELECT *\\n-- FROM x\\nFROM t -- , u                              | t
            SELECT * FROM t /* , u */ WHERE a = '/* JOIN v */'                        | t
            SELECT * FROM T                                                           | t
            SELECT * FROM "My Table"                                                  | My Table
            SELECT * FROM public.t, "S"."T"                                           | public.t, S.T
            SELECT * FROM db.public.t                                                 | public.t
            SELECT * FROM pg_catalog.pg_class c                                       | pg_catalog.pg_class
            SELECT * FROM pg_class                                                    | pg_class
            SELECT * FROM a, b AS bb, c cc                                            | a, b, c
            SELECT * FROM ONLY a, b *                                                 | a, b
            SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c USING (id) CROSS JOIN d NATURAL JOIN e | a, b, c, d, e
            SELECT * FROM a JOIN (b JOIN c ON b.id = c.id) ON a.id = b.id             | a, b, c
            SELECT * FROM a JOIN b USING (id) AS j, c                                 | a, b, c
            SELECT * FROM a x (p, q), b                                               | a, b
            SELECT * FROM (SELECT * FROM a) s, (b JOIN c ON true)                     | a, b, c
            SELECT * FROM ((SELECT 1 FROM a) UNION (SELECT 2 FROM b)) s               | a, b
            SELECT * FROM a WHERE x IN (SELECT y FROM b) AND EXISTS (SELECT 1 FROM c) | a, b, c
            SELECT (SELECT max(x) FROM b) FROM a                                      | b, a
            SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.x = a.x) s              | a, b
            SELECT * FROM t TABLESAMPLE system (10)                                   | t
            SELECT * FROM t1 UNION SELECT * FROM t2 EXCEPT TABLE t3                   | t1, t2, t3
            TABLE t                                                                   | t
            TABLE ONLY s.t                                                            | s.t
            SELECT a.b FROM a                                                         | a
            SELECT x IS DISTINCT FROM y FROM t                                        | t
            SELECT EXTRACT(year FROM d), substring(s FROM 2), trim(both FROM s) FROM t | t
            SELECT * FROM generate_series(1, 3), f(1) AS x                            |
            SELECT * FROM t FOR UPDATE OF t                                           | t
            SELECT * INTO newt FROM t                                                 | newt, t
            WITH x AS (SELECT * FROM a) SELECT * FROM x, b                            | a, b
            WITH x(c) AS (SELECT * FROM a), y AS (SELECT * FROM x) SELECT * FROM y    | a
            WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT * FROM r) SELECT * FROM r  |
            WITH x AS (SELECT 1) SELECT * FROM public.x                               | public.x
            INSERT INTO t VALUES (1)                                                  | t
            INSERT INTO s.t AS x (a, b) SELECT * FROM u                               | s.t, u
            INSERT INTO t (SELECT * FROM u)                                           | t, u
            INSERT INTO t DEFAULT VALUES                                              | t
            INSERT INTO t SELECT * FROM u ON CONFLICT (a) DO UPDATE SET b = 1, c = 2  | t, u
            UPDATE t SET a = 1                                                        | t
            UPDATE ONLY t AS x SET a = 1 FROM u, v WHERE x.id = u.id                  | t, u, v
            UPDATE t x SET a = (SELECT b FROM u)                                      | t, u
            DELETE FROM t                                                             | t
            DELETE FROM ONLY t AS x USING u, v WHERE x.id = u.id                      | t, u, v
            DELETE FROM t WHERE id IN (SELECT id FROM u)                              | t, u
            MERGE INTO t AS x USING s ON x.id = s.id WHEN MATCHED THEN DELETE         | t, s
            MERGE INTO t USING (SELECT * FROM s) AS q ON t.id = q.id WHEN NOT MATCHED THEN INSERT VALUES (q.id) | t, s
            WITH d AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM d       | a, b
            COPY t FROM STDIN                                                         | t
            COPY s.t (a, b) TO STDOUT                                                 | s.t
            COPY (SELECT * FROM t JOIN u USING (id)) TO STDOUT                        | t, u
            LOCK t                                                                    | t
            LOCK TABLE ONLY s.t, u * IN SHARE MODE                                    | s.t, u
            TRUNCATE TABLE a, ONLY b, c * RESTART IDENTITY CASCADE                    | a, b, c
            EXPLAIN SELECT * FROM t                                                   | t
            PREPARE p AS SELECT * FROM t WHERE a = $1                                 | t
            DECLARE c CURSOR FOR SELECT * FROM t                                      | t
            CREATE TABLE n AS SELECT * FROM t                                         | t
            CREATE VIEW v AS SELECT * FROM t JOIN u ON true                           | t, u
            CREATE RULE r AS ON INSERT TO t DO INSTEAD (INSERT INTO a VALUES (new.x); DELETE FROM b WHERE y = 1) | a, b
            """)
    void relations(String sql, String expected) {
        Statement s = SqlAnalyzer.analyzeStrict(sql.replace("\\n", "\n"));
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(names(s.relations())).isEqualTo(list(expected));
    }

    @Test
    void namesAreNormalisedLikeThePostgresScanner() {
        Statement s = SqlAnalyzer.analyzeStrict("SELECT PUBLIC.\"Quoted\"\"Name\"(), U&\"d\\0061t\\+000061\"(), U&\"x!0079\" UESCAPE '!' ()");
        assertThat(s.functions()).containsExactly(
                QualifiedName.of("public", "Quoted\"Name"), QualifiedName.of("data"), QualifiedName.of("xy"));

        String longName = "a".repeat(70);
        assertThat(SqlAnalyzer.analyzeStrict("SELECT * FROM " + longName).relations())
                .containsExactly(QualifiedName.of("a".repeat(63)));
        // truncation never splits a multi-byte character: 31 two-byte letters are 62 bytes
        String greek = "α".repeat(40);
        assertThat(SqlAnalyzer.analyzeStrict("SELECT * FROM " + greek).relations())
                .containsExactly(QualifiedName.of("α".repeat(31)));
        assertThat(QualifiedName.of("s", "f")).hasToString("s.f");
        assertThat(QualifiedName.of("f")).hasToString("f");
    }

    @Test
    void callAfterConcatenation() {
        // '|' is the table delimiter above
        assertThat(SqlAnalyzer.analyzeStrict("SELECT 'a' || lower(b) || upper(c) FROM t").functions())
                .containsExactly(QualifiedName.of("lower"), QualifiedName.of("upper"));
    }

    @Test
    void onlyTheFirstStatementIsAnalysed() {
        Statement s = SqlAnalyzer.analyzeStrict("SELECT f() FROM a; SELECT g() FROM b");
        assertThat(s.functions()).containsExactly(QualifiedName.of("f"));
        assertThat(s.relations()).containsExactly(QualifiedName.of("a"));
    }

    private static List<String> names(List<QualifiedName> names) {
        return names.stream().map(QualifiedName::toString).toList();
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::strip).toList();
    }
}
