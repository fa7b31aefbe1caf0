package io.jpgpool.sql;

/**
 * The PostgreSQL keywords the analyzer needs to recognise, with their grammar category.
 *
 * <p>All reserved, column-name and type/function-name keywords of the PostgreSQL 14 grammar that
 * Pgpool-II 4.3 embeds are listed, because the category decides whether {@code word(} can be a
 * plain function call. Unreserved keywords are listed only where the analyzer's logic names them;
 * any other word behaves exactly like an unreserved keyword would: as an identifier.
 */
enum Keyword {
    // reserved
    ALL(Category.RESERVED), ANALYSE(Category.RESERVED), ANALYZE(Category.RESERVED), AND(Category.RESERVED),
    ANY(Category.RESERVED), ARRAY(Category.RESERVED), AS(Category.RESERVED), ASC(Category.RESERVED),
    ASYMMETRIC(Category.RESERVED), BOTH(Category.RESERVED), CASE(Category.RESERVED), CAST(Category.RESERVED),
    CHECK(Category.RESERVED), COLLATE(Category.RESERVED), COLUMN(Category.RESERVED),
    CONSTRAINT(Category.RESERVED), CREATE(Category.RESERVED), CURRENT_CATALOG(Category.RESERVED),
    CURRENT_DATE(Category.RESERVED), CURRENT_ROLE(Category.RESERVED), CURRENT_TIME(Category.RESERVED),
    CURRENT_TIMESTAMP(Category.RESERVED), CURRENT_USER(Category.RESERVED), DEFAULT(Category.RESERVED),
    DEFERRABLE(Category.RESERVED), DESC(Category.RESERVED), DISTINCT(Category.RESERVED), DO(Category.RESERVED),
    ELSE(Category.RESERVED), END(Category.RESERVED), EXCEPT(Category.RESERVED), FALSE(Category.RESERVED),
    FETCH(Category.RESERVED), FOR(Category.RESERVED), FOREIGN(Category.RESERVED), FROM(Category.RESERVED),
    GRANT(Category.RESERVED), GROUP(Category.RESERVED), HAVING(Category.RESERVED), IN(Category.RESERVED),
    INITIALLY(Category.RESERVED), INTERSECT(Category.RESERVED), INTO(Category.RESERVED),
    LATERAL(Category.RESERVED), LEADING(Category.RESERVED), LIMIT(Category.RESERVED),
    LOCALTIME(Category.RESERVED), LOCALTIMESTAMP(Category.RESERVED), NOT(Category.RESERVED),
    NULL(Category.RESERVED), OFFSET(Category.RESERVED), ON(Category.RESERVED), ONLY(Category.RESERVED),
    OR(Category.RESERVED), ORDER(Category.RESERVED), PLACING(Category.RESERVED), PRIMARY(Category.RESERVED),
    REFERENCES(Category.RESERVED), RETURNING(Category.RESERVED), SELECT(Category.RESERVED),
    SESSION_USER(Category.RESERVED), SOME(Category.RESERVED), SYMMETRIC(Category.RESERVED),
    TABLE(Category.RESERVED), THEN(Category.RESERVED), TO(Category.RESERVED), TRAILING(Category.RESERVED),
    TRUE(Category.RESERVED), UNION(Category.RESERVED), UNIQUE(Category.RESERVED), USER(Category.RESERVED),
    USING(Category.RESERVED), VARIADIC(Category.RESERVED), WHEN(Category.RESERVED), WHERE(Category.RESERVED),
    WINDOW(Category.RESERVED), WITH(Category.RESERVED),

