package io.jpgpool.core.cache;

import io.jpgpool.sql.CacheSyntax;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether the answer to a statement may be cached (pgpool's pool_is_allow_to_cache, SEMANTICS F.3), and which
 * tables it then depends on. Pure: the statement, its text, the catalog facts and the session's temporary tables
 * decide.
 *
 * <p>Cacheable is a top-level SELECT (also after WITH) whose text looks like one to pgpool
 * ({@link #likelySelect}), in one statement, not starting with {@code /*NO QUERY CACHE*}{@code /}, and none of:
 * a table of cache_unsafe_memqcache_table_list; SELECT INTO or FOR UPDATE/SHARE; a data-modifying WITH; a
 * function that is not IMMUTABLE or returns timestamptz/timetz; CURRENT_TIMESTAMP and the other SQL value
 * functions; a cast to timestamptz/timetz; TABLESAMPLE; a temporary table (of this session or any); a system
 * catalog; a table with row-level security; a view, materialized view, foreign table or unlogged table unless
 * cache_safe_memqcache_table_list names it; a sequence. What a view or partitioned table reads is checked the
 * same way (a listed view over a catalog or a temporary table is still refused). A statement without any table
 * ({@code SELECT 1}, {@code SELECT abs(-1)}) is cacheable, as in pgpool; no write invalidates it.
 *
 * <p>jpgpool is stricter than pgpool in three places, each to avoid a stale or foreign answer: 'now'-like date
 * constants, sequences and foreign tables are not cached, and temporary tables are checked whatever
 * check_temp_table says.
 */
public final class Cacheability {
    private static final String NO_QUERY_CACHE = "/*NO QUERY CACHE*/";

    /**
     * The outcome.
     *
     * @param tables the relation names (without schema) whose writes must drop the cached answer
     * @param reason why not, for logs and tests; null when cacheable
     */
    public record Verdict(boolean cacheable, Set<String> tables, String reason) {
        static Verdict no(String reason) {
            return new Verdict(false, Set.of(), reason);
        }
    }

    /** Catalog facts a statement needs before {@link #decide} and {@link Effects#of} can answer exactly. */
    public record Missing(List<QualifiedName> functions, List<QualifiedName> relations) {
        public static final Missing NONE = new Missing(List.of(), List.of());

        public boolean isEmpty() {
            return functions.isEmpty() && relations.isEmpty();
        }
    }

    private Cacheability() {
    }

    /** The first checks, which need no catalog: null when they pass, else why not. */
    static String syntaxReason(Statement st, String text) {
        if (st.multiStatement()) {
            return "multi-statement query";
        }
        if (st.malformed() || !st.kind().selectFamily() || !likelySelect(text)) {
            return "not a SELECT";
        }
        if (text.regionMatches(true, 0, NO_QUERY_CACHE, 0, NO_QUERY_CACHE.length())) {
            return "/*NO QUERY CACHE*/";
        }
        if (st.selectInto() || st.lockingClause()) {
            return "SELECT INTO or a locking clause";
        }
        if (st.modifyingCte()) {
            return "data-modifying WITH";
        }
        if (!st.syntacticRead()) {
            return "not a read";
        }
        CacheSyntax syn = CacheSyntax.of(text);
        if (syn.sqlValueFunction()) {
            return "SQL value function (CURRENT_TIMESTAMP, CURRENT_USER...)";
        }
        if (syn.timeZoneType()) {
            return "cast to timestamptz or timetz";
        }
        if (syn.nowLiteral()) {
            return "date/time constant read as the current time";
        }
        if (syn.tableSample()) {
            return "TABLESAMPLE";
        }
        for (QualifiedName r : st.relations()) {
            if (systemCatalogName(r)) {
                return "system catalog " + r;
            }
            if (r.schema() != null && r.schema().startsWith("pg_temp")) {
                return "temporary table " + r;
            }
        }
        return null;
    }

    /** The facts {@link #decide} still lacks for a statement that passed the syntax checks. */
    static void missing(Statement st, CacheCatalog facts, List<QualifiedName> functions,
            List<QualifiedName> relations) {
        for (QualifiedName f : st.functions()) {
            if (BuiltinFunctions.get(f) == null && facts.function(f) == null) {
                functions.add(f);
            }
        }
        for (QualifiedName r : st.relations()) {
            if (facts.relation(r) == null) {
                relations.add(r);
            }
        }
    }

    /**
     * Whether {@code st} (with its text exactly as the client sent it) may be cached.
     *
     * @param sessionTempTable the session's own temporary tables, by unqualified name
     */
    public static Verdict decide(Statement st, String text, CacheCatalog facts, Predicate<String> sessionTempTable,
            QueryCacheSettings settings) {
        return decideChecked(st, syntaxReason(st, text), facts, sessionTempTable, settings);
    }

    /** {@link #decide} with the outcome of {@link #syntaxReason} known already. */
    static Verdict decideChecked(Statement st, String syntaxReason, CacheCatalog facts, Predicate<String> sessionTempTable,
            QueryCacheSettings settings) {
        if (syntaxReason != null) {
            return Verdict.no(syntaxReason);
        }
        for (QualifiedName r : st.relations()) {
            if (QueryCacheSettings.matchesAny(settings.unsafeList(), r.toString())) {
                return Verdict.no("cache_unsafe_memqcache_table_list: " + r);
            }
        }
        for (QualifiedName f : st.functions()) {
            FunctionFacts ff = function(f, facts);
            if (ff == null) {
                return Verdict.no("not known yet: function " + f);
            }
            if (!ff.cacheable()) {
                return Verdict.no("function " + f + (ff.exists() ? " is not immutable or returns a time zone type"
                        : " does not exist"));
            }
        }
        Set<String> tables = new LinkedHashSet<>();
        for (QualifiedName r : st.relations()) {
            if (r.schema() == null && sessionTempTable.test(r.name())) {
                return Verdict.no("temporary table " + r);
            }
            RelationFacts rf = facts.relation(r);
            if (rf == null) {
                return Verdict.no("not known yet: relation " + r);
            }
            if (!rf.exists()) {
                return Verdict.no("relation " + r + " does not exist");
            }
            boolean listed = QueryCacheSettings.matchesAny(settings.safeList(), r.toString());
            for (RelationFacts.Relation m : rf.matches()) {
                String no = refused(m, listed);
                if (no != null) {
                    return Verdict.no(no);
                }
            }
            for (RelationFacts.Relation m : rf.readClosure()) {
                String no = refused(m, listedByName(m, settings));
                if (no != null) {
                    return Verdict.no(no + " (read through " + r + ")");
                }
            }
            tables.addAll(rf.readNames());
        }
        return new Verdict(true, tables, null);
    }

    private static String refused(RelationFacts.Relation m, boolean listed) {
        if (m.temporary()) {
            return "temporary table " + m;
        }
        if (m.systemCatalog()) {
            return "system catalog " + m;
        }
        if (m.rowSecurity()) {
            return "row-level security on " + m;
        }
        if (m.sequence()) {
            return "sequence " + m;
        }
        if (m.needsSafeList() && !listed) {
            return "view, unlogged or foreign table " + m + " not in cache_safe_memqcache_table_list";
        }
        return null;
    }

    private static boolean listedByName(RelationFacts.Relation m, QueryCacheSettings settings) {
        return QueryCacheSettings.matchesAny(settings.safeList(), m.name())
                || QueryCacheSettings.matchesAny(settings.safeList(), m.schema() + "." + m.name());
    }

    static FunctionFacts function(QualifiedName f, CacheCatalog facts) {
        FunctionFacts builtin = BuiltinFunctions.get(f);
        return builtin != null ? builtin : facts.function(f);
    }

    /** As routing has it: pg_catalog and information_schema, and unqualified names starting with pg_. */
    static boolean systemCatalogName(QualifiedName r) {
        if (r.schema() != null) {
            return r.schema().equals("pg_catalog") || r.schema().equals("information_schema");
        }
        return r.name().startsWith("pg_");
    }

    /**
     * pgpool's pool_is_likely_select: after white space and leading comments, the text has {@code SELECT} or
     * {@code WITH} somewhere (pgpool scans on past any other word). A simple-protocol lookup happens only then.
     */
    public static boolean likelySelect(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (text.startsWith("--", i)) {
                int end = text.indexOf('\n', i + 2);
                i = end < 0 ? n : end + 1;
            } else if (text.regionMatches(true, i, "SELECT", 0, 6) || text.regionMatches(true, i, "WITH", 0, 4)) {
                return true;
            } else {
                i++;
            }
        }
        return false;
    }
}
