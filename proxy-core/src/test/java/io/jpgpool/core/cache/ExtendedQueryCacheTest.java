package io.jpgpool.core.cache;

import static io.jpgpool.core.cache.Wire.complete;
import static io.jpgpool.core.cache.Wire.executeRows;
import static io.jpgpool.core.cache.Wire.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.backend.RowDescription;
import io.jpgpool.protocol.frontend.Execute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The extended protocol: Parse, Bind, Describe, Close and Sync go to the backend, an Execute may be answered from
 * the cache (pgpool's streaming-replication mode), with pgpool's regression scenarios 065, 072, 074 and its
 * extended-query tests query-cache and query-cache-notrans among them; and what lets the session keep a Bind
 * whose Execute the cache answers (servesPortal, describeHeld, executeHeld).
 */
class ExtendedQueryCacheTest {
    private static final String SELECT = "SELECT description FROM test WHERE id = $1";
    private final TestCatalog catalog = new TestCatalog().table("test", "pgproto_test1", "t1");
    private final QueryCacheSettings settings = new QueryCacheSettings(true, 64L << 20, 1000, 0, 409_600, true,
            List.of(), List.of(), false);
    private final QueryCache store = new QueryCache(settings);

    private Client client() {
        return new Client(store, catalog, () -> settings, "alice", Map.of());
    }

    /** Parse/Bind/Execute/Sync of the unnamed statement; the Execute's local reply, or null. */
    private ByteBuf once(Client c, String sql, List<String> params, ByteBuf answer) {
        c.parse("", sql);
        c.bind("", "", params);
        ByteBuf reply = c.execute("", 0, answer);
        c.sync('I');
        return reply;
    }

    /**
     * A Bind whose first Execute the cache answers need not reach the backend (the session keeps it): the cache
     * says so without counting a hit, describes the portal with the RowDescription kept from a Describe that came
     * before the answer was cached, and answers the Execute.
     */
    @Test
    void aPortalTheCacheServesNeedsNoBackendForItsDescribeAndExecute() {
        Client c = client();
        c.parse("S1", SELECT);
        c.bind("", "S1", List.of("1"));
        assertThat(c.cache.servesPortal("")).as("nothing cached yet").isFalse();
        CacheHandle describe = c.cache.described("");
        QueryCacheSession.Execution sent = c.cache.execute(new Execute("", 0), false);
        ByteBuf description = Unpooled.buffer();
        new RowDescription(List.of("description")).encode(description);
        describe.frame(description.duplicate()); // the Describe's answer comes before the Execute's
        sent.handle().frame(executeRows("one"));
        c.sync('I');

        Client next = client();
        next.parse("S1", SELECT);
        next.bind("", "S1", List.of("1"));
        long hits = store.stats().cacheHits();
        assertThat(next.cache.servesPortal("")).isTrue();
        assertThat(ByteBufUtil.equals(next.cache.describeHeld(""), description)).isTrue();
        assertThat(store.stats().cacheHits()).as("asking counts no hit").isEqualTo(hits);
        assertThat(Wire.values(next.cache.executeHeld(new Execute("", 0)).reply())).containsExactly("one");
        assertThat(store.stats().cacheHits()).isEqualTo(hits + 1);
        assertThat(Wire.commandTag(next.cache.executeHeld(new Execute("", 0)).reply())).isEqualTo("SELECT 0");
        next.sync('I');

        Client limited = client();
        limited.parse("S1", SELECT);
        limited.bind("", "S1", List.of("1"));
        assertThat(limited.cache.executeHeld(new Execute("", 1))).as("a row limit: the Bind goes out").isNull();
    }

    @Test
    void anAnswerCachedWithoutADescribeCannotDescribeItsPortal() {
        once(client(), SELECT, List.of("2"), executeRows("two"));
        Client c = client();
        c.parse("", SELECT);
        c.bind("", "", List.of("2"));
        assertThat(c.cache.servesPortal("")).isTrue();
        assertThat(c.cache.describeHeld("")).isNull();
        store.invalidateTables("test", List.of("test"));
        assertThat(c.cache.servesPortal("")).as("invalidated").isFalse();
        assertThat(c.cache.executeHeld(new Execute("", 0))).isNull();
    }

    @Test
    void aRepeatedExecuteIsAnsweredWithTheDataRowsAndCommandCompleteOnly() {
        Client c = client();
        ByteBuf answer = executeRows("one");
        assertThat(once(c, SELECT, List.of("1"), answer.duplicate())).isNull();
        ByteBuf reply = once(client(), SELECT, List.of("1"), null);
        assertThat(Wire.tags(reply)).isEqualTo("DC");
        assertThat(ByteBufUtil.equals(reply, answer)).isTrue();
    }

    @Test
    void eachParameterValueHasItsOwnAnswer() {
        // pgpool's 065.bug152: one prepared statement, ids 1..10 over and over, each must get its own row
        Client c = client();
        c.parse("S_1", SELECT, 20);
        for (int round = 0; round < 3; round++) {
            for (int id = 1; id <= 10; id++) {
                c.bind("", "S_1", List.of(String.valueOf(id)));
                ByteBuf reply = c.execute("", 0, executeRows("row" + id));
                c.sync('I');
                if (round > 0) {
                    assertThat(Wire.values(reply)).containsExactly("row" + id);
                } else {
                    assertThat(reply).isNull();
                }
            }
        }
        assertThat(store.stats().entries()).isEqualTo(10);
    }

    @Test
    void resultFormatsAndParameterTypesArePartOfTheKey() {
        once(client(), "SELECT $1", List.of("01"), executeRows("01"));
        Client c = client();
        c.parse("", "SELECT $1", 23); // the same text and value, but int4: the backend answers 1
        c.bind("", "", List.of("01"));
        assertThat(c.execute("", 0, executeRows("1"))).isNull();
        c.sync('I');
        c.parse("", "SELECT $1");
        c.bind("", "", List.of("01"), (short) 1); // binary results
        assertThat(c.execute("", 0, executeRows("\u0001"))).isNull();
        c.sync('I');
        assertThat(Wire.values(once(client(), "SELECT $1", List.of("01"), null))).containsExactly("01");
    }

    @Test
    void anExecuteRegistersAtTheSyncNotBefore() {
        // pgpool's query-cache-notrans: two identical SELECTs before one Sync both run on the backend
        Client c = client();
        c.parse("S2", "SELECT 1 FROM pgproto_test1");
        c.bind("", "S2", List.of());
        assertThat(c.execute("", 0, executeRows("1"))).isNull();
        c.close('S', "S2");
        c.parse("S3", "SELECT 1 FROM pgproto_test1");
        c.bind("", "S3", List.of());
        assertThat(c.execute("", 0, executeRows("1"))).isNull();
        c.close('S', "S3");
        c.sync('I');
        assertThat(once(client(), "SELECT 1 FROM pgproto_test1", List.of(), null)).isNotNull();
    }

    @Test
    void aSecondExecuteOfAPortalAnsweredFromTheCacheGetsSelectZero() {
        once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"));
        Client c = client();
        c.parse("", "SELECT 1 FROM t1");
        c.bind("", "", List.of());
        assertThat(Wire.tags(c.execute("", 0, null))).isEqualTo("DC");
        ByteBuf again = c.execute("", 0, null);
        assertThat(Wire.tags(again)).isEqualTo("C");
        assertThat(Wire.commandTag(again)).isEqualTo("SELECT 0");
        c.sync('I');
    }

    @Test
    void anExecuteWithARowLimitIsNeitherLookedUpNorCached() {
        once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"));
        Client c = client();
        c.parse("", "SELECT * FROM (VALUES(1),(2)) v FROM t1");
        c.bind("", "", List.of());
        assertThat(c.execute("", 1, executeRows("1"))).isNull();
        c.sync('I');
        c.parse("", "SELECT 1 FROM t1");
        c.bind("", "", List.of());
        assertThat(c.execute("", 1, executeRows("1"))).as("a row limit: never from the cache").isNull();
        c.sync('I');
    }

    @Test
    void twoPortalsOfOneStatementBeforeOneSync() {
        // pgpool's 074.bug700_memqcache_segfault, run twice
        for (int round = 0; round < 2; round++) {
            Client c = client();
            c.parse("S1", "SELECT 1");
            c.bind("P1", "S1", List.of());
            ByteBuf first = c.execute("P1", 0, executeRows("1"));
            c.close('P', "P1");
            c.bind("P2", "S1", List.of());
            ByteBuf second = c.execute("P2", 0, executeRows("1"));
            c.close('P', "P2");
            c.sync('I');
            if (round == 0) {
                assertThat(first).isNull();
                assertThat(second).isNull();
            } else {
                assertThat(Wire.values(first)).containsExactly("1");
                assertThat(Wire.values(second)).containsExactly("1");
            }
        }
    }

    @Test
    void anExecuteAfterASyncInsideATransaction() {
        // pgpool's 072.meqcache_bug2: the portal outlives the Sync while the transaction is open
        Client c = client();
        once(c, "SELECT 1", List.of(), executeRows("1"));
        c.parse("", "BEGIN");
        c.bind("", "", List.of());
        c.execute("", 0, complete("BEGIN"));
        c.parse("", "SELECT 1");
        c.bind("", "", List.of());
        c.sync('T');
        assertThat(Wire.values(c.execute("", 0, null))).containsExactly("1");
        c.parse("", "END");
        c.bind("", "", List.of());
        c.execute("", 0, complete("COMMIT"));
        c.sync('I');
    }

    @Test
    void aTransactionInOneSyncRegistersAtItsCommit() {
        // pgpool's extended-query test query-cache
        Client c = client();
        c.parse("S1", "BEGIN");
        c.bind("", "S1", List.of());
        c.execute("", 0, complete("BEGIN"));
        c.close('S', "S1");
        c.parse("S2", "SELECT 1 FROM pgproto_test1");
        c.bind("", "S2", List.of());
        assertThat(c.execute("", 0, executeRows("1"))).isNull();
        c.close('S', "S2");
        c.parse("S4", "COMMIT");
        c.bind("", "S4", List.of());
        c.execute("", 0, complete("COMMIT"));
        c.close('S', "S4");
        c.sync('I');
        c.parse("S3", "SELECT 1 FROM pgproto_test1");
        c.bind("", "S3", List.of());
        assertThat(Wire.values(c.execute("", 0, null))).containsExactly("1");
        c.close('S', "S3");
        c.sync('I');
    }

    @Test
    void aWriteEarlierInTheSameSyncKeepsTheCacheAwayAndInvalidatesAtTheSync() {
        once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"));
        Client c = client();
        c.parse("", "UPDATE t1 SET i = 2");
        c.bind("", "", List.of());
        c.execute("", 0, complete("UPDATE 1"));
        c.parse("", "SELECT 1 FROM t1");
        c.bind("", "", List.of());
        assertThat(c.execute("", 0, executeRows("2"))).as("the implicit transaction wrote").isNull();
        assertThat(once(client(), "SELECT 1 FROM t1", List.of(), null)).as("not committed before the Sync")
                .isNotNull();
        c.sync('I');
        assertThat(once(client(), "SELECT 1 FROM t1", List.of(), executeRows("2"))).isNull();
    }

    @Test
    void anExecuteOfAStatementJpgpoolNeverSawParsedInvalidatesTheDatabase() {
        once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"));
        Client c = client();
        c.bind("", "nobody_parsed_this", List.of());
        c.execute("", 0, complete("UPDATE 1"));
        c.sync('I');
        assertThat(once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"))).isNull();
    }

    @Test
    void simpleAndExtendedAnswersAreKeptApart() {
        Client c = client();
        c.query("SELECT 1 FROM t1", rows("1"));
        assertThat(once(client(), "SELECT 1 FROM t1", List.of(), executeRows("1"))).isNull();
        assertThat(Wire.tags(client().query("SELECT 1 FROM t1", null))).isEqualTo("TDCZ");
        assertThat(Wire.tags(once(client(), "SELECT 1 FROM t1", List.of(), null))).isEqualTo("DC");
    }
}
