package io.jpgpool.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Analyses one statement (a token range) into a {@link Statement.Builder}: decides the kind from
 * the leading keywords, parses the small utility statements exactly (transaction control, SET,
 * LOCK, PREPARE, EXPLAIN, COPY, ...) and hands queries and DDL to the {@link QueryScanner}.
 *
 * <p>Transaction statements and SET are parsed strictly: anything PostgreSQL's grammar would
 * reject makes the statement malformed, because Pgpool-II routes an unparseable statement as a
 * write (SEMANTICS A.1.5) and a misread COMMIT or SET would corrupt session state.
 */
final class StatementParser extends TokenRange {
    /** EXPLAIN, PREPARE and COPY (query) wrap a statement; valid SQL never nests them this deep. */
    private static final int MAX_NESTING = 4;

    private final int nesting;
    private final Statement.Builder b;
    /** Where the last {@link #relationList} stopped. */
    private int listEnd;

    private StatementParser(Tokens tk, int from, int end, int nesting, Statement.Builder b) {
        super(tk, from, end);
        this.nesting = nesting;
        this.b = b;
    }

    /** Fills {@code b} with the facts of the statement made of tokens {@code [from, end)}. */
    static void parse(Tokens tk, int from, int end, int nesting, Statement.Builder b) {
        new StatementParser(tk, from, end, nesting, b).parse();
    }

    private void parse() {
        if (from >= end) {
            b.kind = StatementKind.EMPTY;
            return;
        }
        if (tk.type[from] == Tokens.LPAREN) {
            query();
            return;
        }
        Keyword k = kw(from);
        if (k == null) {
            b.kind = StatementKind.OTHER;
            b.malformed = true; // no statement starts with a plain word, a literal or an operator
            return;
        }
        switch (k) {
            case SELECT, VALUES, TABLE, WITH, INSERT, UPDATE, DELETE, MERGE -> query();
            case BEGIN -> begin(skipOptionalTransaction(from + 1));
            case START -> {
                if (is(from + 1, Keyword.TRANSACTION)) {
                    begin(from + 2);
                } else {
                    b.kind = StatementKind.OTHER;
                    b.malformed = true;
                }
            }
            case COMMIT -> {
                if (is(from + 1, Keyword.PREPARED)) {
                    gid(StatementKind.COMMIT_PREPARED);
                } else {
                    endTransaction(StatementKind.COMMIT);
                }
            }
            case END -> endTransaction(StatementKind.COMMIT);
            case ABORT -> endTransaction(StatementKind.ROLLBACK);
            case ROLLBACK -> rollback();
            case SAVEPOINT -> {
                b.kind = StatementKind.SAVEPOINT;
                expectNameThenEnd(from + 1);
            }
            case RELEASE -> {
                b.kind = StatementKind.RELEASE;
                expectNameThenEnd(is(from + 1, Keyword.SAVEPOINT) ? from + 2 : from + 1);
            }
            case PREPARE -> {
                if (is(from + 1, Keyword.TRANSACTION) && isType(from + 2, Tokens.STRING)) {
                    gid(StatementKind.PREPARE_TRANSACTION);
                } else {
                    prepare();
                }
            }
            case SET -> {
                if (is(from + 1, Keyword.CONSTRAINTS)) {
                    b.kind = StatementKind.OTHER; // ConstraintsSetStmt: not a VariableSetStmt
                } else {
                    new SetParser(tk, from, end, b).set();
                }
            }
            case RESET -> new SetParser(tk, from, end, b).reset();
            case SHOW -> new SetParser(tk, from, end, b).show();
            case DISCARD -> discard();
            case LOCK -> lock();
            case EXECUTE -> execute();
            case DEALLOCATE -> deallocate();
            case EXPLAIN -> explain();
            case COPY -> copy();
            case CREATE -> create();
            case DROP -> drop();
            case TRUNCATE -> truncate();
            case DECLARE -> utility(StatementKind.DECLARE, false, true);
            case CALL -> utility(StatementKind.CALL, false, false);
            case ALTER -> utility(StatementKind.ALTER, false, false);
            case GRANT -> utility(StatementKind.GRANT, false, false);
            case REVOKE -> utility(StatementKind.REVOKE, false, false);
            case COMMENT -> utility(StatementKind.COMMENT, false, false);
            case DO -> utility(StatementKind.DO, false, false);
            case VACUUM -> utility(StatementKind.VACUUM, false, false);
            case ANALYZE, ANALYSE -> utility(StatementKind.ANALYZE, false, false);
            case CLUSTER -> utility(StatementKind.CLUSTER, false, false);
            case REINDEX -> utility(StatementKind.REINDEX, false, false);
            case REFRESH -> utility(StatementKind.REFRESH, false, false);
            case FETCH -> b.kind = StatementKind.FETCH;
            case MOVE -> b.kind = StatementKind.MOVE;
            case CLOSE -> b.kind = StatementKind.CLOSE;
            case LISTEN -> b.kind = StatementKind.LISTEN;
            case UNLISTEN -> b.kind = StatementKind.UNLISTEN;
            case NOTIFY -> b.kind = StatementKind.NOTIFY;
            case CHECKPOINT -> b.kind = StatementKind.CHECKPOINT;
            case IMPORT, LOAD, REASSIGN, SECURITY, PGPOOL -> utility(StatementKind.OTHER, false, false);
            default -> {
                b.kind = StatementKind.OTHER;
                b.malformed = true;
            }
        }
    }

