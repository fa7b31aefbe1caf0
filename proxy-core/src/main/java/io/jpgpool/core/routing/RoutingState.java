package io.jpgpool.core.routing;

import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.sql.DiscardTarget;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A session's routing memory (SEMANTICS A.8, A.12): its load-balance node, whether the current transaction has
 * written or failed, its isolation, the temporary tables it created and where its SQL-level prepared statements
 * live. Owned by one session and changed only on its event loop.
 */
public final class RoutingState {
    private final String database;
    private final String applicationName;
    private final DisableLoadBalanceOnWrite mode;

    private int loadBalanceNode = -1;
    /** TSTATE(primary): the primary's transaction status as last reported (or predicted, extended protocol). */
    private byte primaryTxStatus = 'I';
    private boolean writingTransaction;
    private boolean failedTransaction;
    private boolean serializable;
    private boolean defaultSerializable;
    private boolean txStartedByMultiStatement;
    /**
     * The nodes the current transaction's BEGIN has not been sent to yet, though the client is in the transaction:
     * the load-balance standby until something goes there (streaming replication), and every node of a BEGIN
     * answered at once, until the transaction's first statement (see {@link #oweBegin}).
     */
    private long owedBeginNodes;
    private String owedBegin;
    /** The BEGIN a standby gets: plain {@code BEGIN} where A.12 rewrites it. */
    private String owedBeginForStandby;
    private final Set<String> tempTables = new HashSet<>();
    private final Map<String, Long> sqlPrepared = new HashMap<>();
    /** dml_adaptive (SEMANTICS A.9): inside a transaction opened by BEGIN, the tables written so far, lower case. */
    private boolean dmlAdaptiveTransaction;
    private final Set<String> dmlAdaptiveWritten = new HashSet<>();

    public RoutingState(String database, String applicationName, DisableLoadBalanceOnWrite mode) {
        this.database = database;
        this.applicationName = applicationName == null ? "" : applicationName;
        this.mode = mode;
    }

    public String database() {
        return database;
    }

    public String applicationName() {
        return applicationName;
    }

    public int loadBalanceNode() {
        return loadBalanceNode;
    }

    public void loadBalanceNode(int node) {
        this.loadBalanceNode = node;
    }

    public byte primaryTxStatus() {
        return primaryTxStatus;
    }

    public void primaryTxStatus(byte status) {
        this.primaryTxStatus = status;
    }

    public boolean writingTransaction() {
        return writingTransaction;
    }

    public boolean failedTransaction() {
        return failedTransaction;
    }

    public boolean serializable() {
        return serializable || defaultSerializable;
    }

    public boolean txStartedByMultiStatement() {
        return txStartedByMultiStatement;
    }

    /**
     * The nodes that owe the current transaction its BEGIN: the session sends it there before the first message
     * of the transaction for them. A transaction that never reaches a node costs that node nothing; one that does
     * sees the same transaction there as with an eager BEGIN, since PostgreSQL takes a transaction's snapshot at
     * its first statement, not at BEGIN.
     */
    public long owedBeginNodes() {
        return owedBeginNodes;
    }

    /** The BEGIN {@code node} owes: the client's text for the primary, the A.12 form for a standby. */
    public String owedBegin(int node, boolean primary) {
        return NodeSet.contains(owedBeginNodes, node) ? (primary ? owedBegin : owedBeginForStandby) : null;
    }

    /** These nodes owe the BEGIN that just succeeded (it was answered without them). */
    public void oweBegin(long nodes) {
        owedBeginNodes |= nodes;
    }

    /** The owed BEGIN went to {@code node}: its side of the transaction is open. */
    public void beginSent(int node) {
        owedBeginNodes = NodeSet.without(owedBeginNodes, node);
    }


    /** The server's default_transaction_isolation is serializable (learned when the primary connection opens). */
    public void defaultSerializable(boolean value) {
        this.defaultSerializable = value;
    }

    public boolean isTempTable(String name) {
        return tempTables.contains(name);
    }

    public Long sqlPreparedNodes(String name) {
        return sqlPrepared.get(name);
    }

    /** dml_adaptive: a BEGIN was routed and no COMMIT, ROLLBACK or ROLLBACK TO since. */
    public boolean inDmlAdaptiveTransaction() {
        return dmlAdaptiveTransaction;
    }

    /** dml_adaptive: the table was written (or counts as written) in this transaction. */
    public boolean dmlAdaptiveWritten(String table) {
        return dmlAdaptiveWritten.contains(table.toLowerCase(Locale.ROOT));
    }

    /** dml_adaptive: BEGIN opens the transaction with nothing written; COMMIT and ROLLBACK (TO) close it. */
    void dmlAdaptiveTransaction(boolean open) {
        dmlAdaptiveTransaction = open;
        dmlAdaptiveWritten.clear();
    }

