package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.replication.NativeRules;
import io.jpgpool.core.replication.ReplicationVote;
import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.SqlState;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.FrontendTag;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of client work that native replication mode runs on several nodes (SEMANTICS B.2-B.5): a simple
 * Query, or the messages of an extended-protocol batch up to its Sync. It runs on the main node first and on
 * the others once the main node has answered (COMMIT and ROLLBACK the other way round, statements that take no
 * lock everywhere at once), wrapped in an internal transaction when it writes outside one. The main node's
 * answer is held until every node has answered; then the kinds of the answers and the rows of INSERT, UPDATE
 * and DELETE are compared, and the minority is detached by majority vote. Only then does the client see the
 * main node's answer, an XX001 error instead of it, or a FATAL.
 */
final class NativeUnit {
    private static final Logger LOG = LoggerFactory.getLogger(NativeUnit.class);
    /** What a node that must fail as the main node did is sent (a syntax error: it fails on every node). */
    static final String FAILING_STATEMENT = "jpgpool: the main node failed this statement";

    /**
     * One client message of the unit; {@code forOthers}, when there is one, makes the message the other nodes
     * get from the main node's clock (its transaction time as text, {@code 2026-12-02 10:00:00.000000+00}:
     * SEMANTICS B.8). {@code cache}, when there is one, is the query cache's view of its answer.
     */
    record Message(byte kind, ByteBuf frame, String logText, Function<String, ByteBuf> forOthers, long only,
                   CacheHandle cache) {
        Message(byte kind, ByteBuf frame, String logText) {
            this(kind, frame, logText, null, NodeSet.EMPTY, null);
        }

        Message(byte kind, ByteBuf frame, String logText, Function<String, ByteBuf> forOthers) {
            this(kind, frame, logText, forOthers, NodeSet.EMPTY, null);
        }

        /** The nodes of the unit that get this message: all of them, unless {@code only} says otherwise. */
        long on(long set) {
            return only == NodeSet.EMPTY ? set : set & only;
        }
    }

    /** What the main node is asked for its transaction time: text any DateStyle reads back. */
    static final String CLOCK_QUERY = "SELECT pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC', "
            + "'YYYY-MM-DD HH24:MI:SS.US') || '+00' /* jpgpool: the time every node stores */";

    /** What a request of the unit is for. */
    private enum Role { BODY, INTERNAL }

    /** The context of the unit's requests: the session hands their completion back to the unit. */
    record Part(NativeUnit unit, Role role) {
    }

    private enum Step { FIRST, SECOND, FINISH_COMMIT_OTHERS, FINISH_COMMIT_MAIN, ABORT, DONE }

    private final ClientSession session;
    private final ProxyRuntime rt;
    private final List<Message> messages;
    private final List<Statement> statements;
    private final String queryText;
    /** The nodes the unit runs on; one lost while it runs leaves the set (see {@link #lose}). */
    private long nodes;
    private final int main;
    private final NativeRules.Order order;
    private final boolean internalTransaction;
    /** Statements the main node runs before the unit: the insert locks (SEMANTICS B.7). */
    private final List<String> mainLocks;
    private final boolean needsClock;
    private Request clockRequest;
    private String clock;
    /** The requests of the unit's own messages (and of the failing statement), on whichever nodes they ran. */
    private final List<Request> body = new ArrayList<>();
    private Step step = Step.FIRST;
    private int pending;
    private ErrorResponse tuplesError;
    private boolean closeAfter;

    NativeUnit(ClientSession session, ProxyRuntime rt, List<Message> messages, List<Statement> statements,
            String queryText, long nodes, int main, List<String> mainLocks) {
        this.session = session;
        this.rt = rt;
        this.messages = messages;
        this.statements = statements;
        this.queryText = queryText;
        this.nodes = nodes;
        this.main = main;
        this.mainLocks = mainLocks;
        this.needsClock = messages.stream().anyMatch(m -> m.forOthers() != null);
        // what reads the clock must run on the main node first, whose time the others then get
        this.order = needsClock && NativeRules.order(statements) == NativeRules.Order.ALL_AT_ONCE
                ? NativeRules.Order.MAIN_FIRST : NativeRules.order(statements);
        this.internalTransaction = order == NativeRules.Order.MAIN_FIRST
                && session.mainTxStatus() == ReadyForQuery.IDLE && NativeRules.needsInternalTransaction(statements);
    }