    // ---------------------------------------------------------------- queries and DDL

    private void query() {
        QueryScanner s = new QueryScanner(tk, from, end, false, false, false).run();
        b.kind = s.mainKind();
        if (b.kind == StatementKind.OTHER) {
            b.malformed = true;
        }
        collect(s);
        b.selectInto = s.selectInto;
        b.nestedInto = s.nestedInto;
        if (s.intoTempTable != null) {
            b.createdTempTable = s.intoTempTable;
        }
        if (b.kind.selectFamily() && s.hasTerminatePid) {
            b.hasTerminateBackendPid = true; // SEMANTICS A.4: only for a SelectStmt
            b.terminateBackendPid = s.terminatePid;
        }
    }

    private void utility(StatementKind kind, boolean createIndex, boolean declare) {
        b.kind = kind;
        collect(new QueryScanner(tk, from, end, true, createIndex, declare).run());
    }

    private void collect(QueryScanner s) {
        b.functions = s.functionList();
        b.relations = s.relationList();
        b.lockingClause |= s.lockingClause;
        b.modifyingCte |= s.modifyingCte;
        b.malformed |= s.malformed;
    }

    private void create() {
        int p = from + 1;
        if (is(p, Keyword.OR) && is(p + 1, Keyword.REPLACE)) {
            p += 2;
        }
        boolean temp = false;
        boolean unlogged = false;
        while (true) {
            Keyword k = kw(p);
            if (k == Keyword.TEMP || k == Keyword.TEMPORARY) {
                temp = true;
            } else if (k == Keyword.UNLOGGED) {
                unlogged = true;
            } else if (k != Keyword.GLOBAL && k != Keyword.LOCAL) {
                break;
            }
            p++;
        }
        if (is(p, Keyword.TABLE)) {
            int n = p + 1;
            if (is(n, Keyword.IF) && is(n + 1, Keyword.NOT) && is(n + 2, Keyword.EXISTS)) {
                n += 3;
            }
            if (tk.isWord(n) && n < end) {
                QualifiedName table = qualified(n, chainEnd(n));
                if (temp) {
                    b.createdTempTable = table;
                }
                if (unlogged) {
                    b.createdUnloggedTable = table;
                }
            }
        }
        boolean createIndex = is(p, Keyword.INDEX) || (is(p, Keyword.UNIQUE) && is(p + 1, Keyword.INDEX));
        utility(StatementKind.CREATE, createIndex, false);
    }

    private void drop() {
        b.kind = StatementKind.DROP;
        if (!is(from + 1, Keyword.TABLE)) {
            return;
        }
        int p = from + 2;
        if (is(p, Keyword.IF) && is(p + 1, Keyword.EXISTS)) {
            p += 2;
        }
        List<QualifiedName> tables = new ArrayList<>();
        while (tk.isWord(p) && p < end) {
            int last = chainEnd(p);
            tables.add(qualified(p, last));
            p = last + 1;
            if (!isType(p, Tokens.COMMA)) {
                break;
            }
            p++;
        }
        b.droppedTables = tables;
    }

    private void truncate() {
        b.kind = StatementKind.TRUNCATE;
        int p = from + 1;
        if (is(p, Keyword.TABLE)) {
            p++;
        }
        b.relations = relationList(p);
    }