    void dmlAdaptiveWrote(String table) {
        dmlAdaptiveWritten.add(table.toLowerCase(Locale.ROOT));
    }

    /** A transaction (or its lack) allows load balancing of a read (SEMANTICS A.4). */
    public boolean loadBalancePossible() {
        return primaryTxStatus == 'I' || (!writingTransaction && !failedTransaction && !serializable());
    }

    /** The session has written in a way that makes later reads go to the primary under {@code always}. */
    public boolean writingSession() {
        return writingTransaction;
    }

    /**
     * Records a statement that completed successfully, with {@code inTransaction} the primary's status afterwards
     * (simple protocol) or predicted at Execute (extended protocol; SEMANTICS A.13).
     */
    public void onSuccess(Statement st, RouteDecision decision, boolean inTransaction) {
        StatementKind kind = st.kind();
        switch (kind) {
            case BEGIN -> {
                resetWritingFlag();
                failedTransaction = false;
                serializable = st.setsSerializable();
                txStartedByMultiStatement = st.multiStatement();
                owedBegin = st.text().strip();
                owedBeginForStandby = st.beginNeedsRewriteForStandby() ? "BEGIN" : owedBegin;
                owedBeginNodes = decision.defersStandby() && loadBalanceNode >= 0
                        ? NodeSet.of(loadBalanceNode) : NodeSet.EMPTY;
            }
            case COMMIT, ROLLBACK, PREPARE_TRANSACTION -> endTransaction();
            case ROLLBACK_TO -> {
                // pgpool quirk kept on purpose: ROLLBACK TO clears the writing flag too (SEMANTICS A.8)
                resetWritingFlag();
                failedTransaction = false;
            }
            case SET -> {
                if (st.setsSerializable()) {
                    serializable = true;
                }
                markWrite(st, decision, inTransaction);
            }
            case CREATE -> {
                if (st.createdTempTable() != null) {
                    tempTables.add(st.createdTempTable().name());
                }
                markWrite(st, decision, inTransaction);
            }
            case DROP -> {
                st.droppedTables().forEach(t -> tempTables.remove(t.name()));
                markWrite(st, decision, inTransaction);
            }
            case PREPARE -> {
                if (st.preparedName() != null) {
                    sqlPrepared.put(st.preparedName(), decision.nodes());
                }
                markWrite(st, decision, inTransaction);
            }
            case DEALLOCATE -> {
                if (st.deallocateAll()) {
                    sqlPrepared.clear();
                } else if (st.preparedName() != null) {
                    sqlPrepared.remove(st.preparedName());
                }
            }
            case DISCARD -> {
                if (st.discardTarget() == DiscardTarget.ALL) {
                    sqlPrepared.clear();
                    tempTables.clear();
                } else if (st.discardTarget() == DiscardTarget.TEMP) {
                    tempTables.clear();
                }
            }
            case COMMIT_PREPARED, ROLLBACK_PREPARED -> {
            }
            default -> markWrite(st, decision, inTransaction);
        }
        if (st.multiStatement() && inTransaction && kind != StatementKind.BEGIN) {
            // a transaction opened inside a multi-statement string (e.g. "INSERT ...; BEGIN; ...")
            txStartedByMultiStatement = true;
        }
    }

    private void markWrite(Statement st, RouteDecision decision, boolean inTransaction) {
        if (!decision.write() || st.setsReadOnly()) {
            return;
        }
        switch (mode) {
            case TRANSACTION, TRANS_TRANSACTION -> {
                if (inTransaction) {
                    writingTransaction = true;
                }
            }
            case ALWAYS -> writingTransaction = true;
            // dml_adaptive tracks the tables written instead (SEMANTICS A.8, A.9)
            case OFF, DML_ADAPTIVE -> {
            }
        }
    }

    private void resetWritingFlag() {
        if (mode == DisableLoadBalanceOnWrite.TRANSACTION || mode == DisableLoadBalanceOnWrite.DML_ADAPTIVE) {
            writingTransaction = false;
        }
    }

    private void endTransaction() {
        resetWritingFlag();
        dmlAdaptiveTransaction(false);
        failedTransaction = false;
        serializable = false;
        txStartedByMultiStatement = false;
        owedBeginNodes = NodeSet.EMPTY;
    }

    /** An error reached the client while the primary was in a transaction (SEMANTICS A.12). */
    public void onError() {
        if (primaryTxStatus != 'I') {
            failedTransaction = true;
        }
    }

    /** The primary reported idle: whatever the statements said, no transaction is open any more. */
    public void onIdle() {
        endTransaction();
    }

    /** A pooled connection is reset for the next client: DISCARD ALL forgets everything. */
    public void reset() {
        tempTables.clear();
        sqlPrepared.clear();
        endTransaction();
        writingTransaction = false;
    }
}
