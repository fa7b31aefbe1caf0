package io.jpgpool.core.cache;

import static io.jpgpool.core.cache.Wire.complete;
import static io.jpgpool.core.cache.Wire.error;
import static io.jpgpool.core.cache.Wire.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.sql.SqlAnalyzer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SEMANTICS F.2-F.4 through the simple protocol: scenarios of one or more sessions sharing one cache. */
class SimpleQueryCacheTest {
    private static final String SELECT = "SELECT v FROM t1";
    private final TestCatalog catalog = new TestCatalog().table("t1", "t2", "t3").view("cache_safe_v", 'v', "t1")
            .view("normal_v", 'v', "t1");
    private QueryCacheSettings settings = settings(true);
    private final QueryCache store = new QueryCache(settings);

    private QueryCacheSettings settings(boolean autoInvalidation) {
        return new QueryCacheSettings(true, 64L << 20, 1000, 0, 409_600, autoInvalidation,
                List.of(Pattern.compile("cache_safe_v")), List.of(Pattern.compile("t3")), false);
    }

    private Client client() {
        return client("alice", Map.of());
    }

    private Client client(String user, Map<String, String> startup) {
        return new Client(store, catalog, () -> settings, user, startup);
    }

    @Test
    void theSameSelectInFiveSessionsRunsOnceAndEveryClientGetsTheSameBytes() {
        ByteBuf answer = rows("1", "2");
        assertThat(client().query(SELECT, answer.duplicate())).isNull();
        for (int i = 0; i < 4; i++) {
            ByteBuf replay = client().query(SELECT, null);
            assertThat(replay).isNotNull();
            assertThat(Wire.tags(replay)).isEqualTo("TDDCZ");
            ByteBuf body = replay.slice(0, answer.readableBytes());
            assertThat(ByteBufUtil.equals(body, answer)).isTrue();
            assertThat(replay.getByte(replay.writerIndex() - 1)).isEqualTo((byte) 'I');
        }
        CacheStats s = store.stats();
        assertThat(s.cacheHits()).isEqualTo(4);
        assertThat(s.selects()).isEqualTo(1);
        assertThat(s.entries()).isEqualTo(1);
    }

