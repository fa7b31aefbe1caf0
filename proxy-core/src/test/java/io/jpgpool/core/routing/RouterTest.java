package io.jpgpool.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Given a primary (node 0) and standbys, with the session's load-balance node 1: where does each statement
 * go? Pgpool-II 4.3's rules, SEMANTICS A.2-A.8.
 */
class RouterTest {
    private static final CatalogFacts FACTS = new CatalogFacts() {
        @Override
        public Boolean isVolatileFunction(QualifiedName f) {
            return switch (f.name()) {
                case "nextval", "setval", "random", "my_volatile" -> true;
                default -> false;
            };
        }

        @Override
        public Boolean isUnloggedTable(QualifiedName r) {
            return r.name().equals("scratch");
        }
    };

    private ClusterSnapshot cluster = cluster(3, 0);
    private Router router;
    private RoutingState state;

    private void given(String... conf) {
        try {
            StringBuilder text = new StringBuilder();
            for (String line : conf) {
                text.append(line).append('\n');
            }
            PgpoolConfig c = PgpoolConfig.parse("test.conf", text.toString());
            router = new Router(RoutingConfig.from(c), new SplittableRandom(42));
            state = new RoutingState("db", "app", c.disableLoadBalanceOnWrite());
            state.loadBalanceNode(1);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private long route(String sql) {
        return decide(sql).nodes();
    }

    private RouteDecision decide(String sql) {
        return router.route(SqlAnalyzer.analyze(sql), state, cluster, FACTS);
    }

    /** Runs a statement to completion the way a session records it (simple protocol). */
    private long run(String sql, char txStatusAfter) {
        Statement st = SqlAnalyzer.analyze(sql);
        RouteDecision d = router.route(st, state, cluster, FACTS);
        for (int n = NodeSet.next(d.nodes() & state.owedBeginNodes(), 0); n >= 0;
                n = NodeSet.next(d.nodes() & state.owedBeginNodes(), n + 1)) {
            state.beginSent(n); // what the session does as it sends there
        }
        state.primaryTxStatus((byte) txStatusAfter);
        state.onSuccess(st, d, txStatusAfter != 'I');
        if (txStatusAfter == 'I') {
            state.onIdle();
        }
        return d.nodes();
    }

    private static long nodes(int... ids) {
        long s = 0;
        for (int i : ids) {
            s = NodeSet.with(s, i);
        }
        return s;
    }

    @Test
    void readsGoToTheLoadBalanceNodeAndWritesToThePrimary() {
        given();
        assertThat(route("SELECT 1")).isEqualTo(nodes(1));
        assertThat(route("select * from t where a = 1")).isEqualTo(nodes(1));
        assertThat(route("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(nodes(1));
        assertThat(route("TABLE t")).isEqualTo(nodes(1));
        assertThat(route("SHOW search_path")).isEqualTo(nodes(1));
        assertThat(route("COPY t TO STDOUT")).isEqualTo(nodes(1));
        assertThat(route("INSERT INTO t VALUES (1)")).isEqualTo(nodes(0));
        assertThat(route("UPDATE t SET a = 2")).isEqualTo(nodes(0));
        assertThat(route("CREATE TABLE x (a int)")).isEqualTo(nodes(0));
        assertThat(route("COPY t FROM STDIN")).isEqualTo(nodes(0));
    }

    @Test
    void readsThatWriteOrLockGoToThePrimary() {
        given();
        assertThat(route("SELECT * FROM t FOR UPDATE")).isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM t FOR SHARE")).isEqualTo(nodes(0));
        assertThat(route("SELECT * INTO new_t FROM t")).isEqualTo(nodes(0));
        assertThat(route("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d")).isEqualTo(nodes(0));
        assertThat(route("SELECT nextval('s')")).isEqualTo(nodes(0));
        assertThat(route("SELECT my_volatile(1)")).isEqualTo(nodes(0));
        assertThat(route("SELECT now(), lower('A')")).isEqualTo(nodes(1));
        assertThat(route("SELECT * FROM scratch")).as("unlogged table").isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM pg_catalog.pg_class")).as("system catalog").isEqualTo(nodes(0));
        assertThat(route("SELECT relname FROM pg_class")).as("system catalog").isEqualTo(nodes(0));
    }

    @Test
    void statementsOfEveryNodeOfTheSessionGoToBoth() {
        given();
        assertThat(route("SET search_path = a")).isEqualTo(nodes(0, 1));
        assertThat(route("RESET ALL")).isEqualTo(nodes(0, 1));
        assertThat(route("DISCARD ALL")).isEqualTo(nodes(0, 1));
        assertThat(route("COMMIT")).isEqualTo(nodes(0, 1));
        assertThat(route("SAVEPOINT a")).isEqualTo(nodes(0, 1));
        assertThat(route("LOCK TABLE t IN ACCESS SHARE MODE")).isEqualTo(nodes(0, 1));
        assertThat(route("LOCK TABLE t")).isEqualTo(nodes(0));
        assertThat(route("SET transaction_read_only = off")).isEqualTo(nodes(0));
        assertThat(route("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
                .isEqualTo(nodes(0));
    }

    @Test
    void beginReadWriteIsRewrittenForTheStandby() {
        given();
        run("BEGIN READ WRITE", 'T');
        assertThat(state.owedBegin(1, false)).isEqualTo("BEGIN");
        run("ROLLBACK", 'I');
        run("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", 'T');
        assertThat(state.owedBegin(1, false)).isEqualTo("BEGIN");
        run("ROLLBACK", 'I');
        run("BEGIN READ ONLY", 'T');
        assertThat(state.owedBegin(1, false)).isEqualTo("BEGIN READ ONLY");
        given("statement_level_load_balance = on");
        assertThat(decide("BEGIN READ WRITE").rewriteBeginForStandby()).isTrue();
        assertThat(decide("BEGIN").rewriteBeginForStandby()).isFalse();
    }

    @Test
    void aTransactionTakesTheLoadBalanceNodeInOnlyWhenSomethingGoesThere() {
        given();
        RouteDecision begin = decide("BEGIN");
        assertThat(begin.nodes()).isEqualTo(nodes(0));
        assertThat(begin.defersStandby()).isTrue();
        // TPC-B: writes only, the standby never hears of the transaction
        run("BEGIN", 'T');
        assertThat(state.owedBeginNodes()).isEqualTo(nodes(1));
        assertThat(state.owedBegin(1, false)).isEqualTo("BEGIN");
        assertThat(run("UPDATE t SET a = 1", 'T')).isEqualTo(nodes(0));
        assertThat(run("SELECT a FROM t", 'T')).isEqualTo(nodes(0));
        assertThat(run("END", 'I')).isEqualTo(nodes(0));
        assertThat(state.owedBeginNodes()).isZero();
        // a read first: the standby's side opens there, and COMMIT ends it on both
        run("BEGIN", 'T');
        assertThat(run("SELECT 1", 'T')).isEqualTo(nodes(1));
        assertThat(state.owedBeginNodes()).isZero();
        assertThat(run("COMMIT", 'I')).isEqualTo(nodes(0, 1));
        // a SAVEPOINT is a statement of both sides: it opens the standby's too
        run("BEGIN", 'T');
        assertThat(run("SAVEPOINT s", 'T')).isEqualTo(nodes(0, 1));
        assertThat(state.owedBeginNodes()).isZero();
        assertThat(run("ROLLBACK", 'I')).isEqualTo(nodes(0, 1));
        // outside a transaction, COMMIT and ROLLBACK still go to both (each answers with a warning)
        assertThat(route("ROLLBACK")).isEqualTo(nodes(0, 1));
    }

    @Test
    void aBeginAnsweredAtOnceIsOwedByItsNodesAndCommitGoesWhereTheTransactionWent() {
        given();
        // the session answers BEGIN itself: the primary and the standby owe it
        Statement begin = SqlAnalyzer.analyze("BEGIN;");
        assertThat(Router.isPlainBegin(begin)).isTrue();
        RouteDecision d = router.route(begin, state, cluster, FACTS);
        state.primaryTxStatus((byte) 'T');
        state.onSuccess(begin, d, true);
        state.oweBegin(d.nodes());
        assertThat(state.owedBeginNodes()).isEqualTo(nodes(0, 1));
        assertThat(state.owedBegin(0, true)).isEqualTo("BEGIN");
        assertThat(run("UPDATE t SET a = 1", 'T')).isEqualTo(nodes(0));
        assertThat(state.owedBeginNodes()).isEqualTo(nodes(1));
        assertThat(run("END", 'I')).isEqualTo(nodes(0));
        // nothing but BEGIN and COMMIT: the primary gets both
        d = router.route(begin, state, cluster, FACTS);
        state.primaryTxStatus((byte) 'T');
        state.onSuccess(begin, d, true);
        state.oweBegin(d.nodes());
        assertThat(decide("COMMIT").nodes()).isEqualTo(nodes(0));
    }

    @Test
    void onlyAPlainBeginIsAnsweredAtOnce() {
        for (String sql : List.of("BEGIN", "begin;", " BEGIN WORK ", "BEGIN TRANSACTION;", "START TRANSACTION")) {
            assertThat(Router.isPlainBegin(SqlAnalyzer.analyze(sql))).as(sql).isTrue();
        }
        for (String sql : List.of("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN READ ONLY", "BEGIN; SELECT 1",
                "/*NO LOAD BALANCE*/ BEGIN", "START TRANSACTION READ WRITE", "COMMIT", "SELECT 1")) {
            assertThat(Router.isPlainBegin(SqlAnalyzer.analyze(sql))).as(sql).isFalse();
        }
    }

    @Test
    void aFailedTransactionWithoutTheStandbyIsRolledBackOnThePrimaryOnly() {
        given();
        run("BEGIN", 'T');
        state.primaryTxStatus((byte) 'E');
        state.onError();
        assertThat(route("SELECT 1")).as("a failed transaction does not balance").isEqualTo(nodes(0));
        assertThat(run("ROLLBACK", 'I')).isEqualTo(nodes(0));
    }

    @Test
    void pgpoolSendsExplainAndMultiStatementsAndWhatItDoesNotUnderstandToThePrimary() {
        given();
        assertThat(route("EXPLAIN SELECT 1")).isEqualTo(nodes(0));
        assertThat(route("SELECT 1; SELECT 2")).isEqualTo(nodes(0));
        assertThat(route("SELECT 'unterminated")).isEqualTo(nodes(0));
        assertThat(route("VACUUM t")).isEqualTo(nodes(0));
        assertThat(route("LISTEN ch")).isEqualTo(nodes(0));
    }

    @Test
    void leadingCommentsDisableLoadBalancingUnlessAllowed() {
        given();
        assertThat(route("/*NO LOAD BALANCE*/ SELECT 1")).isEqualTo(nodes(0));
        assertThat(route("-- x\nSELECT 1")).isEqualTo(nodes(0));
        assertThat(route("   SELECT 1")).isEqualTo(nodes(1));
        given("allow_sql_comments = on");
        assertThat(route("/*NO LOAD BALANCE*/ SELECT 1")).isEqualTo(nodes(1));
    }

    @Test
    void afterAWriteInATransactionReadsGoToThePrimaryUntilCommit() {
        given("disable_load_balance_on_write = 'transaction'");
        assertThat(run("BEGIN", 'T')).isEqualTo(nodes(0));
        assertThat(run("SELECT 1", 'T')).isEqualTo(nodes(1));
        assertThat(run("INSERT INTO t VALUES (1)", 'T')).isEqualTo(nodes(0));
        assertThat(run("SELECT 2", 'T')).isEqualTo(nodes(0));
        assertThat(run("COMMIT", 'I')).isEqualTo(nodes(0, 1));
        assertThat(run("SELECT 3", 'I')).isEqualTo(nodes(1));
        assertThat(run("BEGIN", 'T')).isEqualTo(nodes(0));
        assertThat(run("SELECT 4", 'T')).isEqualTo(nodes(1));
    }

    @Test
    void transTransactionKeepsLaterTransactionsOnThePrimary() {
        given("disable_load_balance_on_write = 'trans_transaction'");
        run("BEGIN", 'T');
        run("INSERT INTO t VALUES (1)", 'T');
        run("COMMIT", 'I');
        assertThat(run("SELECT 1", 'I')).as("autocommit read").isEqualTo(nodes(1));
        run("BEGIN", 'T');
        assertThat(run("SELECT 2", 'T')).as("read in a later transaction").isEqualTo(nodes(0));
    }

    @Test
    void alwaysSendsEveryReadAfterTheFirstWriteToThePrimary() {
        given("disable_load_balance_on_write = 'always'");
        assertThat(run("SELECT 1", 'I')).isEqualTo(nodes(1));
        run("INSERT INTO t VALUES (1)", 'I');
        assertThat(run("SELECT 2", 'I')).isEqualTo(nodes(0));
    }

    @Test
    void offKeepsBalancingEvenAfterWrites() {
        given("disable_load_balance_on_write = 'off'");
        run("BEGIN", 'T');
        run("INSERT INTO t VALUES (1)", 'T');
        assertThat(run("SELECT 2", 'T')).isEqualTo(nodes(1));
    }

    @Test
    void functionListsDecideWhatWrites() {
        given("write_function_list = 'f1,public.f2'");
        assertThat(route("SELECT f1()")).isEqualTo(nodes(0));
        assertThat(route("SELECT public.f2()")).isEqualTo(nodes(0));
        assertThat(route("SELECT f2()")).as("unqualified differs").isEqualTo(nodes(1));
        assertThat(route("SELECT nextval('s')")).as("the list replaces volatility").isEqualTo(nodes(1));
        given("read_only_function_list = 'safe_.*'");
        assertThat(route("SELECT safe_f()")).isEqualTo(nodes(1));
        assertThat(route("SELECT other()")).isEqualTo(nodes(0));
    }

    @Test
    void primaryRoutingQueryPatternsSendMatchingReadsToThePrimary() {
        given("primary_routing_query_pattern_list = 'SELECT \\* FROM t1;.*t2.*'");
        assertThat(route("SELECT * FROM t1")).isEqualTo(nodes(0));
        assertThat(route("SELECT a FROM t2 WHERE b = 1")).isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM t3")).isEqualTo(nodes(1));
    }

    @Test
    void primaryRoutingPatternsMatchTheQueryAsSentWithItsSemicolon() {
        // pgpool's own 001 test writes its patterns like this, each ending in an escaped ';'
        given("primary_routing_query_pattern_list = 'SELECT \\'a\\'\\;;SELECT 1\\;;SELECT \\'\\;\\'\\;;"
                + "SELECT \\* FROM t1\\;;^.*t2.*\\;$;^.*f1.*$'");
        assertThat(route("SELECT * FROM t1;")).isEqualTo(nodes(0));
        assertThat(route("SELECT 'a';")).isEqualTo(nodes(0));
        assertThat(route("SELECT 1;")).isEqualTo(nodes(0));
        assertThat(route("SELECT ';';")).isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM t2;")).isEqualTo(nodes(0));
        assertThat(route("SELECT f1(1);")).isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM t1")).as("without the ';' the pattern does not match").isEqualTo(nodes(1));
        assertThat(route("select * from T1;")).as("case-insensitive").isEqualTo(nodes(0));
        assertThat(route("SELECT 2;")).isEqualTo(nodes(1));
    }

    @Test
    void primaryRoutingPatternsSeeTheWholeTextWithoutDoubleQuotes() {
        given("primary_routing_query_pattern_list = '.*from t9.where.*'");
        assertThat(route("SELECT a\nFROM t9\nWHERE b = 1")).as("'.' matches a newline, as in POSIX").isEqualTo(nodes(0));
        assertThat(route("SELECT a FROM \"t9\" WHERE b = 1")).as("quotes removed as pgpool does").isEqualTo(nodes(0));
        assertThat(route("SELECT a FROM t9")).isEqualTo(nodes(1));
    }

    @Test
    void dmlAdaptiveSendsOnlyReadsOfWhatTheTransactionWroteToThePrimary() {
        given("disable_load_balance_on_write = 'dml_adaptive'",
                "dml_adaptive_object_relationship_list = 't1:t2'");
        run("BEGIN", 'T');
        assertThat(run("SELECT * FROM t2", 'T')).as("nothing written yet").isEqualTo(nodes(1));
        assertThat(run("INSERT INTO t1 VALUES (1)", 'T')).isEqualTo(nodes(0));
        assertThat(run("SELECT * FROM t1", 'T')).as("written").isEqualTo(nodes(0));
        assertThat(run("SELECT * FROM t3", 'T')).as("unrelated").isEqualTo(nodes(1));
        assertThat(run("SELECT * FROM t2", 'T')).as("related to t1").isEqualTo(nodes(0));
        assertThat(run("SELECT * FROM public.T1 JOIN t5 USING (i)", 'T')).as("any of its tables").isEqualTo(nodes(0));
        assertThat(decide("SELECT * FROM t2").reason()).contains("dml_adaptive");
        run("COMMIT", 'I');
        assertThat(run("SELECT * FROM t1", 'I')).as("after COMMIT").isEqualTo(nodes(1));
        run("BEGIN", 'T');
        assertThat(run("SELECT * FROM t1", 'T')).as("a new transaction starts clean").isEqualTo(nodes(1));
    }

    @Test
    void dmlAdaptiveRelatesFunctionsCalledInReadsToTables() {
        given("disable_load_balance_on_write = 'dml_adaptive'", "write_function_list = 'f1'",
                "dml_adaptive_object_relationship_list = 'f1():tf, f2():t8'");
        run("BEGIN", 'T');
        assertThat(run("SELECT * FROM tF", 'T')).isEqualTo(nodes(1));
        assertThat(run("SELECT f1(190)", 'T')).as("a writing function").isEqualTo(nodes(0));
        assertThat(run("SELECT * FROM tF", 'T')).as("related to f1").isEqualTo(nodes(0));
        assertThat(run("SELECT * FROM t1", 'T')).as("no write flag for the whole transaction").isEqualTo(nodes(1));
        assertThat(run("SELECT f2(1)", 'T')).as("a read-only function balances").isEqualTo(nodes(1));
        assertThat(run("SELECT * FROM t8", 'T')).as("but counts for its related table").isEqualTo(nodes(0));
    }

    @Test
    void dmlAdaptiveForgetsWritesOnRollbackToAndIgnoresAutocommitOnes() {
        given("disable_load_balance_on_write = 'dml_adaptive'");
        run("INSERT INTO t1 VALUES (1)", 'I');
        run("BEGIN", 'T');
        assertThat(run("SELECT * FROM t1", 'T')).as("written before BEGIN").isEqualTo(nodes(1));
        run("SAVEPOINT s", 'T');
        run("UPDATE t1 SET i = 2", 'T');
        assertThat(run("SELECT * FROM t1", 'T')).isEqualTo(nodes(0));
        run("ROLLBACK TO s", 'T');
        // pgpool's is_commit_or_rollback_query counts ROLLBACK TO: it forgets the transaction's writes
        assertThat(run("SELECT * FROM t1", 'T')).isEqualTo(nodes(1));
    }

    @Test
    void temporaryTablesCreatedInTheSessionAreReadOnThePrimary() {
        given();
        run("CREATE TEMP TABLE tmp1 (a int)", 'I');
        assertThat(route("SELECT * FROM tmp1")).isEqualTo(nodes(0));
        assertThat(route("SELECT * FROM pg_temp.x")).isEqualTo(nodes(0));
        run("DROP TABLE tmp1", 'I');
        assertThat(route("SELECT * FROM tmp1")).isEqualTo(nodes(1));
    }

    @Test
    void loadBalanceModeOffSendsEverythingToThePrimary() {
        given("load_balance_mode = off");
        assertThat(route("SELECT 1")).isEqualTo(nodes(0));
        assertThat(route("BEGIN")).isEqualTo(nodes(0));
    }

    @Test
    void statementLevelLoadBalancingDrawsPerReadAndSendsSessionStatementsEverywhere() {
        given("statement_level_load_balance = on", "backend_weight0 = 0", "backend_weight1 = 1",
                "backend_weight2 = 1");
        cluster = cluster(3, 0, 0, 1, 1);
        assertThat(route("BEGIN")).isEqualTo(nodes(0, 1, 2));
        int[] seen = new int[3];
        for (int i = 0; i < 1000; i++) {
            seen[NodeSet.lowest(route("SELECT 1"))]++;
        }
        assertThat(seen[0]).isZero();
        assertThat(seen[1]).isBetween(400, 600);
        assertThat(seen[2]).isBetween(400, 600);
    }

    @Test
    void aStandbyTooFarBehindGetsNoReads() {
        given("delay_threshold = 1000");
        cluster = cluster.withNode(cluster.node(1).withReplication(5000, "streaming", "async"));
        assertThat(route("SELECT 1")).isEqualTo(nodes(0));
        given("delay_threshold = 1000", "prefer_lower_delay_standby = on");
        assertThat(route("SELECT 1")).as("the least delayed standby instead").isEqualTo(nodes(2));
        assertThat(state.loadBalanceNode()).isEqualTo(2);
    }

    @Test
    void weightsDecideTheLoadBalanceNode() {
        given();
        cluster = cluster(3, 0, 0, 1, 3);
        int[] seen = new int[3];
        for (int i = 0; i < 4000; i++) {
            seen[router.chooseLoadBalanceNode(cluster, state)]++;
        }
        assertThat(seen[0]).isZero();
        assertThat(seen[1]).isBetween(800, 1200);
        assertThat(seen[2]).isBetween(2800, 3200);
    }

    @Test
    void redirectPreferenceListsChooseTheNodeByDatabaseOrApplication() {
        given("database_redirect_preference_list = 'db:2'");
        assertThat(router.chooseLoadBalanceNode(cluster, state)).isEqualTo(2);
        given("database_redirect_preference_list = 'db:2'", "app_name_redirect_preference_list = 'app:primary'");
        assertThat(router.chooseLoadBalanceNode(cluster, state)).as("application name wins").isEqualTo(0);
        given("database_redirect_preference_list = 'other:2'");
        cluster = cluster(3, 0, 0, 1, 0);
        assertThat(router.chooseLoadBalanceNode(cluster, state)).isEqualTo(1);
    }

    @Test
    void aDownNodeIsNeverChosen() {
        given();
        cluster = cluster.withNode(cluster.node(1).withStatus(NodeStatus.DOWN, Instant.now()));
        for (int i = 0; i < 200; i++) {
            assertThat(router.chooseLoadBalanceNode(cluster, state)).isNotEqualTo(1);
        }
    }

    @Test
    void missingFactsAreListedBeforeRouting() {
        given();
        CatalogFacts unknown = new CatalogFacts() {
            @Override
            public Boolean isVolatileFunction(QualifiedName f) {
                return null;
            }

            @Override
            public Boolean isUnloggedTable(QualifiedName r) {
                return null;
            }
        };
        Router.Missing m = router.missingFacts(SqlAnalyzer.analyze("SELECT f(a) FROM t, pg_class"), unknown);
        assertThat(m.functions()).extracting(Object::toString).containsExactly("f");
        assertThat(m.relations()).extracting(Object::toString).containsExactly("t");
        assertThat(router.missingFacts(SqlAnalyzer.analyze("INSERT INTO t SELECT f()"), unknown).isEmpty()).isTrue();
    }

    static ClusterSnapshot cluster(int n, int primary, double... weights) {
        List<BackendNode> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double w = weights.length > i ? weights[i] : 1;
            nodes.add(new BackendNode(i, "127.0.0.1", 5432 + i, w, "", "node" + i, true, false, NodeStatus.UP,
                    Instant.now(), 0, null, null));
        }
        return new ClusterSnapshot(io.jpgpool.config.ClusteringMode.STREAMING_REPLICATION, nodes, primary, 0);
    }
}
