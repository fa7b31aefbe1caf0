package io.jpgpool.core.routing;

import io.jpgpool.config.CheckTempTable;
import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.DisableLoadBalanceOnWrite;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Decides where a statement runs, exactly as Pgpool-II 4.3 does (SEMANTICS A.2-A.8, B.1). Pure: the same
 * inputs give the same answer, apart from the random draws of load balancing.
 */
public final class Router {
    private final RoutingConfig cfg;
    private final RandomGenerator random;

    public Router(RoutingConfig cfg, RandomGenerator random) {
        this.cfg = cfg;
        this.random = random;
    }

    public RoutingConfig config() {
        return cfg;
    }

    /** Picks the session's load-balance node at session start (SEMANTICS A.6). */
    public int chooseLoadBalanceNode(ClusterSnapshot cluster, RoutingState state) {
        return LoadBalancer.choose(cluster, cfg, state.database(), state.applicationName(), random);
    }

    /** The catalog facts this statement needs that {@code facts} does not know yet (looked up before routing). */
    public Missing missingFacts(Statement st, CatalogFacts facts) {
        if (cfg.mode() == ClusteringMode.RAW || !st.syntacticRead()) {
            return Missing.NONE;
        }
        List<QualifiedName> functions = List.of();
        List<QualifiedName> relations = List.of();
        if (cfg.readOnlyFunctionList().isEmpty() && cfg.writeFunctionList().isEmpty()) {
            for (int i = 0; i < st.functions().size(); i++) { // indexed: no iterator per statement
                QualifiedName f = st.functions().get(i);
                if (facts.isVolatileFunction(f) == null) {
                    functions = functions.isEmpty() ? new ArrayList<>() : functions;
                    functions.add(f);
                }
            }
        }
        if (cfg.checkUnloggedTable() && cfg.isStreaming()) {
            for (int i = 0; i < st.relations().size(); i++) { // indexed: no iterator per statement
                QualifiedName r = st.relations().get(i);
                if (!isSystemCatalog(r) && facts.isUnloggedTable(r) == null) {
                    relations = relations.isEmpty() ? new ArrayList<>() : relations;
                    relations.add(r);
                }
            }
        }
        return functions.isEmpty() && relations.isEmpty() ? Missing.NONE : new Missing(functions, relations);
    }

    /**
     * Catalog facts still to be looked up: functions' volatility, relations' persistence, and in native
     * replication mode the tables written to (their clock defaults and sequences, SEMANTICS B.7, B.8).
     */
    public record Missing(List<QualifiedName> functions, List<QualifiedName> relations, List<QualifiedName> tables) {
        public static final Missing NONE = new Missing(List.of(), List.of(), List.of());

        public Missing(List<QualifiedName> functions, List<QualifiedName> relations) {
            this(functions, relations, List.of());
        }

        public Missing withTable(QualifiedName table) {
            return new Missing(functions, relations, List.of(table));
        }

        public boolean isEmpty() {
            return functions.isEmpty() && relations.isEmpty() && tables.isEmpty();
        }
    }

    public RouteDecision route(Statement st, RoutingState state, ClusterSnapshot cluster, CatalogFacts facts) {
        return switch (cfg.mode()) {
            case RAW -> decision(NodeSet.of(cluster.mainNodeId()), StatementClass.PRIMARY, false, !isRead(st, facts),
                    false, "raw mode");
            case NATIVE_REPLICATION, SNAPSHOT_ISOLATION -> routeNative(st, state, cluster, facts);
            default -> routeStreaming(st, state, cluster, facts);
        };
    }

    // ---------------------------------------------------------------- streaming replication (SEMANTICS A.2)

