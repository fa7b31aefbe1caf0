package io.jpgpool.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Statements real clients send, captured from a PostgreSQL 15 server log (log_statement = all)
 * while pgbench, psql and pgjdbc 42.7 ran against it, plus node-postgres style queries.
 */
class ClientStatementsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # pgbench -M simple / -M prepared, default tpcb-like script and -S
            BEGIN;                                                                                   | BEGIN  | false | -
            SELECT abalance FROM pgbench_accounts WHERE aid = $1;                                    | SELECT | true  | pgbench_accounts
            SELECT abalance FROM pgbench_accounts WHERE aid = 30161;                                 | SELECT | true  | pgbench_accounts
            UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;                     | UPDATE | false | pgbench_accounts
            UPDATE pgbench_tellers SET tbalance = tbalance + 4673 WHERE tid = 3;                     | UPDATE | false | pgbench_tellers
            INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP); | INSERT | false | pgbench_history
            END;                                                                                     | COMMIT | false | -
            # pgbench -i
            drop table if exists pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers | DROP | false | -
            create table pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with (fillfactor=100) | CREATE | false | -
            truncate table pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers      | TRUNCATE | false | pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers
            insert into pgbench_tellers(tid,bid,tbalance) values (1,1,0)                             | INSERT | false | pgbench_tellers
            copy pgbench_accounts from stdin with (freeze on)                                        | COPY   | false | pgbench_accounts
            vacuum analyze pgbench_branches                                                          | VACUUM | false | -
            alter table pgbench_branches add primary key (bid)                                       | ALTER  | false | -
            select count(*) from pgbench_branches                                                    | SELECT | true  | pgbench_branches
            # pgjdbc
            SET extra_float_digits = 3                                                               | SET    | false | -
            SET application_name = 'PostgreSQL JDBC Driver'                                         | SET    | false | -
            BEGIN READ ONLY                                                                          | BEGIN  | false | -
            SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE                  | SET    | false | -
            select current_schema()                                                                  | SELECT | true  | -
            select current_catalog                                                                   | SELECT | true  | -
            select $1::int[]                                                                         | SELECT | true  | -
            SAVEPOINT "sp1"                                                                          | SAVEPOINT   | false | -
            ROLLBACK TO SAVEPOINT "sp1"                                                              | ROLLBACK_TO | false | -
            RELEASE SAVEPOINT JDBC_SAVEPOINT_0                                                       | RELEASE     | false | -
            SELECT e.typdelim FROM pg_catalog.pg_type t, pg_catalog.pg_type e WHERE t.oid = $1 and t.typelem = e.oid | SELECT | true | pg_catalog.pg_type
            # node-postgres
            SELECT $1::text as message                                                               | SELECT | true  | -
            SELECT NOW()                                                                             | SELECT | true  | -
            INSERT INTO users(name, email) VALUES($1, $2) RETURNING *                                | INSERT | false | users
            SELECT * FROM users WHERE id = $1                                                        | SELECT | true  | users
            """)
    void clientStatement(String sql, StatementKind kind, boolean read, String relations) {
        Statement s = SqlAnalyzer.analyzeStrict(sql);
        assertThat(s.kind()).isEqualTo(kind);
        assertThat(s.malformed()).as("malformed: %s", s).isFalse();
        assertThat(s.multiStatement()).isFalse();
        assertThat(s.syntacticRead()).as("syntacticRead").isEqualTo(read);
        assertThat(s.relations().stream().map(QualifiedName::toString).toList()).isEqualTo(list(relations));
    }

    @Test
    void psqlDescribeTable() {
        Statement s = SqlAnalyzer.analyzeStrict("""
                SELECT c.oid,
                  n.nspname,
                  c.relname
                FROM pg_catalog.pg_class c
                     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default
                  AND pg_catalog.pg_table_is_visible(c.oid)
                ORDER BY 2, 3;""");
        assertThat(s.kind()).isEqualTo(StatementKind.SELECT);
        assertThat(s.syntacticRead()).isTrue();
        assertThat(s.relations()).containsExactly(
                QualifiedName.of("pg_catalog", "pg_class"), QualifiedName.of("pg_catalog", "pg_namespace"));
        assertThat(s.functions()).containsExactly(QualifiedName.of("pg_catalog", "pg_table_is_visible"));
    }

    @Test
    void psqlDescribeColumns() {
        Statement s = SqlAnalyzer.analyzeStrict("""
                SELECT a.attname,
                  pg_catalog.format_type(a.atttypid, a.atttypmod),
                  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
                   FROM pg_catalog.pg_attrdef d
                   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
                  a.attnotnull,
                  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
                   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
                  a.attidentity,
                  a.attgenerated
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = '16384' AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum;""");
        assertThat(s.syntacticRead()).isTrue();
        assertThat(s.relations()).extracting(QualifiedName::toString).containsExactly(
                "pg_catalog.pg_attrdef", "pg_catalog.pg_collation", "pg_catalog.pg_type", "pg_catalog.pg_attribute");
        assertThat(s.functions()).extracting(QualifiedName::toString)
                .containsExactly("pg_catalog.format_type", "pg_catalog.pg_get_expr");
    }

    @Test
    void psqlPublications() {
        Statement s = SqlAnalyzer.analyzeStrict("""
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                     JOIN pg_catalog.pg_publication_namespace pn ON p.oid = pn.pnpubid
                     JOIN pg_catalog.pg_class pc ON pc.relnamespace = pn.pnnspid
                WHERE pc.oid ='16384' and pg_catalog.pg_relation_is_publishable('16384')
                UNION
                SELECT pubname
                     , pg_get_expr(pr.prqual, c.oid)
                     , (CASE WHEN pr.prattrs IS NOT NULL THEN
                         (SELECT string_agg(attname, ', ')
                           FROM pg_catalog.generate_series(0, pg_catalog.array_upper(pr.prattrs::pg_catalog.int2[], 1)) s,
                                pg_catalog.pg_attribute
                          WHERE attrelid = pr.prrelid AND attnum = prattrs[s])
                        ELSE NULL END) FROM pg_catalog.pg_publication p
                     JOIN pg_catalog.pg_publication_rel pr ON p.oid = pr.prpubid
                     JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
                WHERE pr.prrelid = '16384'
                UNION
                SELECT pubname
                     , NULL
                     , NULL
                FROM pg_catalog.pg_publication p
                WHERE p.puballtables AND pg_catalog.pg_relation_is_publishable('16384')
                ORDER BY 1;""");
        assertThat(s.syntacticRead()).isTrue();
        assertThat(s.relations()).extracting(QualifiedName::toString).containsExactly(
                "pg_catalog.pg_publication", "pg_catalog.pg_publication_namespace", "pg_catalog.pg_class",
                "pg_catalog.pg_attribute", "pg_catalog.pg_publication_rel");
        assertThat(s.functions()).extracting(QualifiedName::toString).containsExactly(
                "pg_catalog.pg_relation_is_publishable", "pg_get_expr", "string_agg",
                "pg_catalog.generate_series", "pg_catalog.array_upper");
    }

    @Test
    void pgbenchPartitionCheck() {
        Statement s = SqlAnalyzer.analyzeStrict("select o.n, p.partstrat, pg_catalog.count(i.inhparent) "
                + "from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) "
                + "cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), n.nspname)) as o(n) "
                + "left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) "
                + "left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) "
                + "where c.relname = 'pgbench_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1");
        assertThat(s.syntacticRead()).isTrue();
        assertThat(s.relations()).extracting(QualifiedName::toString).containsExactly("pg_catalog.pg_class",
                "pg_catalog.pg_namespace", "pg_catalog.pg_partitioned_table", "pg_catalog.pg_inherits");
        assertThat(s.functions()).extracting(QualifiedName::toString).containsExactly(
                "pg_catalog.count", "pg_catalog.array_position", "pg_catalog.current_schemas");
    }

    @Test
    void pgjdbcTypeInfoQuery() {
        Statement s = SqlAnalyzer.analyzeStrict("SELECT typinput='pg_catalog.array_in'::regproc as is_array, typtype, "
                + "typname, pg_type.oid   FROM pg_catalog.pg_type   LEFT JOIN (select ns.oid as nspoid, ns.nspname, r.r"
                + "           from pg_namespace as ns           join ( select s.r, (current_schemas(false))[s.r] as "
                + "nspname                    from generate_series(1, array_upper(current_schemas(false), 1)) as s(r) ) "
                + "as r          using ( nspname )        ) as sp     ON sp.nspoid = typnamespace  WHERE pg_type.oid = $1"
                + "  ORDER BY sp.r, pg_type.oid DESC");
        assertThat(s.syntacticRead()).isTrue();
        assertThat(s.relations()).extracting(QualifiedName::toString)
                .containsExactly("pg_catalog.pg_type", "pg_namespace");
        assertThat(s.functions()).extracting(QualifiedName::toString)
                .containsExactly("current_schemas", "generate_series", "array_upper");
    }

    private static List<String> list(String csv) {
        if (csv == null || csv.isBlank() || csv.equals("-")) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::strip).toList();
    }
}