    @Test
    void anUpdateThroughJpgpoolInvalidatesAndTheNextSelectSeesTheNewValue() {
        Client a = client();
        a.query(SELECT, rows("1"));
        assertThat(client().query(SELECT, null)).isNotNull();
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'I');
        assertThat(client().query(SELECT, rows("2"))).isNull();
        assertThat(Wire.values(client().query(SELECT, null))).containsExactly("2");
    }

    @Test
    void anUpdateInATransactionThatRollsBackInvalidatesNothing() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.run("ROLLBACK", "ROLLBACK", 'I');
        assertThat(Wire.values(client().query(SELECT, null))).containsExactly("1");
    }

    @Test
    void anUpdateInATransactionInvalidatesAtCommitNotBefore() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        assertThat(client().query(SELECT, null)).as("not committed yet: the old row is still true").isNotNull();
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("2"))).isNull();
    }

    @Test
    void aSelectInATransactionAfterAWriteIsNeverServedNorRegistered() {
        client().query(SELECT, rows("1"));
        Client a = client();
        a.run("BEGIN", "BEGIN", 'T');
        a.run("INSERT INTO t2 VALUES (1)", "INSERT 0 1", 'T');
        assertThat(a.query(SELECT, rows("1"), 'T')).as("a write, even to another table, stops the cache").isNull();
        assertThat(a.query("SELECT v FROM t2", rows("1"), 'T')).isNull();
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query("SELECT v FROM t2", rows("1"))).as("not registered").isNull();
    }

    @Test
    void aResultReadInATransactionIsRegisteredAtCommitAndDroppedAtRollback() {
        Client a = client();
        a.run("BEGIN", "BEGIN", 'T');
        a.query(SELECT, rows("1"), 'T');
        assertThat(client().query(SELECT, rows("1"))).as("not before COMMIT").isNull();
        a.run("COMMIT", "COMMIT", 'I');
        store.invalidateAll();

        a.run("BEGIN", "BEGIN", 'T');
        a.query(SELECT, rows("1"), 'T');
        a.run("ROLLBACK", "ROLLBACK", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
        assertThat(client().query(SELECT, null)).isNotNull();
    }

    @Test
    void aResultReadBeforeAWriteToItsTableInTheSameTransactionIsDropped() {
        Client a = client();
        a.run("BEGIN", "BEGIN", 'T');
        a.query(SELECT, rows("1"), 'T');
        a.query("SELECT v FROM t2", rows("5"), 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("2"))).isNull();
        assertThat(Wire.values(client().query("SELECT v FROM t2", null))).containsExactly("5");
    }

    @Test
    void writesToTwoTablesInOneTransactionInvalidateBoth() {
        // pgpool's regression test 050.bug58
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("DELETE FROM t2 WHERE v = 0", "DELETE 0", 'T');
        a.run("INSERT INTO t1(v) VALUES(1)", "INSERT 0 1", 'T');
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("1", "1"))).isNull();
    }

    @Test
    void aFailedWriteInvalidatesNothingAndAFailedSelectCachesNothing() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.query("UPDATE t1 SET v = 1/0", error("division by zero"), 'I');
        assertThat(client().query(SELECT, null)).isNotNull();
        a.query("SELECT v FROM t2", error("boom"), 'I');
        assertThat(client().query("SELECT v FROM t2", rows("1"))).isNull();
    }

    @Test
    void anErrorInATransactionDropsItsResults() {
        Client a = client();
        a.run("BEGIN", "BEGIN", 'T');
        a.query(SELECT, rows("1"), 'T');
        a.query("SELECT nosuch", error("column does not exist"), 'E');
        client().query("SELECT v FROM t2", rows("9"));
        assertThat(a.cache.lookup("SELECT v FROM t2", SqlAnalyzer.analyze("SELECT v FROM t2")))
                .as("no lookup in a failed transaction").isNull();
        a.run("COMMIT", "ROLLBACK", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
    }

    @Test
    void withAutoInvalidationOffOnlyTheExpiryAndWhatClearsEverythingDropResults() {
        settings = settings(false);
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'I');
        a.run("DROP DATABASE test", "DROP DATABASE", 'I');
        assertThat(client().query(SELECT, null)).isNotNull();
        a.run("ALTER ROLE bob NOBYPASSRLS", "ALTER ROLE", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
    }

    @Test
    void dropDatabaseDropsThatDatabasesResults() {
        client().query(SELECT, rows("1"));
        Client other = client();
        QueryCacheSession elsewhere = new QueryCacheSession(store, () -> settings, catalog, n -> false, n -> { },
                "alice", "postgres", Map.of());
        var st = SqlAnalyzer.analyze("DROP DATABASE test");
        elsewhere.querySent("DROP DATABASE test", st, false).frame(complete("DROP DATABASE"));
        elsewhere.readyForQuery((byte) 'I');
        assertThat(other.query(SELECT, rows("1"))).isNull();
    }

    @Test
    void alterRoleClearsTheCacheUnlessOnlyThePasswordChanges() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("ALTER ROLE bob PASSWORD 'x'", "ALTER ROLE", 'I');
        assertThat(client().query(SELECT, null)).isNotNull();
        a.run("ALTER ROLE foo BYPASSRLS", "ALTER ROLE", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
    }

    @Test
    void alterTableInATransactionStopsTheCacheForItAndClearsEverythingAtCommit() {
        // pgpool 4.3.20's 006.memqcache alter_table1 / alter_database1
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("ALTER TABLE t2 ADD COLUMN j INT", "ALTER TABLE", 'T');
        assertThat(a.query(SELECT, rows("1"), 'T')).isNull();
        assertThat(client().query(SELECT, null)).as("others still use it").isNotNull();
        a.run("END", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
        assertThat(a.catalogChanges).containsExactly("test");

        client().query(SELECT, null);
        a.run("BEGIN", "BEGIN", 'T');
        a.run("ALTER TABLE t2 ADD COLUMN k INT", "ALTER TABLE", 'T');
        a.run("ROLLBACK", "ROLLBACK", 'I');
        assertThat(client().query(SELECT, null)).as("nothing cleared at ROLLBACK").isNotNull();
    }

    @Test
    void setRoleTurnsTheCacheOffForTheSessionUntilDiscardAll() {
        client().query(SELECT, rows("1"));
        Client a = client();
        a.run("SET ROLE TO foo", "SET", 'I');
        assertThat(a.query(SELECT, rows("1"))).isNull();
        a.run("RESET ROLE", "RESET", 'I');
        assertThat(a.query(SELECT, rows("1"))).as("pgpool keeps it off").isNull();
        a.run("DISCARD ALL", "DISCARD ALL", 'I');
        assertThat(a.query(SELECT, null)).isNotNull();
    }

    @Test
    void sessionsWithAnotherSearchPathOrClientEncodingDoNotShareResults() {
        client().query(SELECT, rows("public"));
        Client a = client();
        a.run("SET search_path TO tenant1", "SET", 'I');
        assertThat(a.query(SELECT, rows("tenant1"))).isNull();
        Client b = client();
        b.run("SET search_path = tenant1", "SET", 'I');
        assertThat(Wire.values(b.query(SELECT, null))).containsExactly("tenant1");
        b.run("RESET search_path", "RESET", 'I');
        assertThat(Wire.values(b.query(SELECT, null))).containsExactly("public");
        b.run("SET statement_timeout = 1000", "SET", 'I');
        assertThat(b.query(SELECT, null)).as("harmless settings do not split the cache").isNotNull();
        assertThat(client("alice", Map.of("client_encoding", "LATIN1")).query(SELECT, rows("x"))).isNull();
        assertThat(client("bob", Map.of()).query(SELECT, rows("x"))).as("another user").isNull();
    }

    @Test
    void aSetInATransactionCountsFromItsCommit() {
        Client a = client();
        a.run("BEGIN", "BEGIN", 'T');
        a.run("SET search_path TO tenant1", "SET", 'T');
        a.run("ROLLBACK", "ROLLBACK", 'I');
        client().query(SELECT, rows("public"));
        assertThat(a.query(SELECT, null)).as("rolled back: the default path again").isNotNull();
        a.run("BEGIN", "BEGIN", 'T');
        a.run("SET search_path TO tenant1", "SET", 'T');
        assertThat(a.query(SELECT, rows("tenant1"), 'T')).isNull();
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(a.query(SELECT, rows("tenant1"))).isNull();
    }

    @Test
    void aSessionsOwnTemporaryTableHidesTheCachedTableOfTheSameName() {
        client().query(SELECT, rows("shared"));
        Client a = client();
        a.tempTables.add("t1");
        assertThat(a.query(SELECT, rows("mine"))).isNull();
        assertThat(Wire.values(client().query(SELECT, null))).containsExactly("shared");
    }

    @Test
    void whatIsNeverCachedAndWhatTheListsAllow() {
        for (String sql : List.of("SELECT now()", "SELECT random()", "SELECT * FROM normal_v", "SELECT * FROM t3",
                "SELECT v FROM t1 FOR UPDATE", "SELECT 1; SELECT 2")) {
            client().query(sql, rows("1"));
            assertThat(client().query(sql, rows("1"))).as(sql).isNull();
        }
        client().query("SELECT * FROM cache_safe_v", rows("1"));
        assertThat(client().query("SELECT * FROM cache_safe_v", null)).isNotNull();
        client().run("UPDATE t1 SET v = 3", "UPDATE 1", 'I');
        assertThat(client().query("SELECT * FROM cache_safe_v", rows("3"))).as("a write under the view").isNull();
    }

    @Test
    void aResultAboveMemqcacheMaxcacheIsNotCached() {
        QueryCache small = new QueryCache(new QueryCacheSettings(true, 64L << 20, 1000, 0, 100, true, List.of(),
                List.of(), false));
        Client a = new Client(small, catalog, () -> settings, "alice", Map.of());
        a.query(SELECT, rows("x".repeat(200)));
        assertThat(a.query(SELECT, rows("y"))).isNull();
        assertThat(a.query(SELECT, null)).isNotNull();
    }

    @Test
    void aWriteCommittedWhileASelectRanLeavesNoStaleAnswer() {
        Client reader = client();
        Client writer = client();
        var st = SqlAnalyzer.analyze(SELECT);
        CacheHandle h = reader.cache.querySent(SELECT, st, false); // the SELECT starts, sees the old row
        writer.run("UPDATE t1 SET v = 2", "UPDATE 1", 'I');    // the UPDATE commits meanwhile
        h.frame(rows("1"));
        reader.cache.readyForQuery((byte) 'I');
        assertThat(client().query(SELECT, rows("2"))).as("the old answer was not registered").isNull();
    }

    @Test
    void multiStatementStringsAreNotCachedAndInvalidateEveryTableTheyWrite() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.query("SELECT v FROM t2", rows("1"));
        a.query("BEGIN; UPDATE t2 SET v = 2; COMMIT; SELECT 1", Wire.concat(complete("BEGIN"), complete("UPDATE 1"),
                complete("COMMIT"), rows("1")), 'I');
        assertThat(client().query("SELECT v FROM t2", rows("2"))).isNull();
        assertThat(client().query(SELECT, null)).isNotNull();
        a.query("UPDATE t1 SET v = 5; SELECT 1/0", Wire.concat(complete("UPDATE 1"), error("division by zero")), 'I');
        assertThat(client().query(SELECT, rows("1"))).as("the safe side: what succeeded invalidates").isNull();
    }

    @Test
    void sqlLevelPreparedWritesInvalidateWhenExecuted() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("PREPARE up AS UPDATE t1 SET v = $1", "PREPARE", 'I');
        assertThat(client().query(SELECT, null)).isNotNull();
        a.run("EXECUTE up(3)", "UPDATE 1", 'I');
        assertThat(client().query(SELECT, rows("3"))).isNull();
    }

    @Test
    void copyFromInvalidates() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("COPY t1 FROM STDIN", "COPY 3", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
    }

    @Test
    void missingFactsAreAskedForReadsAndWrites() {
        Client a = client();
        var m = a.cache.missingFacts("SELECT f(x) FROM newtable", SqlAnalyzer.analyze(
                "SELECT f(x) FROM newtable"));
        assertThat(m.functions()).extracting(Object::toString).containsExactly("f");
        assertThat(m.relations()).extracting(Object::toString).containsExactly("newtable");
        String w = "UPDATE other SET x = g(1); SELECT now()";
        var mw = a.cache.missingFacts(w, SqlAnalyzer.analyze(w));
        assertThat(mw.functions()).extracting(Object::toString).containsExactly("g");
        assertThat(mw.relations()).extracting(Object::toString).containsExactly("other");
        assertThat(a.cache.missingFacts(SELECT, SqlAnalyzer.analyze(SELECT)).isEmpty()).isTrue();
    }

    @Test
    void aPipelinedQueryIsNotAnsweredWhileAnEarlierOneWaitsForItsReadyForQuery() {
        client().query(SELECT, rows("1"));
        Client a = client();
        CacheHandle begin = a.cache.querySent("BEGIN", SqlAnalyzer.analyze("BEGIN"), false);
        assertThat(a.cache.lookup(SELECT, SqlAnalyzer.analyze(SELECT))).as("the status to answer with is unknown")
                .isNull();
        begin.frame(complete("BEGIN"));
        a.cache.readyForQuery((byte) 'T');
        ByteBuf hit = a.cache.lookup(SELECT, SqlAnalyzer.analyze(SELECT));
        assertThat(Wire.tags(hit)).isEqualTo("TDCZ");
        assertThat(hit.getByte(hit.writerIndex() - 1)).as("ReadyForQuery(T)").isEqualTo((byte) 'T');
    }

    @Test
    void theSettingsAreMadeAgainOnlyWhenTheConfigurationChanges() throws Exception {
        io.jpgpool.config.PgpoolConfig[] config = {io.jpgpool.config.PgpoolConfig.defaults()};
        var current = QueryCacheSettings.current(() -> config[0]);
        QueryCacheSettings first = current.get();
        assertThat(current.get()).isSameAs(first);
        config[0] = io.jpgpool.config.PgpoolConfig.parse("x", "memqcache_auto_cache_invalidation = off");
        assertThat(current.get().autoInvalidation()).isFalse();
    }

    @Test
    void aSavepointRollbackStillInvalidatesAtCommitButRegistersNothing() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.query("SELECT v FROM t2", rows("1"), 'T');
        a.run("SAVEPOINT s", "SAVEPOINT", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.query("SELECT 1/0", error("division by zero"), 'E');
        a.run("ROLLBACK TO SAVEPOINT s", "ROLLBACK", 'T');
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query("SELECT v FROM t2", rows("1"))).as("the transaction had an error").isNull();
    }

    @Test
    void aWriteBeforeASavepointThatWasRolledBackToStillInvalidatesAtCommit() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.run("SAVEPOINT s", "SAVEPOINT", 'T');
        a.query("SELECT 1/0", error("division by zero"), 'E');
        a.run("ROLLBACK TO SAVEPOINT s", "ROLLBACK", 'T');
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("2"))).isNull();
    }

    @Test
    void commitAndChainCommitsAndTheChainedTransactionStartsAfresh() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.run("COMMIT AND CHAIN", "COMMIT", 'T');
        assertThat(client().query(SELECT, rows("2"))).as("committed: invalidated").isNull();
        a.query("SELECT v FROM t2", rows("7"), 'T');
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(Wire.values(client().query("SELECT v FROM t2", null))).containsExactly("7");
    }

    @Test
    void preparedTransactionsInvalidateAndCommitPreparedClearsTheDatabase() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.query("SELECT v FROM t2", rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.run("UPDATE t1 SET v = 2", "UPDATE 1", 'T');
        a.run("PREPARE TRANSACTION 'x'", "PREPARE TRANSACTION", 'I');
        assertThat(client().query(SELECT, rows("1"))).isNull();
        assertThat(client().query("SELECT v FROM t2", null)).isNotNull();
        a.run("COMMIT PREPARED 'x'", "COMMIT PREPARED", 'I');
        assertThat(client().query("SELECT v FROM t2", rows("1"))).isNull();
    }

    @Test
    void aFunctionCallDropsTheDatabasesResultsAndStopsCachingInItsTransaction() {
        Client a = client();
        a.query(SELECT, rows("1"));
        a.run("BEGIN", "BEGIN", 'T');
        a.cache.functionCallSent();
        a.cache.readyForQuery((byte) 'T');
        assertThat(a.query("SELECT v FROM t2", rows("1"), 'T')).as("nothing looked up after it").isNull();
        assertThat(client().query(SELECT, null)).as("not before it commits").isNotNull();
        a.run("COMMIT", "COMMIT", 'I');
        assertThat(client().query(SELECT, rows("2"))).isNull();
        assertThat(client().query("SELECT v FROM t2", rows("1"))).as("nothing of its transaction was kept").isNull();
    }

    @Test
    void theCacheOffDoesNothing() {
        QueryCacheSession off = new QueryCacheSession(QueryCache.disabled(), () -> QueryCacheSettings.DISABLED,
                catalog, n -> false, n -> { }, "alice", "test", Map.of());
        var st = SqlAnalyzer.analyze(SELECT);
        assertThat(off.lookup(SELECT, st)).isNull();
        assertThat(off.querySent(SELECT, st, false)).isNull();
        assertThat(off.missingFacts(SELECT, st).isEmpty()).isTrue();
    }
}
