package io.jpgpool.core.replication;

import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How native replication mode runs a statement on several nodes (SEMANTICS B.2): in which order, whether it
 * is wrapped in an internal transaction, which errors of the main node the others must repeat, and how a
 * CommandComplete counts rows. Plain functions of the statements.
 */
public final class NativeRules {
    /** pgpool's check_errors: a main node that failed so must make the others fail the same way. */
    private static final Set<String> REPEATED_ERRORS = Set.of("40P01", "40001", "25001", "57014");
    /** Statements PostgreSQL refuses inside a transaction block. */
    private static final Pattern OUTSIDE_TRANSACTION = Pattern.compile(
            "(?is)^\\s*(?:(?:create|drop)\\s+(?:unique\\s+)?index\\s+concurrently\\b"
                    + "|(?:create|drop)\\s+(?:database|tablespace)\\b"
                    + "|reindex\\s+(?:\\(.*?\\)\\s*)?(?:database|system|(?:index|table|schema)\\s+concurrently)\\b"
                    + "|alter\\s+system\\b|vacuum\\b|cluster\\s*;?\\s*$|create\\s+subscription\\b"
                    + "|drop\\s+subscription\\b|alter\\s+subscription\\b)");

    private NativeRules() {
    }

    /** The order the nodes run a statement in. */
    public enum Order {
        /**
         * The main node first, and the others only once it has answered (B.2 step 3): locks are taken in the
         * same order on every node, so that sessions never deadlock across nodes.
         */
        MAIN_FIRST,
        /** COMMIT and ROLLBACK: the other nodes first, the main node last (B.2 step 6). */
        OTHERS_FIRST,
        /** Statements that take no lock (BEGIN, SET, SAVEPOINT...): every node at once. */
        ALL_AT_ONCE
    }

    /** The order of a unit of statements (a simple Query, or the statements of one extended-protocol batch). */
    public static Order order(List<Statement> statements) {
        boolean lockFree = true;
        for (Statement st : statements) {
            if (endsTransaction(st)) {
                return Order.OTHERS_FIRST;
            }
            lockFree &= takesNoLock(st);
        }
        return lockFree ? Order.ALL_AT_ONCE : Order.MAIN_FIRST;
    }

    private static boolean endsTransaction(Statement st) {
        return !st.multiStatement() && switch (st.kind()) {
            case COMMIT, ROLLBACK, COMMIT_PREPARED, ROLLBACK_PREPARED, PREPARE_TRANSACTION -> true;
            default -> false;
        };
    }

    private static boolean takesNoLock(Statement st) {
        if (st.multiStatement() || st.malformed()) {
            return false;
        }
        return switch (st.kind()) {
            case BEGIN, SAVEPOINT, RELEASE, ROLLBACK_TO, SET, RESET, SHOW, DISCARD, DEALLOCATE, EMPTY,
                 LISTEN, UNLISTEN -> true;
            default -> false;
        };
    }

    /**
     * Whether statements sent to several nodes outside a transaction must be wrapped in an internal one, so
     * that every node commits them or none does (B.2 step 1): statements that write, and that PostgreSQL
     * lets run in a transaction block; not transaction control itself.
     */
    public static boolean needsInternalTransaction(List<Statement> statements) {
        boolean writes = false;
        for (Statement st : statements) {
            if (st.multiStatement() || st.kind().transactionControl() || !runsInTransactionBlock(st)) {
                return false;
            }
            writes |= !takesNoLock(st);
        }
        return writes;
    }

    /** False for VACUUM, CREATE DATABASE, CREATE INDEX CONCURRENTLY and the others PostgreSQL refuses in one. */
    public static boolean runsInTransactionBlock(Statement st) {
        if (st.kind() == StatementKind.VACUUM) {
            return false;
        }
        return !OUTSIDE_TRANSACTION.matcher(st.text()).find();
    }

    /** An error of the main node the other nodes must be made to repeat (deadlock, serialization, cancel...). */
    public static boolean repeatedOnOthers(String sqlState) {
        return sqlState != null && REPEATED_ERRORS.contains(sqlState);
    }

    /** The rows of an INSERT, UPDATE or DELETE CommandComplete tag (B.5); empty for any other tag. */
    public static OptionalLong affectedTuples(String tag) {
        if (tag == null) {
            return OptionalLong.empty();
        }
        String[] words = tag.trim().split(" ");
        String command = words[0].toUpperCase(Locale.ROOT);
        int expected = command.equals("INSERT") ? 3 : 2;
        if (!(command.equals("INSERT") || command.equals("UPDATE") || command.equals("DELETE"))
                || words.length != expected) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(words[words.length - 1]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