    private RouteDecision routeStreaming(Statement st, RoutingState state, ClusterSnapshot cluster,
            CatalogFacts facts) {
        int primary = cluster.primaryOrMain();
        long toPrimary = NodeSet.of(primary);
        if (st.empty()) {
            // an empty query is a dummy read so it does not disturb load balancing (A.1.4)
            return readDestination(st, state, cluster, facts, "empty query");
        }
        if (st.malformed()) {
            return decision(toPrimary, StatementClass.PRIMARY, false, true, false, "not understood");
        }
        if (st.multiStatement()) {
            return decision(toPrimary, StatementClass.PRIMARY, false, true, false, "multi-statement query");
        }
        if (cfg.dmlAdaptive()) {
            DmlAdaptive.track(st, state, cfg, isPlainSelect(st));
        }
        switch (st.kind()) {
            case EXECUTE, DEALLOCATE -> {
                return inherited(st, state, cluster, toPrimary);
            }
            default -> {
            }
        }
        StatementClass cls = classify(st);
        return switch (cls) {
            case PRIMARY -> decision(toPrimary, cls, false, isWriteForTracking(st, facts), false, "primary only");
            case BOTH -> both(st, state, cluster, primary);
            case EITHER -> {
                if (cfg.disableLoadBalanceOnWrite() == DisableLoadBalanceOnWrite.ALWAYS && state.writingSession()) {
                    yield decision(toPrimary, cls, false, isWriteForTracking(st, facts), false,
                            "disable_load_balance_on_write = always after a write");
                }
                yield readDestination(st, state, cluster, facts, null);
            }
        };
    }

    /** SEMANTICS A.2, the table: the class of a statement from its top node. */
    StatementClass classify(Statement st) {
        return switch (st.kind()) {
            case SELECT, VALUES, TABLE -> st.selectInto() || st.lockingClause() || st.modifyingCte()
                    ? StatementClass.PRIMARY : StatementClass.EITHER;
            case COPY -> st.copyFrom() || (st.inner() != null && !st.inner().syntacticRead())
                    ? StatementClass.PRIMARY : StatementClass.EITHER;
            case LOCK -> st.lockMode() >= 3 ? StatementClass.PRIMARY : StatementClass.BOTH;
            case BEGIN, COMMIT, ROLLBACK, DISCARD -> StatementClass.BOTH;
            case SAVEPOINT, RELEASE, ROLLBACK_TO -> StatementClass.BOTH;
            case SET -> st.setsTransactionReadWrite() || st.setsSerializable()
                    ? StatementClass.PRIMARY : StatementClass.BOTH;
            case RESET -> StatementClass.BOTH;
            case SHOW -> StatementClass.EITHER;
            // EXPLAIN goes to the primary in SR mode whatever the docs say ([DOC≠CODE], A.2)
            default -> StatementClass.PRIMARY;
        };
    }

    private RouteDecision both(Statement st, RoutingState state, ClusterSnapshot cluster, int primary) {
        long nodes;
        String reason;
        if (state.txStartedByMultiStatement()) {
            nodes = NodeSet.of(primary);
            reason = "transaction started by a multi-statement query";
        } else if (!cfg.loadBalanceMode()) {
            nodes = NodeSet.of(primary);
            reason = "load_balance_mode = off";
        } else if (cfg.statementLevelLoadBalance()) {
            nodes = allAlive(cluster);
            reason = "every node (statement_level_load_balance)";
        } else {
            int lb = state.loadBalanceNode();
            nodes = NodeSet.with(NodeSet.of(primary), lb);
            reason = "primary and load balance node";
            if (lb >= 0 && lb != primary && cfg.isStreaming()) {
                // the standby's side of a transaction opens at its first use, and ends only where it was opened
                if (st.kind() == StatementKind.BEGIN && state.primaryTxStatus() == 'I') {
                    return new RouteDecision(NodeSet.of(primary), StatementClass.BOTH, false, false, false, true,
                            "primary; the load balance node's side opens at its first use");
                }
            }
        }
        if (endsTransaction(st, state) && (nodes & state.owedBeginNodes()) != 0) {
            nodes = opened(nodes, state, primary);
            reason = "where the transaction was opened";
        }
        boolean rewrite = st.beginNeedsRewriteForStandby() && NodeSet.size(nodes) > 1;
        return decision(nodes, StatementClass.BOTH, false, isWriteForTracking(st, CatalogFacts.NONE), rewrite,
                reason);
    }

    /** EXECUTE and DEALLOCATE follow the PREPARE that made the statement (SEMANTICS A.2). */
    private RouteDecision inherited(Statement st, RoutingState state, ClusterSnapshot cluster, long toPrimary) {
        if (st.kind() == io.jpgpool.sql.StatementKind.DEALLOCATE && st.deallocateAll()) {
            return both(st, state, cluster, cluster.primaryOrMain());
        }
        Long nodes = st.preparedName() == null ? null : state.sqlPreparedNodes(st.preparedName());
        long alive = allAlive(cluster);
        if (nodes == null || (nodes & alive) == 0) {
            return decision(toPrimary, StatementClass.PRIMARY, false, true, false, "unknown prepared statement");
        }
        return decision(nodes & alive, StatementClass.PRIMARY, false, true, false, "where it was prepared");
    }

