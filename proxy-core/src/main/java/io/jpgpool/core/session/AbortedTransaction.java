package io.jpgpool.core.session;

import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.sql.Statement;

/**
 * A simple Query in a failed transaction is answered by jpgpool, as Pgpool-II answers it
 * (check_transaction_state_and_abort): PostgreSQL's 25P02 error with the statement as a DETAIL, without sending
 * it to a node. The statements that end the failed transaction (or go back to a savepoint) still go through.
 */
final class AbortedTransaction {
    private AbortedTransaction() {
    }

    /** Whether the statement is refused here: the client's transaction has failed and it does not end it. */
    static boolean refuses(byte clientTxStatus, Statement st) {
        if (clientTxStatus != ReadyForQuery.FAILED_TRANSACTION) {
            return false;
        }
        return switch (st.kind()) {
            // PREPARE TRANSACTION too: PostgreSQL rolls the failed transaction back (Pgpool-II refuses it)
            case COMMIT, ROLLBACK, ROLLBACK_TO, PREPARE_TRANSACTION -> false;
            default -> true;
        };
    }

    /** The error the client gets, with the text it sent. */
    static ErrorResponse error(String sql) {
        return ErrorResponse.error(SqlState.IN_FAILED_SQL_TRANSACTION,
                "current transaction is aborted, commands ignored until end of transaction block",
                "statement: " + sql);
    }
}
