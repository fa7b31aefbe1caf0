package io.jpgpool.core.cache;

import io.jpgpool.sql.CacheSyntax;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a statement that succeeded does to cached results (SEMANTICS F.4), applied when its transaction commits.
 *
 * <p>As pgpool: INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY FROM, DROP TABLE, SELECT INTO, a data-modifying
 * WITH and EXPLAIN ANALYZE of those drop the results of the tables they name; ALTER TABLE, ALTER DATABASE, ALTER
 * ROLE (other than its password, connection limit or validity) and REVOKE drop everything; DROP DATABASE drops that
 * database's results.
 *
 * <p>Beyond pgpool, so that no write jpgpool passes on leaves a stale answer: every table a statement names
 * counts (an INSERT ... SELECT also drops the results of its source); a write also drops what reaches the table
 * through a view, a partition or inheritance, or a cascading foreign key; a write to a table with a user trigger
 * or rule, a call of a VOLATILE function that is not pg_catalog's, DO, CALL, COMMIT PREPARED, TRUNCATE ...
 * CASCADE, an EXECUTE of an unknown prepared statement and DDL other than ALTER TABLE drop the whole database's
 * results, since what they write cannot be read from their text. ALTER SYSTEM, ALTER GROUP, DROP ROLE and DROP OWNED drop everything.
 *
 * @param tables           relation names (without schema) whose results go
 * @param database         all results of the session's database go
 * @param all              every result goes
 * @param droppedDatabase  DROP DATABASE: that database's results go (null otherwise)
 * @param catalogChanged   the database's catalog facts are stale (DDL): look them up again
 */