    /** {@code [ONLY] name [*] [, ...]}, as LOCK and TRUNCATE take it. */
    private List<QualifiedName> relationList(int p) {
        Set<QualifiedName> names = new LinkedHashSet<>();
        while (true) {
            if (is(p, Keyword.ONLY)) {
                p++;
            }
            if (!tk.isWord(p) || p >= end) {
                b.malformed |= names.isEmpty();
                break;
            }
            int last = chainEnd(p);
            names.add(qualified(p, last));
            p = last + 1;
            if (isOp(p, "*")) {
                p++;
            }
            if (!isType(p, Tokens.COMMA)) {
                break;
            }
            p++;
        }
        listEnd = p;
        return new ArrayList<>(names);
    }


    private void lock() {
        b.kind = StatementKind.LOCK;
        int p = from + 1;
        if (is(p, Keyword.TABLE)) {
            p++;
        }
        b.relations = relationList(p);
        p = listEnd;
        int mode = 8; // ACCESS EXCLUSIVE when no mode is given
        if (is(p, Keyword.IN)) {
            p++;
            Keyword a = kw(p);
            Keyword c = kw(p + 1);
            Keyword d = kw(p + 2);
            if (a == Keyword.ACCESS && c == Keyword.SHARE) {
                mode = 1;
                p += 2;
            } else if (a == Keyword.ROW && c == Keyword.SHARE) {
                mode = 2;
                p += 2;
            } else if (a == Keyword.ROW && c == Keyword.EXCLUSIVE) {
                mode = 3;
                p += 2;
            } else if (a == Keyword.SHARE && c == Keyword.UPDATE && d == Keyword.EXCLUSIVE) {
                mode = 4;
                p += 3;
            } else if (a == Keyword.SHARE && c == Keyword.ROW && d == Keyword.EXCLUSIVE) {
                mode = 6;
                p += 3;
            } else if (a == Keyword.SHARE) {
                mode = 5;
                p += 1;
            } else if (a == Keyword.EXCLUSIVE) {
                mode = 7;
                p += 1;
            } else if (a == Keyword.ACCESS && c == Keyword.EXCLUSIVE) {
                mode = 8;
                p += 2;
            } else {
                b.malformed = true;
            }
            if (!is(p, Keyword.MODE)) {
                b.malformed = true;
            }
            p++;
        }
        if (is(p, Keyword.NOWAIT)) {
            p++;
        }
        if (p < end) {
            b.malformed = true;
        }
        b.lockMode = mode;
    }

    // ---------------------------------------------------------------- prepared statements

    private void prepare() {
        b.kind = StatementKind.PREPARE;
        int p = from + 1;
        if (!tk.isWord(p) || p >= end) {
            b.malformed = true;
            return;
        }
        b.preparedName = Literals.identifier(tk, p);
        p++;
        if (isType(p, Tokens.LPAREN)) {
            int close = tk.match[p];
            if (close < 0 || close >= end) {
                b.malformed = true;
                return;
            }
            p = close + 1;
        }
        if (!is(p, Keyword.AS)) {
            b.malformed = true;
            return;
        }
        Statement inner = nested(p + 1, end);
        if (inner == null) {
            return;
        }
        // PreparableStmt: SELECT, INSERT, UPDATE, DELETE (MERGE since PostgreSQL 15)
        if (!inner.kind().selectFamily() && !inner.kind().dataModifying()) {
            b.malformed = true;
        }
    }

    private void execute() {
        b.kind = StatementKind.EXECUTE;
        int p = from + 1;
        if (!tk.isWord(p) || p >= end) {
            b.malformed = true;
            return;
        }
        b.preparedName = Literals.identifier(tk, p);
        if (isType(p + 1, Tokens.LPAREN)) {
            int close = tk.match[p + 1];
            if (close > p + 1 && close < end) {
                collectFunctionsOnly(new QueryScanner(tk, p + 1, close + 1, false, false, false).run());
                p = close;
            }
        }
        if (p + 1 < end) {
            b.malformed = true;
        }
    }

    private void collectFunctionsOnly(QueryScanner s) {
        b.functions = s.functionList();
        b.malformed |= s.malformed;
    }

    private void deallocate() {
        b.kind = StatementKind.DEALLOCATE;
        int p = from + 1;
        if (is(p, Keyword.PREPARE)) {
            p++;
        }
        if (is(p, Keyword.ALL)) {
            b.deallocateAll = true;
        } else if (tk.isWord(p) && p < end) {
            b.preparedName = Literals.identifier(tk, p);
        } else {
            b.malformed = true;
            return;
        }
        if (p + 1 < end) {
            b.malformed = true;
        }
    }

