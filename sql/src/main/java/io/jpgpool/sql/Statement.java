package io.jpgpool.sql;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The routing facts of a SQL string: its <em>first</em> statement, plus facts about the whole
 * string ({@link #multiStatement()}, {@link #malformed()}, {@link #startsWithReadChar}).
 *
 * <p>Immutable; produced by {@link SqlAnalyzer#analyze(String)}. Accessors of facts that do not
 * apply to the statement's kind return false, null, 0, an empty list or an empty optional.
 */
public final class Statement {
    private final String source;
    private final String text;
    private final StatementKind kind;
    private final boolean multiStatement;
    private final boolean malformed;
    private final boolean selectInto;
    private final boolean nestedInto;
    private final boolean lockingClause;
    private final boolean modifyingCte;
    private final List<QualifiedName> functions;
    private final List<QualifiedName> relations;
    private final TransactionMode transactionMode;
    private final boolean readWriteFirst;
    private final SetCommand setCommand;
    private final int lockMode;
    private final String preparedName;
    private final Statement inner;
    private final boolean deallocateAll;
    private final DiscardTarget discardTarget;
    private final boolean explainAnalyze;
    private final boolean copyFrom;
    private final boolean copyToStdout;
    private final QualifiedName createdTempTable;
    private final QualifiedName createdUnloggedTable;
    private final List<QualifiedName> droppedTables;
    private final int terminateBackendPid;
    private final boolean hasTerminateBackendPid;
    private final String showName;
    /** Facts derived on demand, shared by every string of the same shape (see {@link StatementShape}). */
    private final Derived derived;

    /**
     * What is worked out from the text only when asked, once per shape: the tokens it depends on are never
     * constants, so strings that differ only in their constants share it. Races are benign (the same value).
     */
    private static final class Derived {
        QualifiedName writeTarget;
        boolean writeTargetKnown;
        byte readsClock; // 0 not known, 1 no, 2 yes
    }

    /** A copy with another source and first-statement text (see {@link StatementShape#bind}). */
    private Statement(Statement o, String source, String text) {
        this.source = source;
        this.text = text;
        this.kind = o.kind;
        this.multiStatement = o.multiStatement;
        this.malformed = o.malformed;
        this.selectInto = o.selectInto;
        this.nestedInto = o.nestedInto;
        this.lockingClause = o.lockingClause;
        this.modifyingCte = o.modifyingCte;
        this.functions = o.functions;
        this.relations = o.relations;
        this.transactionMode = o.transactionMode;
        this.readWriteFirst = o.readWriteFirst;
        this.setCommand = o.setCommand;
        this.lockMode = o.lockMode;
        this.preparedName = o.preparedName;
        this.inner = o.inner;
        this.deallocateAll = o.deallocateAll;
        this.discardTarget = o.discardTarget;
        this.explainAnalyze = o.explainAnalyze;
        this.copyFrom = o.copyFrom;
        this.copyToStdout = o.copyToStdout;
        this.createdTempTable = o.createdTempTable;
        this.createdUnloggedTable = o.createdUnloggedTable;
        this.droppedTables = o.droppedTables;
        this.terminateBackendPid = o.terminateBackendPid;
        this.hasTerminateBackendPid = o.hasTerminateBackendPid;
        this.showName = o.showName;
        this.derived = o.derived;
    }

    Statement withSource(String newSource, String newText) {
        return new Statement(this, newSource, newText);
    }

    /**
     * Whether some fact was read from a constant's value, so that a string differing only in its constants
     * could have other facts: SET and RESET (the values), a {@code pg_terminate_backend} call (the pid), an
     * inner statement (its text), SHOW, and anything malformed (the analysis stopped somewhere).
     */
    public boolean readsConstants() {
        if (setCommand != null || hasTerminateBackendPid || inner != null || malformed || multiStatement
                || kind == StatementKind.SHOW || kind == StatementKind.SET || kind == StatementKind.RESET) {
            return true;
        }
        for (QualifiedName f : functions) {
            if ("pg_terminate_backend".equals(f.name())) {
                return true;
            }
        }
        return false;
    }

    Statement(Builder b) {
        this.source = Objects.requireNonNull(b.source);
        this.text = b.text == null ? "" : b.text;
        this.kind = Objects.requireNonNull(b.kind);
        this.multiStatement = b.multiStatement;
        this.malformed = b.malformed;
        this.selectInto = b.selectInto;
        this.nestedInto = b.nestedInto;
        this.lockingClause = b.lockingClause;
        this.modifyingCte = b.modifyingCte;
        this.functions = List.copyOf(b.functions);
        this.relations = List.copyOf(b.relations);
        this.transactionMode = b.transactionMode;
        this.readWriteFirst = b.readWriteFirst;
        this.setCommand = b.setCommand;
        this.lockMode = b.lockMode;
        this.preparedName = b.preparedName;
        this.inner = b.inner;
        this.deallocateAll = b.deallocateAll;
        this.discardTarget = b.discardTarget;
        this.explainAnalyze = b.explainAnalyze;
        this.copyFrom = b.copyFrom;
        this.copyToStdout = b.copyToStdout;
        this.createdTempTable = b.createdTempTable;
        this.createdUnloggedTable = b.createdUnloggedTable;
        this.droppedTables = List.copyOf(b.droppedTables);
        this.terminateBackendPid = b.terminateBackendPid;
        this.hasTerminateBackendPid = b.hasTerminateBackendPid;
        this.showName = b.showName;
        this.derived = new Derived();
    }

    /**
     * The table an INSERT writes, or an UPDATE (the one whose clock defaults native replication's rewrite
     * needs); null for other statements and multi-statement strings.
     */
    public QualifiedName writeTarget() {
        Derived d = derived;
        if (!d.writeTargetKnown) {
            d.writeTarget = (kind == StatementKind.INSERT || kind == StatementKind.UPDATE) && !multiStatement
                    ? TimestampRewriter.target(text) : null;
            d.writeTargetKnown = true;
        }
        return d.writeTarget;
    }

    /** Whether the text reads the clock (now(), CURRENT_TIMESTAMP...: {@link TimestampRewriter#readsClock}). */
    public boolean textReadsClock() {
        Derived d = derived;
        if (d.readsClock == 0) {
            d.readsClock = TimestampRewriter.readsClock(text) ? (byte) 2 : (byte) 1;
        }
        return d.readsClock == 2;
    }

    /** The whole string as the client sent it (primary_routing_query_pattern_list matches this, SEMANTICS A.4). */
    public String source() {
        return source;
    }

    /** The first statement's text, without its terminating semicolon and surrounding whitespace. */
    public String text() {
        return text;
    }

    public StatementKind kind() {
        return kind;
    }

    /** More than one non-empty statement in the string: Pgpool-II never load balances it (SEMANTICS A.2). */
    public boolean multiStatement() {
        return multiStatement;
    }

    /** Only whitespace, comments and semicolons: Pgpool-II treats it as a read (SEMANTICS A.1.4). */
    public boolean empty() {
        return kind == StatementKind.EMPTY && !malformed;
    }

    /**
     * Unterminated string, identifier, dollar quote or comment, unbalanced brackets, a stray
     * character, or a statement whose shape the analyzer knows to be a syntax error. Pgpool-II
     * cannot parse such a string and routes it as a write (SEMANTICS A.1.5).
     */
    public boolean malformed() {
        return malformed;
    }

    /** A {@code SELECT ... INTO} of the main (top-level) query. */
    public boolean selectInto() {
        return selectInto;
    }

    /** {@code FOR UPDATE|NO KEY UPDATE|SHARE|KEY SHARE} anywhere, subqueries included. */
    public boolean lockingClause() {
        return lockingClause;
    }

    /** A CTE whose body is INSERT/UPDATE/DELETE/MERGE (SEMANTICS A.2). */
    public boolean modifyingCte() {
        return modifyingCte;
    }

    /**
     * Every call that is a {@code FuncCall} node of the raw parse tree, in order of first
     * appearance, without duplicates. Aggregates and window functions count; SQL-syntax forms that
     * the grammar turns into calls appear under their {@code pg_catalog} names
     * ({@code EXTRACT} as {@code pg_catalog.extract}, {@code TRIM} as {@code pg_catalog.btrim},
     * {@code x AT TIME ZONE y} as {@code pg_catalog.timezone}, ...). {@code COALESCE},
     * {@code NULLIF}, {@code GREATEST}, {@code LEAST}, {@code CAST}, {@code ROW}, {@code ARRAY},
     * {@code EXISTS}, {@code GROUPING}, the {@code XML*} constructors and
     * {@code CURRENT_TIMESTAMP}-style SQL value functions are not calls; nor are type modifiers
     * such as {@code varchar(10)}.
     */
    public List<QualifiedName> functions() {
        return functions;
    }

    /**
     * Relations the statement reads or writes (FROM/JOIN items, DML targets, {@code TABLE x},
     * COPY/LOCK/TRUNCATE targets, {@code SELECT INTO} targets), subqueries included, in order of
     * first appearance, without duplicates. Names of CTEs defined in the statement are left out.
     */
    public List<QualifiedName> relations() {
        return relations;
    }

    /**
     * The mode list of {@code BEGIN}/{@code START TRANSACTION} ({@link TransactionMode#NONE}
     * when empty) or of {@code SET [SESSION CHARACTERISTICS AS] TRANSACTION}; else null.
     */
    public TransactionMode transactionMode() {
        return transactionMode;
    }

    /**
     * {@code BEGIN}/{@code START TRANSACTION} with {@code READ WRITE} or
     * {@code ISOLATION LEVEL SERIALIZABLE}: standbys must receive a plain {@code BEGIN}
     * (SEMANTICS A.12). As in Pgpool-II, only the first read-only/read-write option counts.
     */
    public boolean beginNeedsRewriteForStandby() {
        return kind == StatementKind.BEGIN && transactionMode != null
                && (readWriteFirst || transactionMode.serializable());
    }

    /** The {@code SET}/{@code RESET} details, else null. */
    public SetCommand setCommand() {
        return setCommand;
    }

    /** See {@link SetCommand#setsTransactionReadWrite()}; false for other statements. */
    public boolean setsTransactionReadWrite() {
        return setCommand != null && setCommand.setsTransactionReadWrite();
    }

    /** See {@link SetCommand#setsSerializable()}; false for other statements. */
    public boolean setsSerializable() {
        return setCommand != null && setCommand.setsSerializable();
    }

    /** See {@link SetCommand#setsReadOnly()}; false for other statements. */
    public boolean setsReadOnly() {
        return setCommand != null && setCommand.setsReadOnly();
    }

    /** For LOCK: 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE, also the default); else 0. */
    public int lockMode() {
        return lockMode;
    }

    /** The statement name of PREPARE, EXECUTE and DEALLOCATE (null for DEALLOCATE ALL). */
    public String preparedName() {
        return preparedName;
    }

    /** The statement inside PREPARE, EXPLAIN or {@code COPY (query)}; else null. */
    public Statement inner() {
        return inner;
    }

    public boolean deallocateAll() {
        return deallocateAll;
    }

    public DiscardTarget discardTarget() {
        return discardTarget;
    }

    /** EXPLAIN with ANALYZE, in either syntax; like Pgpool-II, {@code (ANALYZE false)} counts too. */
    public boolean explainAnalyze() {
        return explainAnalyze;
    }

    public boolean copyFrom() {
        return copyFrom;
    }

    /** {@code COPY ... TO STDOUT}: no file and no program. */
    public boolean copyToStdout() {
        return copyToStdout;
    }

    /** {@code COPY (query) TO ...}; the query is {@link #inner()}. */
    public boolean copyQuery() {
        return kind == StatementKind.COPY && inner != null;
    }

    /** The table of {@code CREATE TEMP TABLE} (also {@code ... AS}, and {@code SELECT ... INTO TEMP}), else null. */
    public QualifiedName createdTempTable() {
        return createdTempTable;
    }

    /** The table of {@code CREATE UNLOGGED TABLE}, else null. */
    public QualifiedName createdUnloggedTable() {
        return createdUnloggedTable;
    }

    /** The tables of {@code DROP TABLE}. */
    public List<QualifiedName> droppedTables() {
        return droppedTables;
    }

    /**
     * The integer constant given to the first {@code pg_terminate_backend(...)} call of a
     * SELECT-family statement whose first argument is one (SEMANTICS A.4).
     */
    public OptionalInt terminateBackendPid() {
        return hasTerminateBackendPid ? OptionalInt.of(terminateBackendPid) : OptionalInt.empty();
    }

    /** For SHOW: the parameter, lower case ({@code all}, {@code pool_nodes}, {@code timezone}, ...). */
    public String showName() {
        return showName;
    }

    /**
     * Pgpool-II's syntactic "is a read" test (SEMANTICS A.3) without the first-character test
     * ({@link #startsWithReadChar}) and without the writing-function check: a SELECT-family
     * statement without INTO, locking clause or data-modifying CTE; {@code COPY ... TO STDOUT} of
     * a table or of such a query; EXPLAIN without ANALYZE; EXPLAIN ANALYZE of a syntactic read;
     * SHOW; the empty query. Never true for a malformed string, nor for PREPARE (4.3).
     */
    public boolean syntacticRead() {
        if (malformed) {
            return false;
        }
        return switch (kind) {
            case SELECT, VALUES, TABLE -> !selectInto && !nestedInto && !lockingClause && !modifyingCte;
            case EMPTY, SHOW -> true;
            case COPY -> copyToStdout && (inner == null || (inner.kind.selectFamily() && inner.syntacticRead()));
            case EXPLAIN -> !explainAnalyze || (inner != null && inner.syntacticRead());
            default -> false;
        };
    }

    /**
     * Pgpool-II's first-character test applied when {@code allow_sql_comments = off}
     * (SEMANTICS A.3, A.11): the whole string, after leading whitespace if
     * {@code ignoreLeadingWhiteSpace}, starts with one of {@code s S ( w W t T} or {@code ;}, or
     * is empty. A leading comment therefore fails it.
     */
    public boolean startsWithReadChar(boolean ignoreLeadingWhiteSpace) {
        int i = 0;
        if (ignoreLeadingWhiteSpace) {
            while (i < source.length() && isCSpace(source.charAt(i))) {
                i++;
            }
        }
        if (i >= source.length()) {
            return true;
        }
        return switch (source.charAt(i)) {
            case 's', 'S', '(', 'w', 'W', 't', 'T', ';' -> true;
            default -> false;
        };
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Statement[").append(kind);
        if (malformed) {
            sb.append(", malformed");
        }
        if (multiStatement) {
            sb.append(", multi");
        }
        if (selectInto) {
            sb.append(", into");
        }
        if (lockingClause) {
            sb.append(", locking");
        }
        if (modifyingCte) {
            sb.append(", modifyingCte");
        }
        if (!functions.isEmpty()) {
            sb.append(", functions=").append(functions);
        }
        if (!relations.isEmpty()) {
            sb.append(", relations=").append(relations);
        }
        if (transactionMode != null) {
            sb.append(", ").append(transactionMode);
        }
        if (setCommand != null) {
            sb.append(", ").append(setCommand);
        }
        if (inner != null) {
            sb.append(", inner=").append(inner);
        }
        return sb.append(", text=").append(text).append(']').toString();
    }

    /** Mutable collector used by the analyzer. */
    static final class Builder {
        String source;
        String text;
        StatementKind kind = StatementKind.OTHER;
        boolean multiStatement;
        boolean malformed;
        boolean selectInto;
        boolean nestedInto;
        boolean lockingClause;
        boolean modifyingCte;
        List<QualifiedName> functions = List.of();
        List<QualifiedName> relations = List.of();
        TransactionMode transactionMode;
        boolean readWriteFirst;
        SetCommand setCommand;
        int lockMode;
        String preparedName;
        Statement inner;
        boolean deallocateAll;
        DiscardTarget discardTarget;
        boolean explainAnalyze;
        boolean copyFrom;
        boolean copyToStdout;
        QualifiedName createdTempTable;
        QualifiedName createdUnloggedTable;
        List<QualifiedName> droppedTables = List.of();
        int terminateBackendPid;
        boolean hasTerminateBackendPid;
        String showName;

        Statement build() {
            return new Statement(this);
        }
    }
}