    /** Sends the first part: the main node, the others (COMMIT), or every node. */
    void start() {
        long others = nodes & ~NodeSet.of(main);
        switch (order) {
            case MAIN_FIRST -> sendBody(NodeSet.of(main), false);
            case OTHERS_FIRST -> sendBody(others, false);
            case ALL_AT_ONCE -> sendBody(nodes, false);
        }
        session.backends().flush();
    }

    /** A request of the unit is complete on its nodes (called in the order they were sent). */
    void partDone(Request r) {
        if (r.isSyncPoint()) {
            session.applyReadyStatus(r);
        }
        if (--pending > 0) {
            return;
        }
        switch (step) {
            case FIRST -> afterFirst();
            case SECOND -> verdict();
            case FINISH_COMMIT_OTHERS -> commitMain();
            case FINISH_COMMIT_MAIN, ABORT -> finish();
            case DONE -> {
            }
        }
    }

    /** The main node (or the others, for COMMIT) has answered: the rest of the nodes run it now. */
    private void afterFirst() {
        long others = nodes & ~NodeSet.of(main);
        if (order == NativeRules.Order.ALL_AT_ONCE || others == 0) {
            verdict();
            return;
        }
        step = Step.SECOND;
        if (order == NativeRules.Order.OTHERS_FIRST) {
            sendBody(NodeSet.of(main), false);
        } else {
            ErrorResponse e = firstError(main);
            // a deadlock, serialization failure or cancel on the main node: the others fail as well (B.2.4)
            sendBody(others, e != null && NativeRules.repeatedOnOthers(e.sqlState()));
        }
        session.backends().flush();
    }

    /** A COPY FROM STDIN started on the main node: the others start it too, and the client's data goes to all. */
    long copyStarted() {
        if (step == Step.FIRST && order == NativeRules.Order.MAIN_FIRST) {
            // the main node's COPY completes only after the client's data: the others start theirs now
            step = Step.SECOND;
            sendBody(nodes & ~NodeSet.of(main), false);
            session.backends().flush();
        }
        return nodes;
    }

    private void sendBody(long set, boolean failing) {
        session.owedBegins().send(set); // a BEGIN answered at once goes with the transaction's first unit
        boolean withMain = NodeSet.contains(set, main);
        if (internalTransaction) {
            sendInternal(set, "BEGIN");
        }
        if (withMain) {
            for (String lock : mainLocks) {
                sendInternal(NodeSet.of(main), lock);
            }
            if (needsClock && session.units().transactionClock() == null) {
                clockRequest = query(NodeSet.of(main), CLOCK_QUERY, Role.INTERNAL, false);
                clockRequest.capture = true;
            }
        } else if (needsClock) {
            takeClock();
        }
        if (failing) {
            body.add(query(set, FAILING_STATEMENT, Role.BODY, withMain));
            return;
        }
        for (Message m : messages) {
            long targets = m.on(set);
            if (targets == NodeSet.EMPTY) {
                continue;
            }
            for (int n = NodeSet.next(targets, 0); n >= 0; n = NodeSet.next(targets, n + 1)) {
                boolean rewritten = n != main && m.forOthers() != null;
                session.sendTo(n, rewritten ? m.forOthers().apply(clock) : m.frame().retainedDuplicate(),
                        rewritten ? m.logText() + " /* with the main node's time */" : m.logText());
            }
            if (m.kind() == FrontendTag.FLUSH) {
                continue; // nothing answers a Flush
            }
            boolean shown = NodeSet.contains(targets, main);
            Request r = new Request(m.kind(), targets, shown ? main : -1, !shown, new Part(this, Role.BODY),
                    session.nodes()).recording(session.nodes());
            r.hold = shown;
            r.cache = m.cache();
            add(r);
            body.add(r);
        }
    }