    private void discard() {
        b.kind = StatementKind.DISCARD;
        Keyword k = kw(from + 1);
        if (k == Keyword.ALL) {
            b.discardTarget = DiscardTarget.ALL;
        } else if (k == Keyword.TEMP || k == Keyword.TEMPORARY) {
            b.discardTarget = DiscardTarget.TEMP;
        } else if (k == Keyword.PLANS) {
            b.discardTarget = DiscardTarget.PLANS;
        } else if (k == Keyword.SEQUENCES) {
            b.discardTarget = DiscardTarget.SEQUENCES;
        } else {
            b.malformed = true;
            return;
        }
        if (from + 2 < end) {
            b.malformed = true;
        }
    }

    // ---------------------------------------------------------------- EXPLAIN and COPY

    private void explain() {
        b.kind = StatementKind.EXPLAIN;
        int p = from + 1;
        if (isType(p, Tokens.LPAREN)) {
            int close = tk.match[p];
            if (close < 0 || close >= end) {
                b.malformed = true;
                return;
            }
            // option list: name [value] [, ...]; Pgpool-II looks only for an option named analyze
            boolean optionStart = true;
            for (int k = p + 1; k < close; k++) {
                if (tk.type[k] == Tokens.COMMA) {
                    optionStart = true;
                    continue;
                }
                if (optionStart && (is(k, Keyword.ANALYZE) || is(k, Keyword.ANALYSE))) {
                    b.explainAnalyze = true;
                }
                optionStart = false;
                if (tk.type[k] == Tokens.LPAREN && tk.match[k] > k) {
                    k = tk.match[k];
                }
            }
            p = close + 1;
        } else {
            if (is(p, Keyword.ANALYZE) || is(p, Keyword.ANALYSE)) {
                b.explainAnalyze = true;
                p++;
            }
            if (is(p, Keyword.VERBOSE)) {
                p++;
            }
        }
        Statement inner = nested(p, end);
        if (inner == null) {
            return;
        }
        switch (inner.kind()) {
            case SELECT, VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE, DECLARE, CREATE, REFRESH, EXECUTE -> { }
            default -> b.malformed = true;
        }
    }

    private void copy() {
        b.kind = StatementKind.COPY;
        int p = from + 1;
        if (is(p, Keyword.BINARY)) {
            p++; // pre-9.0 syntax COPY BINARY table
        }
        if (isType(p, Tokens.LPAREN)) {
            int close = tk.match[p];
            if (close < 0 || close >= end) {
                b.malformed = true;
                return;
            }
            Statement inner = nested(p + 1, close);
            if (inner == null) {
                return;
            }
            if (!inner.kind().selectFamily() && !inner.kind().dataModifying()) {
                b.malformed = true;
            }
            p = close + 1;
        } else if (tk.isWord(p) && p < end) {
            int last = chainEnd(p);
            b.relations = List.of(qualified(p, last));
            p = last + 1;
            if (isType(p, Tokens.LPAREN) && tk.match[p] > p) {
                p = tk.match[p] + 1; // column list
            }
        } else {
            b.malformed = true;
            return;
        }
        if (is(p, Keyword.FROM)) {
            b.copyFrom = true;
            if (b.inner != null) {
                b.malformed = true; // COPY (query) FROM is a syntax error
            }
        } else if (is(p, Keyword.TO)) {
            // STDIN/STDOUT both mean "no file" to the grammar (CopyStmt.filename == NULL)
            b.copyToStdout = is(p + 1, Keyword.STDOUT) || is(p + 1, Keyword.STDIN);
        } else {
            b.malformed = true;
        }
    }

    /** Analyses the statement inside PREPARE/EXPLAIN/COPY and merges its facts. */
    private Statement nested(int innerFrom, int innerEnd) {
        if (innerFrom >= innerEnd || nesting >= MAX_NESTING) {
            b.malformed = true;
            return null;
        }
        Statement.Builder ib = new Statement.Builder();
        ib.text = tk.src.substring(tk.start[innerFrom], tk.end[innerEnd - 1]);
        ib.source = ib.text;
        parse(tk, innerFrom, innerEnd, nesting + 1, ib);
        Statement inner = ib.build();
        b.inner = inner;
        b.malformed |= inner.malformed();
        b.functions = inner.functions();
        b.relations = inner.relations();
        b.lockingClause |= inner.lockingClause();
        b.modifyingCte |= inner.modifyingCte();
        return inner;
    }

    // ---------------------------------------------------------------- transactions (strict)

    private void begin(int p) {
        b.kind = StatementKind.BEGIN;
        b.transactionMode = transactionModes(tk, p, end, b);
    }