    // column-name keywords: identifiers for columns, never plain function names
    BETWEEN(Category.COL_NAME), BIGINT(Category.COL_NAME), BIT(Category.COL_NAME), BOOLEAN(Category.COL_NAME),
    CHAR(Category.COL_NAME), CHARACTER(Category.COL_NAME), COALESCE(Category.COL_NAME), DEC(Category.COL_NAME),
    DECIMAL(Category.COL_NAME), EXISTS(Category.COL_NAME), EXTRACT(Category.COL_NAME), FLOAT(Category.COL_NAME),
    GREATEST(Category.COL_NAME), GROUPING(Category.COL_NAME), INOUT(Category.COL_NAME), INT(Category.COL_NAME),
    INTEGER(Category.COL_NAME), INTERVAL(Category.COL_NAME), LEAST(Category.COL_NAME),
    NATIONAL(Category.COL_NAME), NCHAR(Category.COL_NAME), NONE(Category.COL_NAME), NORMALIZE(Category.COL_NAME),
    NULLIF(Category.COL_NAME), NUMERIC(Category.COL_NAME), OUT(Category.COL_NAME), OVERLAY(Category.COL_NAME),
    POSITION(Category.COL_NAME), PRECISION(Category.COL_NAME), REAL(Category.COL_NAME), ROW(Category.COL_NAME),
    SETOF(Category.COL_NAME), SMALLINT(Category.COL_NAME), SUBSTRING(Category.COL_NAME), TIME(Category.COL_NAME),
    TIMESTAMP(Category.COL_NAME), TREAT(Category.COL_NAME), TRIM(Category.COL_NAME), VALUES(Category.COL_NAME),
    VARCHAR(Category.COL_NAME), XMLATTRIBUTES(Category.COL_NAME), XMLCONCAT(Category.COL_NAME),
    XMLELEMENT(Category.COL_NAME), XMLEXISTS(Category.COL_NAME), XMLFOREST(Category.COL_NAME),
    XMLNAMESPACES(Category.COL_NAME), XMLPARSE(Category.COL_NAME), XMLPI(Category.COL_NAME),
    XMLROOT(Category.COL_NAME), XMLSERIALIZE(Category.COL_NAME), XMLTABLE(Category.COL_NAME),

    // type/function-name keywords: may be function names, not column names
    AUTHORIZATION(Category.TYPE_FUNC), BINARY(Category.TYPE_FUNC), COLLATION(Category.TYPE_FUNC),
    CONCURRENTLY(Category.TYPE_FUNC), CROSS(Category.TYPE_FUNC), CURRENT_SCHEMA(Category.TYPE_FUNC),
    FREEZE(Category.TYPE_FUNC), FULL(Category.TYPE_FUNC), ILIKE(Category.TYPE_FUNC), INNER(Category.TYPE_FUNC),
    IS(Category.TYPE_FUNC), ISNULL(Category.TYPE_FUNC), JOIN(Category.TYPE_FUNC), LEFT(Category.TYPE_FUNC),
    LIKE(Category.TYPE_FUNC), NATURAL(Category.TYPE_FUNC), NOTNULL(Category.TYPE_FUNC), OUTER(Category.TYPE_FUNC),
    OVERLAPS(Category.TYPE_FUNC), RIGHT(Category.TYPE_FUNC), SIMILAR(Category.TYPE_FUNC),
    TABLESAMPLE(Category.TYPE_FUNC), VERBOSE(Category.TYPE_FUNC),