public record Effects(Set<String> tables, boolean database, boolean all, String droppedDatabase,
                      boolean catalogChanged) {
    public static final Effects NONE = new Effects(Set.of(), false, false, null, false);
    private static final Effects DATABASE = new Effects(Set.of(), true, false, null, false);
    private static final Effects DDL = new Effects(Set.of(), true, false, null, true);
    /** A statement jpgpool does not know (a Bind to a statement it never saw parsed): the whole database. */
    static final Effects UNKNOWN = DDL;
    private static final Effects ALL = new Effects(Set.of(), false, true, null, true);

    private static final Set<String> HARMLESS_ROLE_OPTIONS = Set.of("with", "password", "encrypted", "connection",
            "limit", "valid", "until", "null");

    public Effects {
        tables = Set.copyOf(tables);
    }

    public boolean isNone() {
        return tables.isEmpty() && !database && !all && droppedDatabase == null && !catalogChanged;
    }

    /** Anything a later SELECT of the same transaction could see differently: a write. */
    public boolean writes() {
        return !tables.isEmpty() || database || all || droppedDatabase != null;
    }

    public Effects plus(Effects o) {
        if (o.isNone()) {
            return this;
        }
        if (isNone()) {
            return o;
        }
        Set<String> t = new LinkedHashSet<>(tables);
        t.addAll(o.tables);
        return new Effects(t, database || o.database, all || o.all,
                droppedDatabase != null ? droppedDatabase : o.droppedDatabase, catalogChanged || o.catalogChanged);
    }

    /**
     * The effects of {@code sql} (analysed as {@code st}) once it succeeded; every statement of a
     * multi-statement string counts.
     *
     * @param sqlPrepared the statement inside an SQL-level {@code PREPARE name}, or null when unknown
     */
    public static Effects of(String sql, Statement st, CacheCatalog facts, Function<String, Statement> sqlPrepared) {
        if (st.multiStatement()) {
            Effects e = NONE;
            for (String one : SqlAnalyzer.splitStatements(sql)) {
                e = e.plus(single(SqlAnalyzer.analyze(one), facts, sqlPrepared));
            }
            return e;
        }
        return single(st, facts, sqlPrepared);
    }

    private static Effects single(Statement st, CacheCatalog facts, Function<String, Statement> sqlPrepared) {
        Effects e = statement(st, facts, sqlPrepared);
        return callsUserVolatileFunction(st, facts) ? e.plus(DATABASE) : e;
    }

    private static Effects statement(Statement st, CacheCatalog facts, Function<String, Statement> sqlPrepared) {
        if (st.malformed()) {
            return DDL; // it succeeded although jpgpool could not read it
        }
        return switch (st.kind()) {
            case SELECT, VALUES, TABLE -> st.modifyingCte() || st.selectInto() ? written(st.relations(), facts) : NONE;
            case INSERT, UPDATE, DELETE, MERGE -> written(st.relations(), facts);
            // TRUNCATE ... CASCADE also empties every table with a foreign key to these, whatever its actions
            case TRUNCATE -> words(st).contains("cascade") ? DATABASE : written(st.relations(), facts);
            case COPY -> st.copyFrom() ? written(st.relations(), facts)
                    : st.copyQuery() ? single(st.inner(), facts, sqlPrepared) : NONE;
            case EXPLAIN -> st.explainAnalyze() && st.inner() != null ? single(st.inner(), facts, sqlPrepared) : NONE;
            case EXECUTE -> {
                Statement inner = st.preparedName() == null ? null : sqlPrepared.apply(st.preparedName());
                yield inner == null ? DDL : single(inner, facts, sqlPrepared);
            }
            case REFRESH -> refreshed(words(st));
            case DROP -> dropped(st, words(st), facts);
            case ALTER -> altered(words(st));
            case CREATE -> created(words(st));
            case REVOKE -> ALL;
            case DO, CALL, COMMIT_PREPARED -> DDL;
            case OTHER -> {
                String first = word(words(st), 0);
                yield first.equals("security") || first.equals("pgpool") ? NONE : DDL;
            }
            default -> NONE;
        };
    }

    /** The relations whose facts {@link #of} reads for {@code st}: those it writes. */
    static List<QualifiedName> writtenRelations(Statement st, Function<String, Statement> sqlPrepared) {
        return switch (st.kind()) {
            case SELECT, VALUES, TABLE -> st.modifyingCte() || st.selectInto() ? st.relations() : List.of();
            case INSERT, UPDATE, DELETE, MERGE, TRUNCATE -> st.relations();
            case COPY -> st.copyFrom() ? st.relations()
                    : st.copyQuery() ? writtenRelations(st.inner(), sqlPrepared) : List.of();
            case EXPLAIN -> st.explainAnalyze() && st.inner() != null ? writtenRelations(st.inner(), sqlPrepared)
                    : List.of();
            case EXECUTE -> {
                Statement inner = st.preparedName() == null ? null : sqlPrepared.apply(st.preparedName());
                yield inner == null ? List.of() : writtenRelations(inner, sqlPrepared);
            }
            case DROP -> st.droppedTables();
            default -> List.of();
        };
    }

    /** The functions whose facts {@link #of} reads: those that are not pg_catalog's. */
    static List<QualifiedName> userFunctions(Statement st) {
        List<QualifiedName> out = new java.util.ArrayList<>();
        for (QualifiedName f : st.functions()) {
            if (BuiltinFunctions.get(f) == null) {
                out.add(f);
            }
        }
        return out;
    }

    /** Names written by a statement, with what writing them reaches. */
    private static Effects written(List<QualifiedName> relations, CacheCatalog facts) {
        Set<String> names = new LinkedHashSet<>();
        for (QualifiedName r : relations) {
            RelationFacts rf = facts.relation(r);
            if (rf == null || rf.writeRunsUserCode()) {
                return DATABASE;
            }
            names.add(r.name());
            names.addAll(rf.writeNames());
        }
        return names.isEmpty() ? NONE : new Effects(names, false, false, null, false);
    }

    private static Effects dropped(Statement st, List<String> words, CacheCatalog facts) {
        String what = word(words, 1);
        switch (what) {
            case "database" -> {
                int i = word(words, 2).equals("if") && word(words, 3).equals("exists") ? 4 : 2;
                return i < words.size() ? new Effects(Set.of(), false, false, CacheSyntax.identifier(words.get(i)),
                        false) : ALL;
            }
            case "role", "user", "group", "owned" -> {
                return ALL;
            }
            case "index" -> {
                return new Effects(Set.of(), false, false, null, true);
            }
            case "table" -> {
                Effects e = written(st.droppedTables(), facts);
                return new Effects(e.tables, e.database, false, null, true);
            }
            default -> {
                return DDL;
            }
        }
    }

    private static Effects altered(List<String> words) {
        return switch (word(words, 1)) {
            case "table", "view", "materialized", "foreign", "database", "system", "group" -> ALL;
            case "role", "user" -> roleOptionsOnly(words) ? NONE : ALL;
            case "index", "sequence" -> new Effects(Set.of(), false, false, null, true);
            default -> DDL;
        };
    }

    /** ALTER ROLE name [WITH] PASSWORD / CONNECTION LIMIT / VALID UNTIL only: no privilege changes (pgpool). */
    private static boolean roleOptionsOnly(List<String> words) {
        if (words.size() < 4) {
            return false;
        }
        for (int i = 3; i < words.size(); i++) {
            String w = words.get(i);
            boolean word = !w.isEmpty() && (Character.isLetter(w.charAt(0)) || w.charAt(0) == '_');
            if (word && !HARMLESS_ROLE_OPTIONS.contains(w)) {
                return false;
            }
        }
        return true;
    }

    private static Effects created(List<String> words) {
        String what = word(words, 1);
        if (what.equals("local") || what.equals("global")) {
            what = word(words, 2);
        }
        return switch (what) {
            // a temporary object only shadows names in its session, which checks its own temporary tables
            case "temp", "temporary", "index", "unique", "role", "user", "group", "database", "tablespace", "schema",
                    "sequence" -> NONE;
            default -> DDL;
        };
    }

    /** REFRESH MATERIALIZED VIEW [CONCURRENTLY] [schema.]name: that view's results. */
    private static Effects refreshed(List<String> words) {
        int i = word(words, 3).equals("concurrently") ? 4 : 3;
        String name = null;
        while (i < words.size()) {
            name = CacheSyntax.identifier(words.get(i));
            if (i + 1 < words.size() && words.get(i + 1).equals(".")) {
                i += 2;
            } else {
                break;
            }
        }
        return name == null ? DATABASE : new Effects(Set.of(name), false, false, null, false);
    }

    /** A function that may write (VOLATILE, or not known) and is not pg_catalog's. */
    private static boolean callsUserVolatileFunction(Statement st, CacheCatalog facts) {
        for (QualifiedName f : st.functions()) {
            if (BuiltinFunctions.get(f) != null) {
                continue;
            }
            FunctionFacts ff = facts.function(f);
            if (ff == null || ff.volatileFunction()) {
                return true;
            }
        }
        return false;
    }

    /** The leading tokens, read only for the utility statements whose words decide. */
    private static List<String> words(Statement st) {
        return CacheSyntax.of(st.text()).leadingTokens();
    }

    private static String word(List<String> words, int i) {
        return i < words.size() ? words.get(i) : "";
    }
}