    /**
     * {@code transaction_mode_list}: ISOLATION LEVEL ..., READ ONLY|WRITE, [NOT] DEFERRABLE,
     * separated by commas or spaces, from {@code p} to {@code end}. Anything else makes
     * {@code target} malformed.
     */
    static TransactionMode transactionModes(Tokens tk, int p, int end, Statement.Builder target) {
        boolean readOnly = false;
        boolean readWrite = false;
        boolean deferrable = false;
        boolean sawReadMode = false;
        IsolationLevel level = null;
        boolean needItem = false;
        while (p < end) {
            Keyword k = tk.keyword(p);
            Keyword a = p + 1 < end ? tk.keyword(p + 1) : null;
            Keyword c = p + 2 < end ? tk.keyword(p + 2) : null;
            Keyword d = p + 3 < end ? tk.keyword(p + 3) : null;
            if (k == Keyword.ISOLATION && a == Keyword.LEVEL) {
                if (c == Keyword.SERIALIZABLE) {
                    level = IsolationLevel.SERIALIZABLE;
                    p += 3;
                } else if (c == Keyword.REPEATABLE && d == Keyword.READ) {
                    level = IsolationLevel.REPEATABLE_READ;
                    p += 4;
                } else if (c == Keyword.READ && d == Keyword.COMMITTED) {
                    level = IsolationLevel.READ_COMMITTED;
                    p += 4;
                } else if (c == Keyword.READ && d == Keyword.UNCOMMITTED) {
                    level = IsolationLevel.READ_UNCOMMITTED;
                    p += 4;
                } else {
                    target.malformed = true;
                    break;
                }
            } else if (k == Keyword.READ && a == Keyword.ONLY) {
                readOnly = true;
                sawReadMode = true;
                p += 2;
            } else if (k == Keyword.READ && a == Keyword.WRITE) {
                readWrite = true;
                if (!sawReadMode) {
                    target.readWriteFirst = true; // Pgpool-II looks at the first read mode only
                }
                sawReadMode = true;
                p += 2;
            } else if (k == Keyword.DEFERRABLE) {
                deferrable = true;
                p++;
            } else if (k == Keyword.NOT && a == Keyword.DEFERRABLE) {
                p += 2;
            } else {
                target.malformed = true;
                break;
            }
            needItem = false;
            if (p < end && tk.type[p] == Tokens.COMMA) {
                p++;
                needItem = true;
            }
        }
        if (needItem) {
            target.malformed = true; // trailing comma
        }
        return new TransactionMode(readOnly, readWrite, level, deferrable);
    }

    private void endTransaction(StatementKind kind) {
        b.kind = kind;
        int p = skipOptionalTransaction(from + 1);
        if (is(p, Keyword.AND)) {
            p++;
            if (is(p, Keyword.NO)) {
                p++;
            }
            if (!is(p, Keyword.CHAIN)) {
                b.malformed = true;
            }
            p++;
        }
        if (p < end) {
            b.malformed = true;
        }
    }

    private void rollback() {
        if (is(from + 1, Keyword.PREPARED)) {
            gid(StatementKind.ROLLBACK_PREPARED);
            return;
        }
        int p = skipOptionalTransaction(from + 1);
        if (is(p, Keyword.TO)) {
            b.kind = StatementKind.ROLLBACK_TO;
            p++;
            if (is(p, Keyword.SAVEPOINT)) {
                p++;
            }
            expectNameThenEnd(p);
            return;
        }
        endTransaction(StatementKind.ROLLBACK);
    }

    /** PREPARE TRANSACTION 'gid', COMMIT PREPARED 'gid', ROLLBACK PREPARED 'gid'. */
    private void gid(StatementKind kind) {
        b.kind = kind;
        if (!isType(from + 2, Tokens.STRING) || from + 3 != end) {
            b.malformed = true;
        }
    }

    private int skipOptionalTransaction(int p) {
        return is(p, Keyword.WORK) || is(p, Keyword.TRANSACTION) ? p + 1 : p;
    }

    private void expectNameThenEnd(int p) {
        if (!tk.isWord(p) || p + 1 != end) {
            b.malformed = true;
        }
    }

    // ---------------------------------------------------------------- helpers

    private QualifiedName qualified(int first, int last) {
        int parts = (last - first) / 2 + 1;
        if (parts > 3) {
            b.malformed = true;
        }
        String name = Literals.identifier(tk, last);
        return parts == 1 ? new QualifiedName(null, name) : new QualifiedName(Literals.identifier(tk, last - 2), name);
    }
}