    // unreserved keywords the analyzer refers to
    ABORT, ACCESS, ALSO, ALTER, AT, ATOMIC, BEGIN, BREADTH, BY, CALL, CATALOG, CHAIN, CHARACTERISTICS,
    CHECKPOINT, CLOSE, CLUSTER, COMMENT, COMMIT, COMMITTED, CONFLICT, CONSTRAINTS, CONTENT, COPY, CUBE, CURRENT,
    CYCLE, DEALLOCATE, DECLARE, DELETE, DEPTH, DISCARD, DOCUMENT, DROP, ESCAPE, EXCLUDE, EXCLUSIVE, EXECUTE, EXPLAIN, FIRST,
    FUNCTION, GLOBAL, GROUPS, IF, IMPORT, INDEX, INSERT, INSTEAD, ISOLATION, KEY, LEVEL, LISTEN, LOAD, LOCAL,
    LOCK, LOCKED, MATERIALIZED, MERGE, MODE, MOVE, NAMES, NEXT, NFC, NFD, NFKC, NFKD, NO, NORMALIZED, NOTIFY,
    NOWAIT, OPERATOR, OPTION, ORDINALITY, PASSING, PATH, PLANS, PREPARE, PREPARED, PROCEDURE, PROGRAM, RANGE,
    READ, REASSIGN, RECURSIVE, REF, REFRESH, REINDEX, RELEASE, REPEATABLE, REPLACE, RESET, RETURN, REVOKE, ROLE,
    ROLLBACK, ROLLUP, ROWS, SAVEPOINT, SCHEMA, SEARCH, SECURITY, SEQUENCES, SERIALIZABLE, SESSION, SET, SETS,
    SHARE, SHOW, SKIP, SNAPSHOT, START, STDIN, STDOUT, TEMP, TEMPORARY, TRANSACTION, TRUNCATE, UNCOMMITTED,
    UNLISTEN, UNLOGGED, UPDATE, VACUUM, VALUE, VERSION, WORK, WRITE, XML, ZONE,
    /** Not PostgreSQL's: Pgpool-II's own {@code PGPOOL SHOW|SET|RESET} commands (SEMANTICS A.1.7). */
    PGPOOL;

    enum Category { RESERVED, COL_NAME, TYPE_FUNC, UNRESERVED }

    private static final Keyword[] VALUES_ = values();
    private static final int TABLE_SIZE = 1024; // power of two, load < 0.3
    private static final char[][] KEYS = new char[TABLE_SIZE][];
    private static final Keyword[] SLOTS = new Keyword[TABLE_SIZE];
    static final int MAX_LENGTH;

    static {
        int max = 0;
        for (Keyword k : VALUES_) {
            char[] key = k.text.toCharArray();
            max = Math.max(max, key.length);
            int slot = hash(key, 0, key.length) & (TABLE_SIZE - 1);
            while (KEYS[slot] != null) {
                slot = (slot + 1) & (TABLE_SIZE - 1);
            }
            KEYS[slot] = key;
            SLOTS[slot] = k;
        }
        MAX_LENGTH = max;
    }

    final Category category;
    final String text;

    Keyword() {
        this(Category.UNRESERVED);
    }

    Keyword(Category category) {
        this.category = category;
        this.text = name().toLowerCase(java.util.Locale.ROOT);
    }

    static Keyword byOrdinal(int ordinal) {
        return ordinal < 0 ? null : VALUES_[ordinal];
    }

    /** True for words that can never be an unqualified function name, a column or an alias. */
    boolean reserved() {
        return category == Category.RESERVED;
    }

    /**
     * Looks up an unquoted word of {@code src}, case-insensitively, without allocating.
     *
     * @return the keyword, or null for a plain identifier
     */
    static Keyword lookup(String src, int start, int end) {
        int len = end - start;
        if (len < 2 || len > MAX_LENGTH) {
            return null;
        }
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = src.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            } else if (!(c >= 'a' && c <= 'z') && c != '_') {
                return null; // keywords are ASCII letters and underscores only
            }
            h = 31 * h + c;
        }
        int slot = h & (TABLE_SIZE - 1);
        for (char[] key = KEYS[slot]; key != null; key = KEYS[slot]) {
            if (key.length == len && equalsFolded(key, src, start)) {
                return SLOTS[slot];
            }
            slot = (slot + 1) & (TABLE_SIZE - 1);
        }
        return null;
    }

    private static boolean equalsFolded(char[] key, String src, int start) {
        for (int i = 0; i < key.length; i++) {
            char c = src.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != key[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(char[] key, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + key[i];
        }
        return h;
    }
}