    /** A candidate read: the read test, its preconditions and the primary-only checks (SEMANTICS A.3, A.4). */
    private RouteDecision readDestination(Statement st, RoutingState state, ClusterSnapshot cluster,
            CatalogFacts facts, String why) {
        int primary = cluster.primaryOrMain();
        long toPrimary = NodeSet.of(primary);
        if (cfg.dmlAdaptive() && isSelectFamily(st)) {
            DmlAdaptive.calls(st, state, cfg, f -> isWritingFunction(f, facts));
        }
        if (!st.empty() && !isRead(st, facts)) {
            boolean commentedSelect = st.syntacticRead() && !cfg.allowSqlComments()
                    && !st.startsWithReadChar(cfg.ignoreLeadingWhiteSpace());
            return decision(toPrimary, StatementClass.EITHER, false, true, false,
                    commentedSelect ? "does not start like a read (allow_sql_comments = off)" : "writing function");
        }
        if (!cfg.loadBalanceMode()) {
            return decision(toPrimary, StatementClass.EITHER, false, false, false, "load_balance_mode = off");
        }
        if (!state.loadBalancePossible()) {
            return decision(toPrimary, StatementClass.EITHER, false, false, false,
                    state.failedTransaction() ? "transaction failed"
                            : state.writingTransaction() ? "write earlier in the transaction"
                            : "serializable transaction");
        }
        String primaryReason = primaryOnlyReason(st, state);
        if (primaryReason != null) {
            return decision(toPrimary, StatementClass.EITHER, false, false, false, primaryReason);
        }
        int node;
        if (cfg.statementLevelLoadBalance()) {
            node = LoadBalancer.choose(cluster, cfg, state.database(), state.applicationName(), random);
            state.loadBalanceNode(node);
        } else {
            node = state.loadBalanceNode();
            if (!cluster.isAlive(node) || cluster.isFalsePrimary(node)) {
                node = LoadBalancer.choose(cluster, cfg, state.database(), state.applicationName(), random);
                state.loadBalanceNode(node);
            }
        }
        if (cfg.delayThreshold() > 0 && node != primary && cluster.isAlive(node)
                && cluster.node(node).replicationDelay() > cfg.delayThreshold()) {
            if (cfg.preferLowerDelayStandby()) {
                node = LoadBalancer.leastDelayedStandby(cluster, cfg.delayThreshold(), random);
                state.loadBalanceNode(node);
            } else {
                return decision(toPrimary, StatementClass.EITHER, false, false, false,
                        "standby delay over delay_threshold");
            }
        }
        if (!cluster.isAlive(node) || cluster.isFalsePrimary(node)) {
            node = primary;
        }
        return decision(NodeSet.of(node), StatementClass.EITHER, true, false, false,
                why != null ? why : "load balanced");
    }

    /** The checks of SEMANTICS A.4 steps 1-5 that send an otherwise balanced read to the primary. */
    private String primaryOnlyReason(Statement st, RoutingState state) {
        for (int i = 0; i < st.relations().size(); i++) { // indexed: no iterator per statement
            QualifiedName r = st.relations().get(i);
            if (isSystemCatalog(r)) {
                return "system catalog";
            }
        }
        if (cfg.checkTempTable() != CheckTempTable.NONE) {
            for (int i = 0; i < st.relations().size(); i++) { // indexed: no iterator per statement
                QualifiedName r = st.relations().get(i);
                if ("pg_temp".equals(r.schema()) || (r.schema() == null && state.isTempTable(r.name()))) {
                    return "temporary table";
                }
            }
        }
        if (!cfg.primaryRoutingQueryPatternList().isEmpty()) {
            // pgpool matches the query string as sent (its ';' too), double quotes removed (pattern_compare)
            String sent = st.source().replace("\"", "");
            for (Pattern p : cfg.primaryRoutingQueryPatternList()) {
                if (p.matcher(sent).matches()) {
                    return "primary_routing_query_pattern_list";
                }
            }
        }
        if (cfg.dmlAdaptive()) {
            String written = DmlAdaptive.writtenTable(st, state);
            if (written != null) {
                return "dml_adaptive: " + written + " was written in this transaction";
            }
        }
        return null;
    }