    private void sendInternal(long set, String sql) {
        query(set, sql, Role.INTERNAL, false);
    }

    /** The main node's transaction time, from its answer (kept for the rest of an explicit transaction). */
    private void takeClock() {
        if (clock != null) {
            return;
        }
        clock = session.units().transactionClock();
        if (clock == null && clockRequest != null && clockRequest.buffered != null) {
            for (ByteBuf f : clockRequest.buffered) {
                if (f.getByte(f.readerIndex()) == BackendTag.DATA_ROW) {
                    clock = firstValue(f);
                }
            }
            clockRequest.releaseBuffers();
        }
        if (clock == null) {
            LOG.warn("the main node did not tell its time; the other nodes get jpgpool's");
            clock = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()) + "+00";
        }
        session.units().transactionClock(clock);
    }

    private static String firstValue(ByteBuf dataRow) {
        ByteBuf b = dataRow.duplicate().skipBytes(7); // tag, length, column count
        int len = b.readInt();
        return len < 0 ? "" : b.readCharSequence(len, java.nio.charset.StandardCharsets.UTF_8).toString();
    }

    /** A simple Query of jpgpool's own to every node of the set. */
    private Request query(long set, String sql, Role role, boolean withMain) {
        for (int n = NodeSet.next(set, 0); n >= 0; n = NodeSet.next(set, n + 1)) {
            ByteBuf msg = session.out().alloc().buffer();
            new Query(sql).encode(msg);
            session.sendTo(n, msg, sql);
        }
        Request r = new Request(FrontendTag.QUERY, set, withMain ? main : -1, !withMain, new Part(this, role),
                session.nodes());
        if (role == Role.BODY) {
            r.recording(session.nodes());
            r.hold = withMain;
        }
        add(r);
        return r;
    }

    private void add(Request r) {
        pending++;
        session.queue().add(r);
    }

    // ------------------------------------------------------------------ the vote

    private void verdict() {
        long voters = NodeSet.EMPTY;
        for (int n = NodeSet.next(nodes, 0); n >= 0; n = NodeSet.next(nodes, n + 1)) {
            if (session.backends().has(n)) {
                voters = NodeSet.with(voters, n);
            }
        }
        char[] kinds = new char[session.nodes()];
        for (int n = NodeSet.next(voters, 0); n >= 0; n = NodeSet.next(voters, n + 1)) {
            kinds[n] = firstError(n) != null ? 'E' : kindOf(n);
        }
        ReplicationVote.Result kindVote = ReplicationVote.kinds(voters, n -> kinds[n], main,
                session.nodes());
        if (!kindVote.unanimous()) {
            kindMismatch(voters, kindVote, kinds);
            return;
        }
        if (kinds[main] == 'C' && tuplesDiffer(voters)) {
            tuplesMismatch(voters);
            return;
        }
        if (internalTransaction) {
            commitOthers();
        } else {
            finish();
        }
    }

    /** What a node answered to the unit's messages, in order. */
    private List<NodeOutcome> outcomes(int node) {
        List<NodeOutcome> list = new ArrayList<>(body.size());
        for (Request r : body) {
            if (NodeSet.contains(r.targets, node) && r.outcomes != null && r.outcomes[node] != null) {
                list.add(r.outcomes[node]);
            }
        }
        return list;
    }

    private NodeOutcome outcome(Request r, int node) {
        return NodeSet.contains(r.targets, node) && r.outcomes != null ? r.outcomes[node] : null;
    }

    private ErrorResponse firstError(int node) {
        for (Request r : body) {
            NodeOutcome o = outcome(r, node);
            if (o != null && o.error != null) {
                return o.error;
            }
        }
        return null;
    }

    private char kindOf(int node) {
        char k = 'C';
        for (Request r : body) {
            NodeOutcome o = outcome(r, node);
            if (o != null && o.kind() == 'I') {
                k = 'I';
            }
        }
        return k;
    }

    private List<String> tags(int node) {
        List<String> tags = new ArrayList<>();
        for (NodeOutcome o : outcomes(node)) {
            tags.addAll(o.tags);
        }
        return tags;
    }

    /** B.5: any INSERT/UPDATE/DELETE of the unit counted other rows on some node than on the main node. */
    private boolean tuplesDiffer(long voters) {
        return affectedVote(voters) != null;
    }

    /** The first statement whose counts differ, as (index, each node's count); null when they all agree. */
    private long[] affectedVote(long voters) {
        List<String> mainTags = tags(main);
        List<List<String>> tagsOf = new ArrayList<>(session.nodes());
        for (int n = 0; n < session.nodes(); n++) {
            tagsOf.add(NodeSet.contains(voters, n) ? tags(n) : List.of());
        }
        for (int i = 0; i < mainTags.size(); i++) {
            OptionalLong mainCount = NativeRules.affectedTuples(mainTags.get(i));
            if (mainCount.isEmpty()) {
                continue;
            }
            long[] counts = new long[session.nodes() + 1];
            boolean differ = false;
            for (int n = 0; n < session.nodes(); n++) {
                counts[n] = -1;
                if (NodeSet.contains(voters, n)) {
                    List<String> t = tagsOf.get(n);
                    counts[n] = i < t.size() ? NativeRules.affectedTuples(t.get(i)).orElse(-1) : -1;
                    differ |= counts[n] != mainCount.getAsLong();
                }
            }
            if (differ) {
                counts[session.nodes()] = i;
                return counts;
            }
        }
        return null;
    }

    /** B.4: the FATAL naming each node's kind; the minority is detached with replication_stop_on_mismatch. */
    private void kindMismatch(long voters, ReplicationVote.Result vote, char[] kinds) {
        StringBuilder details = new StringBuilder();
        for (int n = NodeSet.next(voters, 0); n >= 0; n = NodeSet.next(voters, n + 1)) {
            ErrorResponse e = firstError(n);
            details.append(details.length() == 0 ? "" : " ").append(n).append('[')
                    .append(e != null ? "E: " + e.message() : String.valueOf(kinds[n])).append(']');
        }
        for (int n = NodeSet.next(vote.minority(), 0); n >= 0; n = NodeSet.next(vote.minority(), n + 1)) {
            LOG.warn("packet kind of backend {} ['{}'] does not match with main/majority nodes packet kind ['{}']",
                    n, kinds[n], vote.trusted());
        }
        if (rt.config().replicationStopOnMismatch()) {
            detach(vote.minority(), "kind mismatch (replication_stop_on_mismatch): statement \"" + queryText
                    + "\", answers " + details);
        }
        releaseAll();
        step = Step.DONE;
        session.sendFatal(ErrorResponse.of(BackendTag.ERROR_RESPONSE, "FATAL", SqlState.INTERNAL_ERROR,
                "failed to read kind from backend",
                "kind mismatch among backends. Possible last query was: \"" + queryText + "\" kind details are: "
                        + details, "check data consistency among db nodes"));
    }

    /** B.5: XX001 instead of the CommandComplete; a vote detaches the minority, or every node rolls back. */
    private void tuplesMismatch(long voters) {
        long[] counts = affectedVote(voters);
        StringBuilder each = new StringBuilder();
        for (int n = NodeSet.next(voters, 0); n >= 0; n = NodeSet.next(voters, n + 1)) {
            each.append(each.length() == 0 ? "" : ", ").append("node ").append(n).append(": ").append(counts[n]);
        }
        LOG.warn("pgpool detected difference of the number of inserted, updated or deleted tuples ({}) for \"{}\"",
                each, queryText);
        tuplesError = ErrorResponse.of(BackendTag.ERROR_RESPONSE, "ERROR", "XX001",
                "pgpool detected difference of the number of inserted, updated or deleted tuples. Possible last "
                        + "query was: \"" + queryText + "\"", null,
                "check data consistency between main and other db node");
        if (rt.config().failoverIfAffectedTuplesMismatch()) {
            ReplicationVote.Result vote = ReplicationVote.affectedTuples(voters, n -> counts[n], main);
            detach(vote.minority(), "affected tuples mismatch (failover_if_affected_tuples_mismatch): statement \""
                    + queryText + "\", rows " + each);
            closeAfter = true; // pgpool's child exits; the open transaction goes with the session
            finish();
            return;
        }
        // nothing of the write may survive anywhere: the transaction fails on every node
        step = Step.ABORT;
        if (internalTransaction) {
            sendInternal(nodes, "ROLLBACK");
        } else {
            sendInternal(nodes, FAILING_STATEMENT);
        }
        session.backends().flush();
    }

    private void detach(long minority, String reason) {
        for (int n = NodeSet.next(minority, 0); n >= 0; n = NodeSet.next(minority, n + 1)) {
            rt.failures().mismatch(n, reason);
        }
    }

    // ------------------------------------------------------------------ the end of an internal transaction

    /** Every node agreed: the internal transaction commits on the other nodes first, the main node last. */
    private void commitOthers() {
        long others = nodes & ~NodeSet.of(main);
        if (others == 0) {
            commitMain();
            return;
        }
        step = Step.FINISH_COMMIT_OTHERS;
        sendInternal(others, "COMMIT");
        session.backends().flush();
    }

    private void commitMain() {
        step = Step.FINISH_COMMIT_MAIN;
        sendInternal(NodeSet.of(main), "COMMIT");
        session.backends().flush();
    }

    // ------------------------------------------------------------------ what the client sees

    /** The main node's held answer (or XX001 in place of its CommandComplete), then one ReadyForQuery. */
    private void finish() {
        step = Step.DONE;
        boolean replaced = false;
        for (Request r : body) {
            if (r.buffered != null) {
                for (ByteBuf f : r.buffered) {
                    if (tuplesError != null && !replaced && f.getByte(f.readerIndex()) == BackendTag.COMMAND_COMPLETE) {
                        f.release();
                        ByteBuf e = session.out().alloc().buffer();
                        tuplesError.encode(e);
                        if (r.cache != null) {
                            r.cache.frame(e);
                        }
                        session.out().write(e);
                        replaced = true;
                    } else {
                        if (r.cache != null) {
                            r.cache.frame(f);
                        }
                        session.out().write(f);
                    }
                }
                r.buffered = null;
            }
            if (r.forwardReady != null) {
                r.forwardReady.release();
                r.forwardReady = null;
            }
            session.replies().answered(r);
        }
        releaseMessages();
        if (closeAfter) {
            session.out().flush();
            session.closeAfterReplicationMismatch();
            return;
        }
        session.units().done(this);
    }

    private void releaseAll() {
        for (Request r : body) {
            r.releaseBuffers();
        }
        releaseMessages();
    }

    /** The unit kept one reference to each client message; every node got a duplicate of its own. */
    private void releaseMessages() {
        for (Message m : messages) {
            m.frame().release();
        }
        messages.clear();
    }

    /**
     * A node other than the main one was lost while the unit ran: the unit goes on on the nodes left and does not
     * count the lost one's answers. A COMMIT sent to the others first must still reach the main node, or the
     * surviving nodes would differ. The lost node is detached: it may have missed part of the unit. False when the unit cannot go on without the node (it is the main node) or
     * is already over.
     */
    boolean lose(int node) {
        if (step == Step.DONE || node == main) {
            return false;
        }
        if (NodeSet.contains(nodes, node)) {
            // it may have missed part of the unit (a write, its COMMIT): it can no longer be trusted to be alike
            detach(NodeSet.of(node), "connection lost while it ran \"" + queryText + "\"");
            nodes &= ~NodeSet.of(node);
        }
        return true;
    }

    List<Statement> statements() {
        return statements;
    }

    /** Whether any part of the unit failed on the main node (the client saw an error). */
    boolean failed() {
        return tuplesError != null || firstError(main) != null;
    }

    @Override
    public String toString() {
        return "native unit " + order + (internalTransaction ? " in an internal transaction" : "") + " on "
                + NodeSet.toString(nodes) + ": " + queryText;
    }
}
