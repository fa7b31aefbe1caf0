package io.jpgpool.sql;

/**
 * The top-level command of a statement, roughly one per PostgreSQL raw statement node.
 *
 * <p>A leading {@code WITH} resolves to the main statement after the CTE list; a leading
 * {@code (} is {@link #SELECT}. {@code SET CONSTRAINTS} is {@link #OTHER}, because it is a
 * {@code ConstraintsSetStmt}, not the {@code VariableSetStmt} that Pgpool-II sends to both nodes.
 */
public enum StatementKind {
    SELECT, VALUES, TABLE,
    INSERT, UPDATE, DELETE, MERGE, COPY,
    /** {@code BEGIN}, {@code START TRANSACTION}. */
    BEGIN,
    /** {@code COMMIT}, {@code END}, with or without {@code AND [NO] CHAIN}. */
    COMMIT,
    /** {@code ROLLBACK}, {@code ABORT}. */
    ROLLBACK,
    /** {@code ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] name}. */
    ROLLBACK_TO,
    SAVEPOINT, RELEASE,
    PREPARE_TRANSACTION, COMMIT_PREPARED, ROLLBACK_PREPARED,
    SET, RESET, SHOW, DISCARD, LOCK,
    PREPARE, EXECUTE, DEALLOCATE,
    EXPLAIN, DECLARE, FETCH, MOVE, CLOSE,
    LISTEN, UNLISTEN, NOTIFY,
    VACUUM, ANALYZE, CHECKPOINT,
    CREATE, ALTER, DROP, TRUNCATE, GRANT, REVOKE, COMMENT,
    DO, CALL, REFRESH, CLUSTER, REINDEX,
    /** Any other command, including Pgpool-II's own {@code PGPOOL ...}. */
    OTHER,
    /** Nothing but whitespace, comments and semicolons. */
    EMPTY;

    /** SELECT, VALUES and TABLE are all a {@code SelectStmt} in the raw parse tree. */
    public boolean selectFamily() {
        return this == SELECT || this == VALUES || this == TABLE;
    }

    /** A data-modifying statement that can appear in a CTE or after {@code PREPARE}. */
    public boolean dataModifying() {
        return this == INSERT || this == UPDATE || this == DELETE || this == MERGE;
    }

    /** Any statement of the {@code TransactionStmt} family. */
    public boolean transactionControl() {
        return switch (this) {
            case BEGIN, COMMIT, ROLLBACK, ROLLBACK_TO, SAVEPOINT, RELEASE,
                 PREPARE_TRANSACTION, COMMIT_PREPARED, ROLLBACK_PREPARED -> true;
            default -> false;
        };
    }
}