    /** pgpool's is_select_query: a SELECT that neither writes nor locks, and passes the first-character test. */
    private boolean isPlainSelect(Statement st) {
        return isSelectFamily(st) && !st.selectInto() && !st.lockingClause() && !st.modifyingCte()
                && (cfg.allowSqlComments() || st.startsWithReadChar(cfg.ignoreLeadingWhiteSpace()));
    }

    /** SEMANTICS A.3: the syntactic read test plus the first-character test, and no writing function (A.5). */
    boolean isRead(Statement st, CatalogFacts facts) {
        if (!st.syntacticRead()) {
            return false;
        }
        if (isSelectFamily(st) && !cfg.allowSqlComments() && !st.startsWithReadChar(cfg.ignoreLeadingWhiteSpace())) {
            return false;
        }
        if (cfg.checkUnloggedTable() && cfg.isStreaming()) {
            for (int i = 0; i < st.relations().size(); i++) { // indexed: no iterator per statement
                QualifiedName r = st.relations().get(i);
                if (!isSystemCatalog(r) && !Boolean.FALSE.equals(facts.isUnloggedTable(r))) {
                    return false;
                }
            }
        }
        return !hasWritingFunction(st, facts);
    }

    private static boolean isSelectFamily(Statement st) {
        return switch (st.kind()) {
            case SELECT, VALUES, TABLE -> true;
            default -> false;
        };
    }

    /** SEMANTICS A.5. An unknown volatility counts as writing, the safe side. */
    boolean hasWritingFunction(Statement st, CatalogFacts facts) {
        for (int i = 0; i < st.functions().size(); i++) { // indexed: no iterator per statement
            QualifiedName f = st.functions().get(i);
            if (isWritingFunction(f, facts)) {
                return true;
            }
        }
        return false;
    }

    private boolean isWritingFunction(QualifiedName f, CatalogFacts facts) {
        String name = f.toString();
        if (!cfg.readOnlyFunctionList().isEmpty()) {
            for (Pattern p : cfg.readOnlyFunctionList()) {
                if (p.matcher(name).matches()) {
                    return false;
                }
            }
            return true;
        }
        if (!cfg.writeFunctionList().isEmpty()) {
            for (Pattern p : cfg.writeFunctionList()) {
                if (p.matcher(name).matches()) {
                    return true;
                }
            }
            return false;
        }
        return !Boolean.FALSE.equals(facts.isVolatileFunction(f));
    }

    /** A write for writing-transaction tracking (SEMANTICS A.8). */
    private boolean isWriteForTracking(Statement st, CatalogFacts facts) {
        return switch (st.kind()) {
            case BEGIN, COMMIT, ROLLBACK, ROLLBACK_TO, PREPARE_TRANSACTION, COMMIT_PREPARED, ROLLBACK_PREPARED ->
                    false;
            case SET -> !st.setsSerializable();
            default -> !st.syntacticRead() || hasWritingFunction(st, facts);
        };
    }

    static boolean isSystemCatalog(QualifiedName r) {
        if (r.schema() != null) {
            return r.schema().equals("pg_catalog") || r.schema().equals("information_schema");
        }
        return r.name().startsWith("pg_");
    }

    // ---------------------------------------------------------------- native replication (SEMANTICS B.1)

