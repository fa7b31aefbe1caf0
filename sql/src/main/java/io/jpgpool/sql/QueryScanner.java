package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The light structural pass: one walk over a statement's tokens with one small state machine per
 * parenthesis level (a {@link Frame}), no recursion. It finds what Pgpool-II's walkers find in
 * the raw parse tree (SEMANTICS A.2-A.5): function calls, relations, locking clauses,
 * {@code SELECT INTO} and data-modifying CTEs, and the main statement after a CTE list.
 *
 * <p>A query frame tracks the clause it is in (FROM items, join conditions, ...) so that a word
 * followed by {@code (} can be told apart: a call, a column or alias list, a type modifier, a
 * grouping set. The rule for calls mirrors the grammar: a call starts an expression, so the token
 * before it must be one that an expression can follow; anything else before {@code name(} (a
 * name, a {@code )}, a literal, {@code ::}, {@code AS}) makes it a type, an alias column list or
 * an object signature.
 */
final class QueryScanner extends TokenRange {
    // paren kinds
    private static final int P_BASE = 0;
    private static final int P_EXPR = 1;     // expression or sub-select
    private static final int P_QUERY = 2;    // parenthesised query at a statement start: (SELECT ...) UNION ...
    private static final int P_CTE = 3;      // body of a CTE
    private static final int P_FROM = 4;     // parenthesis at a FROM item: sub-select or join tree
    private static final int P_FUNC = 5;     // arguments of a call
    private static final int P_SKIP = 6;     // column/alias lists, OPERATOR(...): nothing inside matters
    private static final int P_GROUPING = 7; // GROUPING SETS (...)

    // statement of a frame
    private static final int S_NONE = 0;
    private static final int S_SELECT = 1;
    private static final int S_VALUES = 2;
    private static final int S_TABLE = 3;
    private static final int S_INSERT = 4;
    private static final int S_UPDATE = 5;
    private static final int S_DELETE = 6;
    private static final int S_MERGE = 7;

    // clauses
    private static final int C_NONE = 0;
    private static final int C_TARGET = 1;      // SELECT list
    private static final int C_EXPR = 2;        // WHERE, SET, VALUES, ... (nothing special)
    private static final int C_FROM = 3;        // expecting a FROM item
    private static final int C_FROM_ITEM = 4;   // after a FROM item: alias, join, ...
    private static final int C_FROM_AS = 5;     // after "AS" of a FROM item
    private static final int C_FROM_ALIAS = 6;  // after a FROM item's alias
    private static final int C_JOIN_ON = 7;
    private static final int C_GROUP = 8;       // GROUP BY list
    private static final int C_LOCKING = 9;     // FOR UPDATE [OF ...]
    private static final int C_TABLESAMPLE = 10;
    private static final int C_DML_TARGET = 11; // after DELETE FROM t / MERGE INTO t

    // WITH list states
    private static final int W_NONE = 0;
    private static final int W_NAME = 1;
    private static final int W_AFTER_NAME = 2;
    private static final int W_BODY = 3;
    private static final int W_AFTER_BODY = 4;
    private static final int W_SEARCH = 5;
    private static final int W_CYCLE = 6;
    private static final int W_SKIP_ONE = 7;

    // special call frames
    private static final int SP_NONE = 0;
    private static final int SP_ARGWORDS = 1; // EXTRACT, TRIM, POSITION, ...: FROM/FOR/IN separate arguments
    private static final int SP_SUBSTRING = 2;
    private static final int SP_OVERLAY = 3;
    private static final int SP_TREAT = 4;
    private static final int SP_CAST = 5;

    private static final int OP_NONE = 0;
    private static final int OP_LIKE = 1;
    private static final int OP_SIMILAR = 2;

    private static final String PG_CATALOG = "pg_catalog";

    /** Tokens after which an expression, hence a call, can start (query frames). */
    private static final Set<Keyword> QUERY_INTRO = EnumSet.of(
            Keyword.SELECT, Keyword.WHERE, Keyword.AND, Keyword.OR, Keyword.NOT, Keyword.ON, Keyword.WHEN,
            Keyword.THEN, Keyword.ELSE, Keyword.CASE, Keyword.HAVING, Keyword.BY, Keyword.RETURNING,
            Keyword.DISTINCT, Keyword.ALL, Keyword.ANY, Keyword.SOME, Keyword.FROM, Keyword.JOIN, Keyword.LATERAL,
            Keyword.LIKE, Keyword.ILIKE, Keyword.TO, Keyword.IN, Keyword.BETWEEN, Keyword.SYMMETRIC,
            Keyword.ASYMMETRIC, Keyword.LIMIT, Keyword.OFFSET, Keyword.USING, Keyword.DEFAULT, Keyword.CHECK,
            Keyword.CALL, Keyword.RETURN, Keyword.ESCAPE, Keyword.ZONE, Keyword.PASSING, Keyword.PATH,
            Keyword.FIRST, Keyword.NEXT, Keyword.ROWS, Keyword.RANGE, Keyword.GROUPS, Keyword.VARIADIC,
            Keyword.OVERLAPS, Keyword.FOR, Keyword.PLACING, Keyword.LEADING, Keyword.TRAILING, Keyword.BOTH,
            Keyword.SIMILAR, Keyword.DOCUMENT, Keyword.CONTENT, Keyword.VERSION, Keyword.REF, Keyword.VALUE);

    /** The same at the top level of a utility statement, where ',' and ON separate object names. */
    private static final Set<Keyword> UTILITY_INTRO = EnumSet.of(
            Keyword.DEFAULT, Keyword.CALL, Keyword.WHERE, Keyword.AND, Keyword.OR, Keyword.NOT, Keyword.WHEN,
            Keyword.THEN, Keyword.ELSE, Keyword.CASE, Keyword.RETURN, Keyword.USING, Keyword.BETWEEN,
            Keyword.LIKE, Keyword.ILIKE);

    /** Type/function-name keywords that are real function names when followed by '('. */
    private static final Set<Keyword> CALLABLE_TYPE_FUNC = EnumSet.of(
            Keyword.LEFT, Keyword.RIGHT, Keyword.CURRENT_SCHEMA, Keyword.OVERLAPS, Keyword.LIKE, Keyword.ILIKE,
            Keyword.SIMILAR, Keyword.COLLATION, Keyword.BINARY, Keyword.AUTHORIZATION);

    private static final class Frame {
        int paren;
        boolean utility;
        int stmt;
        int clause;
        boolean start;
        boolean top;
        boolean fromAllowed;
        /** INSERT/UPDATE/DELETE/MERGE may start here: a whole statement, a CTE body, a rule action list. */
        boolean dmlAllowed;
        int with;
        int special;
        int slot;
        boolean flag;     // SUBSTRING/OVERLAY saw their SQL-syntax words; TREAT saw AS
        int typeToken;    // TREAT: first word of the target type
        int patternOp;
        int nextParenAt;
        int nextParenKind;
        int nextSpecial;
        int nextSlot;

        void init(int parenKind, boolean isUtility, boolean isTop, int specialKind, int functionSlot) {
            paren = parenKind;
            dmlAllowed = parenKind == P_BASE || parenKind == P_CTE;
            utility = isUtility;
            stmt = S_NONE;
            clause = C_NONE;
            start = parenKind != P_FUNC && parenKind != P_SKIP && parenKind != P_GROUPING;
            top = isTop;
            fromAllowed = false;
            with = W_NONE;
            special = specialKind;
            slot = functionSlot;
            flag = false;
            typeToken = -1;
            patternOp = OP_NONE;
            nextParenAt = -1;
            if (parenKind == P_FROM) {
                clause = C_FROM;
            }
        }

        void expectParen(int at, int kind, int specialKind, int functionSlot) {
            nextParenAt = at;
            nextParenKind = kind;
            nextSpecial = specialKind;
            nextSlot = functionSlot;
        }

        void expectParen(int at, int kind) {
            expectParen(at, kind, SP_NONE, -1);
        }

        /** A ';' inside parentheses or a BEGIN ATOMIC body: a new statement starts. */
        void restart() {
            start = true;
            clause = C_NONE;
            fromAllowed = false;
            with = W_NONE;
        }
    }

    private final boolean createIndex;
    private final boolean declare;
    private Frame[] frames = new Frame[8];
    private int depth;

    // results
    final List<QualifiedName> functions = new ArrayList<>();
    final Set<QualifiedName> relations = new LinkedHashSet<>();
    final Set<String> cteNames = new LinkedHashSet<>();
    boolean selectInto;
    boolean nestedInto;
    boolean lockingClause;
    boolean modifyingCte;
    boolean malformed;
    QualifiedName intoTempTable;
    boolean hasTerminatePid;
    int terminatePid;
    int mainStatement = S_NONE;

    /**
     * @param utility     the statement is not a query: its top level holds object names, and a
     *                    query starts only after AS, DO [INSTEAD|ALSO], BEGIN ATOMIC (or FOR in DECLARE)
     * @param createIndex a CREATE INDEX statement: {@code USING method (} is not a call
     */
    QueryScanner(Tokens tk, int from, int end, boolean utility, boolean createIndex, boolean declare) {
        super(tk, from, end);
        this.createIndex = createIndex;
        this.declare = declare;
        frames[0] = new Frame();
        frames[0].init(P_BASE, utility, !utility, SP_NONE, -1);
        frames[0].start = !utility;
    }

    QueryScanner run() {
        int i = from;
        while (i < end) {
            int next = step(i);
            i = next > i ? next : i + 1;
        }
        while (depth > 0) {
            close();
        }
        Frame base = frames[0];
        if (base.with != W_NONE) {
            malformed = true; // WITH list without a main statement
        }
        mainStatement = base.stmt;
        return this;
    }

    // ---------------------------------------------------------------- results

    StatementKind mainKind() {
        return switch (mainStatement) {
            case S_SELECT -> StatementKind.SELECT;
            case S_VALUES -> StatementKind.VALUES;
            case S_TABLE -> StatementKind.TABLE;
            case S_INSERT -> StatementKind.INSERT;
            case S_UPDATE -> StatementKind.UPDATE;
            case S_DELETE -> StatementKind.DELETE;
            case S_MERGE -> StatementKind.MERGE;
            default -> StatementKind.OTHER;
        };
    }

    /** Calls without duplicates. */
    List<QualifiedName> functionList() {
        if (functions.isEmpty()) {
            return List.of();
        }
        Set<QualifiedName> set = new LinkedHashSet<>();
        for (QualifiedName f : functions) {
            if (f != null) {
                set.add(f);
            }
        }
        return new ArrayList<>(set);
    }

    /** Relations without duplicates and without the statement's own CTE names. */
    List<QualifiedName> relationList() {
        if (relations.isEmpty()) {
            return List.of();
        }
        List<QualifiedName> list = new ArrayList<>(relations.size());
        for (QualifiedName r : relations) {
            if (r.schema() == null && cteNames.contains(r.name())) {
                continue;
            }
            list.add(r);
        }
        return list;
    }

    // ---------------------------------------------------------------- frames

    private void open(int i, Frame f) {
        int kind;
        int special = SP_NONE;
        int slot = -1;
        if (f.with == W_AFTER_BODY) {
            f.with = W_NONE; // WITH x AS (...) (SELECT ...): the main statement is parenthesised
            f.start = true;
        }
        if (f.nextParenAt == i) {
            kind = f.nextParenKind;
            special = f.nextSpecial;
            slot = f.nextSlot;
        } else if (f.paren == P_SKIP) {
            kind = P_SKIP;
        } else if (f.start && !f.utility) {
            f.start = false;
            if (f.paren == P_FROM) {
                kind = P_FROM;
                f.clause = C_FROM_ITEM;
            } else {
                kind = P_QUERY;
                if (f.stmt == S_NONE) {
                    f.stmt = S_SELECT; // select_with_parens
                }
                f.clause = C_NONE;
            }
        } else if (!f.utility && f.clause == C_FROM) {
            kind = P_FROM;
            f.clause = C_FROM_ITEM;
        } else {
            kind = P_EXPR;
        }
        f.nextParenAt = -1;
        depth++;
        if (depth == frames.length) {
            frames = java.util.Arrays.copyOf(frames, depth * 2);
        }
        Frame c = frames[depth];
        if (c == null) {
            c = new Frame();
            frames[depth] = c;
        }
        c.init(kind, false, kind == P_QUERY && f.top, special, slot);
        if (f.utility && kind == P_EXPR) {
            c.dmlAllowed = true; // CREATE RULE ... DO INSTEAD (INSERT ...; DELETE ...)
        }
    }

    private void close() {
        Frame c = frames[depth];
        depth--;
        Frame p = frames[depth];
        switch (c.special) {
            case SP_SUBSTRING -> setSlot(c.slot, c.flag ? PG_CATALOG : null, "substring");
            case SP_OVERLAY -> setSlot(c.slot, c.flag ? PG_CATALOG : null, "overlay");
            case SP_TREAT -> setSlot(c.slot, PG_CATALOG, treatFunctionName(c.typeToken));
            default -> { }
        }
        if (c.paren == P_CTE) {
            if (c.stmt == S_INSERT || c.stmt == S_UPDATE || c.stmt == S_DELETE || c.stmt == S_MERGE) {
                modifyingCte = true; // SEMANTICS A.2: a CTE that is not a SELECT
            }
            p.with = W_AFTER_BODY;
        }
    }

    // ---------------------------------------------------------------- dispatch

    private int step(int i) {
        Frame f = frames[depth];
        int t = tk.type[i];
        if (t == Tokens.LPAREN) {
            open(i, f);
            return i + 1;
        }
        if (t == Tokens.RPAREN) {
            if (depth > 0) {
                close();
            }
            return i + 1;
        }
        if (f.paren == P_SKIP) {
            return i + 1;
        }
        if (t == Tokens.SEMI) {
            f.restart();
            return i + 1;
        }
        if (f.with != W_NONE) {
            int r = stepWith(f, i);
            if (r > 0) {
                return r;
            }
        }
        if (f.utility) {
            return stepUtility(f, i);
        }
        if (f.start) {
            int r = stepStart(f, i);
            if (r > 0) {
                return r;
            }
        }
        return stepQuery(f, i);
    }

    private int stepWith(Frame f, int i) {
        Keyword k = tk.keyword(i);
        switch (f.with) {
            case W_NAME -> {
                if (k == Keyword.RECURSIVE) {
                    return i + 1;
                }
                if (tk.isWord(i)) {
                    cteNames.add(Literals.identifier(tk, i));
                    f.with = W_AFTER_NAME;
                    if (isType(i + 1, Tokens.LPAREN)) {
                        f.expectParen(i + 1, P_SKIP);
                    }
                    return i + 1;
                }
            }
            case W_AFTER_NAME -> {
                if (k == Keyword.AS) {
                    f.with = W_BODY;
                    int p = i + 1;
                    if (is(p, Keyword.NOT)) {
                        p++;
                    }
                    if (is(p, Keyword.MATERIALIZED)) {
                        p++;
                    }
                    if (isType(p, Tokens.LPAREN)) {
                        f.expectParen(p, P_CTE);
                    }
                    return i + 1;
                }
            }
            case W_BODY -> {
                if (k == Keyword.NOT || k == Keyword.MATERIALIZED) {
                    return i + 1;
                }
            }
            case W_AFTER_BODY -> {
                if (tk.type[i] == Tokens.COMMA) {
                    f.with = W_NAME;
                    return i + 1;
                }
                if (k == Keyword.SEARCH) {
                    f.with = W_SEARCH;
                    return i + 1;
                }
                if (k == Keyword.CYCLE) {
                    f.with = W_CYCLE;
                    return i + 1;
                }
                f.with = W_NONE;
                f.start = true; // the main statement
                return -1;
            }
            case W_SEARCH -> {
                if (k == Keyword.SET) {
                    f.with = W_SKIP_ONE;
                }
                return i + 1;
            }
            case W_CYCLE -> {
                if (k == Keyword.USING) {
                    f.with = W_SKIP_ONE;
                }
                return i + 1;
            }
            case W_SKIP_ONE -> {
                f.with = W_AFTER_BODY;
                return i + 1;
            }
            default -> { }
        }
        malformed = true;
        f.with = W_NONE;
        f.start = true;
        return -1;
    }

    /** The first token of a (sub)statement. Returns -1 when it is not a statement head. */
    private int stepStart(Frame f, int i) {
        f.start = false;
        Keyword k = tk.keyword(i);
        if (k == null) {
            return -1;
        }
        if (!f.dmlAllowed && (k == Keyword.INSERT || k == Keyword.UPDATE || k == Keyword.DELETE || k == Keyword.MERGE)) {
            malformed = true; // (INSERT ...) as a sub-select is a syntax error
        }
        switch (k) {
            case SELECT -> {
                setStmt(f, S_SELECT);
                f.clause = C_TARGET;
                f.fromAllowed = true;
                return i + 1;
            }
            case VALUES -> {
                setStmt(f, S_VALUES);
                f.clause = C_EXPR;
                return i + 1;
            }
            case TABLE -> {
                setStmt(f, S_TABLE);
                f.clause = C_NONE;
                return relationTarget(i + 1, true);
            }
            case WITH -> {
                f.with = W_NAME;
                return i + 1;
            }
            case INSERT -> {
                return insertHeader(f, i);
            }
            case UPDATE -> {
                setStmt(f, S_UPDATE);
                int p = relationTarget(i + 1, true);
                if (is(p, Keyword.AS)) {
                    p = tk.isColId(p + 1) ? p + 2 : p + 1;
                } else if (tk.isColId(p) && !is(p, Keyword.SET)) {
                    p++;
                }
                f.clause = C_NONE;
                f.fromAllowed = true; // UPDATE ... SET ... FROM
                return p;
            }
            case DELETE -> {
                setStmt(f, S_DELETE);
                int p = is(i + 1, Keyword.FROM) ? i + 2 : i + 1;
                f.clause = C_DML_TARGET;
                return aliasAfter(relationTarget(p, true));
            }
            case MERGE -> {
                setStmt(f, S_MERGE);
                int p = is(i + 1, Keyword.INTO) ? i + 2 : i + 1;
                f.clause = C_DML_TARGET;
                return aliasAfter(relationTarget(p, true));
            }
            default -> {
                return -1;
            }
        }
    }

    private int insertHeader(Frame f, int i) {
        setStmt(f, S_INSERT);
        int p = is(i + 1, Keyword.INTO) ? i + 2 : i + 1;
        p = relationTarget(p, false);
        if (is(p, Keyword.AS)) {
            p = tk.isColId(p + 1) ? p + 2 : p + 1;
        }
        if (isType(p, Tokens.LPAREN) && !queryHeadAt(p + 1)) {
            f.expectParen(p, P_SKIP); // the column list
        }
        f.start = true; // the source: VALUES, SELECT, (SELECT ...), DEFAULT VALUES, ...
        f.clause = C_NONE;
        return p;
    }

    /** {@code [ONLY] name [*]} as a relation; returns the index after it. */
    private int relationTarget(int p, boolean star) {
        if (is(p, Keyword.ONLY)) {
            p++;
        }
        if (!tk.isWord(p) || p >= end) {
            return p;
        }
        int last = chainEnd(p);
        addRelation(p, last);
        p = last + 1;
        if (star && isOp(p, "*")) {
            p++;
        }
        return p;
    }

    private int aliasAfter(int p) {
        if (is(p, Keyword.AS)) {
            return tk.isColId(p + 1) ? p + 2 : p + 1;
        }
        return tk.isColId(p) ? p + 1 : p;
    }

    private boolean queryHeadAt(int p) {
        Keyword k = kw(p);
        return k == Keyword.SELECT || k == Keyword.VALUES || k == Keyword.WITH || k == Keyword.TABLE
                || isType(p, Tokens.LPAREN);
    }

    private static void setStmt(Frame f, int stmt) {
        if (f.stmt == S_NONE) {
            f.stmt = stmt;
        }
    }

    // ---------------------------------------------------------------- query frames

    private int stepQuery(Frame f, int i) {
        int t = tk.type[i];
        if (t == Tokens.COMMA) {
            if (isFromState(f.clause)) {
                f.clause = C_FROM;
            }
            f.patternOp = OP_NONE;
            return i + 1;
        }
        if (t == Tokens.IDENT) {
            Keyword k = tk.keyword(i);
            if (k != null) {
                int r = keywordInQuery(f, i, k);
                if (r > 0) {
                    return r;
                }
            }
            return name(f, i);
        }
        if (t == Tokens.QIDENT) {
            return name(f, i);
        }
        return i + 1;
    }

    private int keywordInQuery(Frame f, int i, Keyword k) {
        switch (k) {
            case SELECT -> {
                setStmt(f, S_SELECT);
                f.clause = C_TARGET;
                f.fromAllowed = true;
                return i + 1;
            }
            case FROM -> {
                if (is(i - 1, Keyword.DISTINCT) && (is(i - 2, Keyword.IS) || is(i - 2, Keyword.NOT))) {
                    return i + 1; // IS [NOT] DISTINCT FROM
                }
                if (f.special != SP_NONE) {
                    f.flag = true; // EXTRACT(x FROM y), SUBSTRING(x FROM y), ...
                } else if (f.fromAllowed) {
                    f.clause = C_FROM;
                }
                return i + 1;
            }
            case INTO -> {
                return into(f, i);
            }
            case WHERE, HAVING, LIMIT, OFFSET, FETCH, RETURNING, WINDOW, ORDER, VALUES -> {
                f.clause = C_EXPR;
                return i + 1;
            }
            case GROUP -> {
                if (is(i + 1, Keyword.BY)) {
                    f.clause = C_GROUP;
                    return i + 2;
                }
                return i + 1; // WITHIN GROUP (...)
            }
            case FOR -> {
                return forKeyword(f, i);
            }
            case UNION, INTERSECT, EXCEPT -> {
                f.clause = C_NONE;
                f.start = true;
                f.fromAllowed = false;
                return is(i + 1, Keyword.ALL) || is(i + 1, Keyword.DISTINCT) ? i + 2 : i + 1;
            }
            case JOIN -> {
                if (isFromState(f.clause)) {
                    f.clause = C_FROM;
                }
                return i + 1;
            }
            case NATURAL, CROSS, INNER, OUTER, FULL, LATERAL, ONLY, DISTINCT -> {
                return i + 1;
            }
            case LEFT, RIGHT -> {
                return isType(i + 1, Tokens.LPAREN) ? -1 : i + 1;
            }
            case ON -> {
                if (isFromState(f.clause)) {
                    f.clause = C_JOIN_ON;
                }
                return i + 1;
            }
            case USING -> {
                if (f.clause == C_DML_TARGET) {
                    f.clause = C_FROM; // DELETE ... USING, MERGE ... USING
                } else if (isFromState(f.clause)) {
                    if (isType(i + 1, Tokens.LPAREN)) {
                        f.expectParen(i + 1, P_SKIP); // JOIN ... USING (columns)
                    }
                    f.clause = C_FROM_ITEM;
                }
                return i + 1;
            }
            case AS -> {
                if (f.clause == C_FROM_ITEM) {
                    f.clause = C_FROM_AS;
                } else if (f.special == SP_TREAT) {
                    f.flag = true;
                }
                return i + 1;
            }
            case TABLESAMPLE -> {
                if (isFromState(f.clause)) {
                    f.clause = C_TABLESAMPLE;
                }
                return i + 1;
            }
            case WITH -> {
                return is(i + 1, Keyword.ORDINALITY) ? i + 2 : i + 1;
            }
            case SET -> {
                if (f.stmt == S_UPDATE || f.stmt == S_INSERT || f.stmt == S_MERGE) {
                    f.clause = C_EXPR;
                    return i + 1;
                }
                return -1;
            }
            case GROUPING -> {
                if (is(i + 1, Keyword.SETS) && isType(i + 2, Tokens.LPAREN)) {
                    f.expectParen(i + 2, P_GROUPING);
                    return i + 2;
                }
                return -1;
            }
            case COLLATION -> {
                if (is(i + 1, Keyword.FOR) && isType(i + 2, Tokens.LPAREN)) {
                    addFunction(PG_CATALOG, "pg_collation_for");
                    f.expectParen(i + 2, P_FUNC);
                    return i + 2;
                }
                return -1;
            }
            case AT -> {
                if (is(i + 1, Keyword.TIME) && is(i + 2, Keyword.ZONE)) {
                    addFunction(PG_CATALOG, "timezone"); // a AT TIME ZONE b
                    return i + 3;
                }
                return -1;
            }
            case OVERLAPS -> {
                if (isType(i - 1, Tokens.RPAREN)) {
                    addFunction(PG_CATALOG, "overlaps"); // (a, b) OVERLAPS (c, d)
                    return i + 1;
                }
                return -1;
            }
            case NORMALIZED -> {
                Keyword prev = kw(i - 1);
                if (prev == Keyword.IS || prev == Keyword.NOT || prev == Keyword.NFC || prev == Keyword.NFD
                        || prev == Keyword.NFKC || prev == Keyword.NFKD) {
                    addFunction(PG_CATALOG, "is_normalized");
                    return i + 1;
                }
                return -1;
            }
            case LIKE, ILIKE -> {
                if (isType(i + 1, Tokens.LPAREN) && introducesCall(f, i - 1)) {
                    return -1; // like(a, b) called as a function
                }
                f.patternOp = OP_LIKE;
                return i + 1;
            }
            case SIMILAR -> {
                if (is(i + 1, Keyword.TO)) {
                    f.patternOp = OP_SIMILAR;
                    addFunction(PG_CATALOG, "similar_to_escape");
                    return i + 2;
                }
                if (f.special == SP_SUBSTRING) {
                    f.flag = true; // SUBSTRING(a SIMILAR b ESCAPE c)
                    return i + 1;
                }
                return -1;
            }
            case ESCAPE -> {
                if (isType(i + 1, Tokens.LPAREN) && introducesCall(f, i - 1)) {
                    return -1;
                }
                if (f.patternOp == OP_LIKE) {
                    addFunction(PG_CATALOG, "like_escape"); // a LIKE b ESCAPE c
                }
                f.patternOp = OP_NONE;
                return i + 1;
            }
            case OPERATOR -> {
                if (isType(i + 1, Tokens.LPAREN)) {
                    f.expectParen(i + 1, P_SKIP); // OPERATOR(pg_catalog.~)
                    return i + 1;
                }
                return -1;
            }
            case PLACING -> {
                if (f.special == SP_OVERLAY) {
                    f.flag = true;
                }
                return i + 1;
            }
            case CONFLICT -> {
                if (is(i - 1, Keyword.ON)) {
                    f.clause = C_EXPR; // ON CONFLICT (target) DO ...
                    return i + 1;
                }
                return -1;
            }
            case INSERT -> {
                if (f.stmt == S_MERGE) {
                    return i + 1; // WHEN NOT MATCHED THEN INSERT (columns) VALUES (...)
                }
                return -1;
            }
            case ROWS -> {
                if (f.clause == C_FROM && is(i + 1, Keyword.FROM) && isType(i + 2, Tokens.LPAREN)) {
                    f.expectParen(i + 2, P_EXPR); // ROWS FROM (f(), g())
                    f.clause = C_FROM_ITEM;
                    return i + 2;
                }
                return -1;
            }
            default -> {
                return -1;
            }
        }
    }

    private int into(Frame f, int i) {
        if (f.clause != C_TARGET) {
            return i + 1;
        }
        int p = i + 1;
        boolean temp = false;
        while (true) {
            Keyword k = kw(p);
            if (k == Keyword.TEMP || k == Keyword.TEMPORARY) {
                temp = true;
            } else if (k != Keyword.LOCAL && k != Keyword.GLOBAL && k != Keyword.UNLOGGED && k != Keyword.TABLE) {
                break;
            }
            p++;
        }
        if (f.top) {
            selectInto = true; // SEMANTICS A.2: SELECT INTO goes to the primary
        } else {
            nestedInto = true;
        }
        f.clause = C_NONE;
        if (!tk.isWord(p) || p >= end) {
            return p;
        }
        int last = chainEnd(p);
        QualifiedName target = addRelation(p, last);
        if (temp && f.top) {
            intoTempTable = target;
        }
        return last + 1;
    }

    private int forKeyword(Frame f, int i) {
        if (f.special != SP_NONE) {
            f.flag = true; // SUBSTRING(a FOR b), OVERLAY(a PLACING b FROM c FOR d)
            return i + 1;
        }
        int p = i + 1;
        int after = -1;
        if (is(p, Keyword.UPDATE) || is(p, Keyword.SHARE)) {
            after = p + 1;
        } else if (is(p, Keyword.NO) && is(p + 1, Keyword.KEY) && is(p + 2, Keyword.UPDATE)) {
            after = p + 3;
        } else if (is(p, Keyword.KEY) && is(p + 1, Keyword.SHARE)) {
            after = p + 2;
        }
        if (after < 0) {
            return i + 1; // FOR ORDINALITY, FOR READ ONLY, ...
        }
        lockingClause = true; // SEMANTICS A.2
        f.clause = C_LOCKING;
        return after;
    }

    /** A word (or a dotted chain of words) in a query frame. */
    private int name(Frame f, int i) {
        Keyword k = tk.keyword(i);
        if (k != null && k.reserved()) {
            if (isType(i + 1, Tokens.LPAREN)) {
                specialCall(f, i, k);
            }
            return i + 1;
        }
        if (f.special == SP_TREAT && f.flag && f.typeToken < 0) {
            f.typeToken = i;
        }
        int last = chainEnd(i);
        boolean paren = isType(last + 1, Tokens.LPAREN);
        switch (f.clause) {
            case C_FROM -> {
                f.clause = C_FROM_ITEM;
                if (paren) {
                    callAt(f, i, last); // a function in FROM
                } else if (k == null || k.category != Keyword.Category.TYPE_FUNC) {
                    addRelation(i, last);
                }
                return last + 1;
            }
            case C_FROM_ITEM, C_FROM_AS -> {
                if (last == i && tk.isColId(i)) {
                    f.clause = C_FROM_ALIAS;
                    if (paren) {
                        f.expectParen(i + 1, P_SKIP); // alias (column, ...)
                    }
                    return i + 1;
                }
            }
            case C_TABLESAMPLE -> {
                if (paren) {
                    f.expectParen(last + 1, P_EXPR); // TABLESAMPLE method (args)
                }
                return last + 1;
            }
            case C_LOCKING -> {
                return last + 1; // FOR UPDATE OF alias
            }
            default -> { }
        }
        if (paren) {
            callAt(f, i, last);
        }
        return last + 1;
    }

    // ---------------------------------------------------------------- utility frames

    private int stepUtility(Frame f, int i) {
        Keyword k = tk.keyword(i);
        if (k != null && utilityQueryStarts(f, i, k)) {
            f.utility = false;
            f.start = true;
            f.top = false;
            int r = stepStart(f, i);
            return r > 0 ? r : stepQuery(f, i);
        }
        f.start = false;
        int t = tk.type[i];
        if (t != Tokens.IDENT && t != Tokens.QIDENT) {
            return i + 1;
        }
        if (k != null && k.reserved()) {
            if (isType(i + 1, Tokens.LPAREN)) {
                specialCall(f, i, k);
            }
            return i + 1;
        }
        int last = chainEnd(i);
        if (isType(last + 1, Tokens.LPAREN)) {
            if (is(i - 1, Keyword.USING) && (createIndex || is(i - 2, Keyword.EXCLUDE))) {
                f.expectParen(last + 1, P_EXPR); // USING btree (...): an access method
            } else {
                callAt(f, i, last);
            }
        }
        return last + 1;
    }

    /** A query inside a utility statement: CREATE ... AS SELECT, CREATE RULE ... DO INSTEAD ..., DECLARE ... FOR. */
    private boolean utilityQueryStarts(Frame f, int i, Keyword k) {
        boolean query = k == Keyword.SELECT || k == Keyword.VALUES || k == Keyword.TABLE || k == Keyword.WITH;
        boolean dml = k == Keyword.INSERT || k == Keyword.UPDATE || k == Keyword.DELETE || k == Keyword.MERGE;
        if (!query && !dml) {
            return false;
        }
        if (f.start) {
            return true;
        }
        Keyword prev = kw(i - 1);
        if (prev == Keyword.AS || prev == Keyword.DO || prev == Keyword.INSTEAD || prev == Keyword.ALSO
                || prev == Keyword.ATOMIC) {
            return true;
        }
        return declare && query && prev == Keyword.FOR;
    }

    // ---------------------------------------------------------------- calls

    /** {@code name(} where name is a reserved or column-name keyword: SQL-syntax forms. */
    private void specialCall(Frame f, int i, Keyword k) {
        int p = i + 1;
        switch (k) {
            case EXTRACT, NORMALIZE, POSITION, XMLEXISTS -> {
                addFunction(PG_CATALOG, k.text); // the function of the same name
                f.expectParen(p, P_FUNC, SP_ARGWORDS, -1);
            }
            case TRIM -> {
                Keyword mode = kw(p + 1);
                String fn = mode == Keyword.LEADING ? "ltrim" : mode == Keyword.TRAILING ? "rtrim" : "btrim";
                addFunction(PG_CATALOG, fn);
                f.expectParen(p, P_FUNC, SP_ARGWORDS, -1);
            }
            case SUBSTRING -> f.expectParen(p, P_FUNC, SP_SUBSTRING, addPlaceholder());
            case OVERLAY -> f.expectParen(p, P_FUNC, SP_OVERLAY, addPlaceholder());
            case TREAT -> f.expectParen(p, P_FUNC, SP_TREAT, addPlaceholder());
            case CAST -> f.expectParen(p, P_EXPR, SP_CAST, -1);
            // COALESCE, NULLIF, GREATEST, LEAST, ROW, ARRAY, EXISTS, ANY/ALL/SOME, IN, VALUES, GROUPING,
            // XML constructors, CURRENT_TIME(n) and friends, type names with modifiers: not FuncCall nodes
            default -> f.expectParen(p, P_EXPR);
        }
    }

    /** {@code name(} with a non-reserved name: a call if an expression can start here. */
    private void callAt(Frame f, int i, int last) {
        int p = last + 1;
        if (last == i && tk.type[i] == Tokens.IDENT) {
            Keyword k = tk.keyword(i);
            if (k != null) {
                switch (k.category) {
                    case RESERVED, COL_NAME -> {
                        specialCall(f, i, k);
                        return;
                    }
                    case TYPE_FUNC -> {
                        if (!CALLABLE_TYPE_FUNC.contains(k)) {
                            f.expectParen(p, P_EXPR);
                            return;
                        }
                    }
                    default -> {
                        if (k == Keyword.OPERATOR) {
                            f.expectParen(p, P_SKIP);
                            return;
                        }
                        if ((k == Keyword.CUBE || k == Keyword.ROLLUP) && groupingContext(f, i)) {
                            f.expectParen(p, P_EXPR); // GROUP BY CUBE (a, b)
                            return;
                        }
                    }
                }
            }
        }
        if (!introducesCall(f, i - 1)) {
            // a type modifier, an object signature, FILTER/OVER (...): not a call, but may hold calls
            f.expectParen(p, P_EXPR);
            return;
        }
        int close = tk.match[p];
        if (close > 0 && isType(close + 1, Tokens.STRING)) {
            f.expectParen(p, P_EXPR); // typed literal: type(mods) 'string'
            return;
        }
        QualifiedName name = qualified(i, last);
        functions.add(name);
        if (!hasTerminatePid && "pg_terminate_backend".equals(name.name())) {
            terminateBackend(p, close);
        }
        f.expectParen(p, P_FUNC);
    }

    private boolean groupingContext(Frame f, int i) {
        int prev = i - 1 >= from ? tk.type[i - 1] : -1;
        if (f.clause == C_GROUP) {
            return prev == Tokens.COMMA || is(i - 1, Keyword.BY);
        }
        return f.paren == P_GROUPING && (prev == Tokens.COMMA || prev == Tokens.LPAREN);
    }

    private boolean introducesCall(Frame f, int prev) {
        if (prev < from) {
            return false;
        }
        switch (tk.type[prev]) {
            case Tokens.OP, Tokens.COLON, Tokens.LPAREN, Tokens.LBRACKET -> {
                return true;
            }
            case Tokens.COMMA -> {
                return !f.utility;
            }
            case Tokens.RPAREN -> {
                // only two clause prefixes end in ')' and are followed by an expression:
                // SELECT DISTINCT ON (...) f(), a OPERATOR(schema.op) f()
                int open = tk.match[prev];
                return open > from && (tk.is(open - 1, Keyword.OPERATOR)
                        || (tk.is(open - 1, Keyword.ON) && open - 2 >= from && tk.is(open - 2, Keyword.DISTINCT)));
            }
            case Tokens.IDENT -> {
                Keyword k = tk.keyword(prev);
                return k != null && (f.utility ? UTILITY_INTRO.contains(k) : QUERY_INTRO.contains(k));
            }
            default -> {
                return false;
            }
        }
    }

    /** SEMANTICS A.4: pg_terminate_backend(<integer constant>[, timeout]). */
    private void terminateBackend(int open, int close) {
        if (close < 0) {
            return;
        }
        int a = open + 1;
        boolean negative = false;
        if (isOp(a, "-")) {
            negative = true;
            a++;
        }
        if (!isType(a, Tokens.NUMBER) || a >= close) {
            return;
        }
        String digits = tk.text(a);
        if (digits.length() > 10) {
            return;
        }
        for (int k = 0; k < digits.length(); k++) {
            if (!Lexer.isDigit(digits.charAt(k))) {
                return; // a float constant is not an Integer node
            }
        }
        long value = Long.parseLong(digits);
        if (value > Integer.MAX_VALUE + (negative ? 1L : 0L)) {
            return;
        }
        int args = 1;
        for (int k = a + 1; k < close; k++) {
            int t = tk.type[k];
            if (t == Tokens.COMMA) {
                args++;
            } else if ((t == Tokens.LPAREN || t == Tokens.LBRACKET) && tk.match[k] > k) {
                k = tk.match[k];
            } else if (args == 1) {
                return; // the first argument is an expression, not a constant
            }
        }
        if (args <= 2) {
            hasTerminatePid = true;
            terminatePid = (int) (negative ? -value : value);
        }
    }

    private String treatFunctionName(int typeToken) {
        if (typeToken < 0 || typeToken >= end) {
            return "unknown";
        }
        Keyword k = tk.keyword(typeToken);
        if (k != null) {
            // the grammar names built-in types by their catalog names (SystemTypeName)
            switch (k) {
                case INT, INTEGER -> {
                    return "int4";
                }
                case SMALLINT -> {
                    return "int2";
                }
                case BIGINT -> {
                    return "int8";
                }
                case REAL -> {
                    return "float4";
                }
                case FLOAT -> {
                    return "float8";
                }
                case DEC, DECIMAL, NUMERIC -> {
                    return "numeric";
                }
                case BOOLEAN -> {
                    return "bool";
                }
                case CHAR, CHARACTER, NCHAR, NATIONAL -> {
                    return followedByWord(typeToken, "varying") ? "varchar" : "bpchar";
                }
                case VARCHAR -> {
                    return "varchar";
                }
                case BIT -> {
                    return followedByWord(typeToken, "varying") ? "varbit" : "bit";
                }
                case TIMESTAMP -> {
                    return followedByWord(typeToken, "with") ? "timestamptz" : "timestamp";
                }
                case TIME -> {
                    return followedByWord(typeToken, "with") ? "timetz" : "time";
                }
                case INTERVAL -> {
                    return "interval";
                }
                default -> { }
            }
        }
        if (tk.type[typeToken] == Tokens.IDENT && tk.text(typeToken).equalsIgnoreCase("double")) {
            return "float8";
        }
        return Literals.identifier(tk, chainEnd(typeToken));
    }

    /** The next word after {@code i} (skipping a modifier list) is {@code word}. */
    private boolean followedByWord(int i, String word) {
        int p = i + 1;
        if (isType(p, Tokens.LPAREN) && tk.match[p] > p) {
            p = tk.match[p] + 1;
        }
        if (is(p, Keyword.NATIONAL) || is(p, Keyword.CHARACTER) || is(p, Keyword.CHAR)) {
            p++;
        }
        return p < end && tk.type[p] == Tokens.IDENT && tk.text(p).equalsIgnoreCase(word);
    }

    // ---------------------------------------------------------------- helpers

    private int addPlaceholder() {
        functions.add(null);
        return functions.size() - 1;
    }

    private void setSlot(int slot, String schema, String name) {
        if (slot >= 0 && slot < functions.size()) {
            functions.set(slot, new QualifiedName(schema, name));
        }
    }

    private void addFunction(String schema, String name) {
        functions.add(new QualifiedName(schema, name));
    }

    private QualifiedName addRelation(int first, int last) {
        QualifiedName name = qualified(first, last);
        relations.add(name);
        return name;
    }

    /**
     * The name of a dotted chain. Like a RangeVar or FuncCall name: {@code a} → (null, a),
     * {@code a.b} → (a, b), {@code a.b.c} → (b, c), more parts are a syntax error.
     */
    private QualifiedName qualified(int first, int last) {
        int parts = (last - first) / 2 + 1;
        if (parts > 3) {
            malformed = true; // improper qualified name (too many dotted names)
        }
        String name = Literals.identifier(tk, last);
        if (parts == 1) {
            return new QualifiedName(null, name);
        }
        return new QualifiedName(Literals.identifier(tk, last - 2), name);
    }

    private static boolean isFromState(int clause) {
        return clause == C_FROM || clause == C_FROM_ITEM || clause == C_FROM_AS || clause == C_FROM_ALIAS
                || clause == C_JOIN_ON || clause == C_TABLESAMPLE;
    }
}