    private RouteDecision routeNative(Statement st, RoutingState state, ClusterSnapshot cluster,
            CatalogFacts facts) {
        long all = allAlive(cluster);
        int main = cluster.mainNodeId();
        if (st.empty()) {
            return decision(NodeSet.of(nativeLoadBalanceNode(cluster, state)), StatementClass.EITHER, true, false,
                    false, "empty query");
        }
        if (st.malformed() || st.multiStatement()) {
            return decision(all, StatementClass.PRIMARY, false, true, false,
                    st.multiStatement() ? "multi-statement query" : "not understood");
        }
        if (st.kind() == io.jpgpool.sql.StatementKind.EXECUTE
                || (st.kind() == io.jpgpool.sql.StatementKind.DEALLOCATE && !st.deallocateAll())) {
            Long nodes = st.preparedName() == null ? null : state.sqlPreparedNodes(st.preparedName());
            long target = nodes == null || (nodes & all) == 0 ? all : nodes & all;
            return decision(target, StatementClass.PRIMARY, false, true, false, "where it was prepared");
        }
        boolean syntacticRead = st.syntacticRead()
                && (!isSelectFamily(st) || cfg.allowSqlComments() || st.startsWithReadChar(cfg.ignoreLeadingWhiteSpace()));
        if (syntacticRead) {
            if (hasWritingFunction(st, facts) || cfg.replicateSelect()) {
                return decision(all, StatementClass.PRIMARY, false, true, false,
                        cfg.replicateSelect() ? "replicate_select" : "writing function");
            }
            if (!cfg.loadBalanceMode()) {
                return decision(NodeSet.of(main), StatementClass.EITHER, false, false, false,
                        "load_balance_mode = off");
            }
            if (!state.loadBalancePossible()) {
                return decision(NodeSet.of(main), StatementClass.EITHER, false, false, false,
                        "write earlier in the transaction");
            }
            int node = cfg.statementLevelLoadBalance()
                    ? LoadBalancer.choose(cluster, cfg, state.database(), state.applicationName(), random)
                    : nativeLoadBalanceNode(cluster, state);
            state.loadBalanceNode(node);
            return decision(NodeSet.of(node), StatementClass.EITHER, true, false, false, "load balanced");
        }
        if (endsTransaction(st, state) && (all & state.owedBeginNodes()) != 0) {
            return decision(opened(all, state, main), StatementClass.PRIMARY, false, false, false,
                    "where the transaction was opened");
        }
        return decision(all, StatementClass.PRIMARY, false, isWriteForTracking(st, facts),
                false, "replicated to every node");
    }

    /** COMMIT or ROLLBACK inside a transaction: it goes only to the nodes the transaction reached. */
    private static boolean endsTransaction(Statement st, RoutingState state) {
        return (st.kind() == StatementKind.COMMIT || st.kind() == StatementKind.ROLLBACK) && !st.multiStatement()
                && state.primaryTxStatus() != 'I';
    }

    /**
     * The nodes of {@code nodes} the transaction reached; when it reached none (a BEGIN answered at once, then
     * COMMIT), the primary, which gets the BEGIN it owes just before.
     */
    private static long opened(long nodes, RoutingState state, int primary) {
        long opened = nodes & ~state.owedBeginNodes();
        return opened != NodeSet.EMPTY ? opened : NodeSet.of(primary);
    }

    /**
     * A BEGIN the session may answer at once when it comes alone at idle: {@code BEGIN}, {@code BEGIN WORK},
     * {@code BEGIN TRANSACTION} or {@code START TRANSACTION}, nothing else (no options that could fail, no
     * comments that hint a route), so that sending it with the transaction's first statement changes nothing
     * the client can see but the transaction start time.
     */
    public static boolean isPlainBegin(Statement st) {
        return st.kind() == StatementKind.BEGIN && !st.multiStatement()
                && ("BEGIN".equalsIgnoreCase(st.text()) || PLAIN_BEGIN.matcher(st.text()).matches()); // the usual first
    }

    private static final java.util.regex.Pattern PLAIN_BEGIN = java.util.regex.Pattern.compile(
            "\\s*(?:BEGIN(?:\\s+(?:WORK|TRANSACTION))?|START\\s+TRANSACTION)\\s*;?\\s*",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private int nativeLoadBalanceNode(ClusterSnapshot cluster, RoutingState state) {
        int node = state.loadBalanceNode();
        if (!cluster.isAlive(node)) {
            node = LoadBalancer.choose(cluster, cfg, state.database(), state.applicationName(), random);
            state.loadBalanceNode(node);
        }
        return node;
    }

    // ---------------------------------------------------------------- helpers

    public static long allAlive(ClusterSnapshot cluster) {
        long set = NodeSet.EMPTY;
        for (BackendNode n : cluster.nodes()) {
            if (n.isAlive()) {
                set = NodeSet.with(set, n.id());
            }
        }
        return set;
    }

    private static RouteDecision decision(long nodes, StatementClass cls, boolean lb, boolean write,
            boolean rewrite, String reason) {
        return new RouteDecision(nodes, cls, lb, write, rewrite, reason);
    }
}
