package io.jpgpool.bench;

import io.jpgpool.core.cache.CacheCatalog;
import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.cache.FunctionFacts;
import io.jpgpool.core.cache.QueryCache;
import io.jpgpool.core.cache.QueryCacheSession;
import io.jpgpool.core.cache.QueryCacheSettings;
import io.jpgpool.core.cache.RelationFacts;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.DataRow;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.backend.RowDescription;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A query cache hit as the event loop pays for it: the lookup of a pgbench select (key, Caffeine, equality of
 * the text) and the bytes to replay (RowDescription, DataRow, CommandComplete, ReadyForQuery), with 4096 cached
 * statements; and for the extended protocol the Bind (its key) and the Execute answered from the cache.
 */
public class QueryCacheBench extends PerCallBench {
    private static final int KEYS = 4096;

    /** "same": one statement every time; "spread": a different one of the 4096 each time. */
    @Param({"same", "spread"})
    public String keys;

    private QueryCacheSession session;
    private String[] sql;
    private Statement[] statements;
    private ByteBuf[] binds;
    private int next;

    @Setup
    public void setUp() {
        QueryCacheSettings settings = new QueryCacheSettings(true, 64L << 20, 1_000_000, 0, 409_600, true,
                List.of(), List.of(), false);
        QueryCache store = new QueryCache(settings);
        RelationFacts accounts = new RelationFacts(List.of(new RelationFacts.Relation("public", "pgbench_accounts",
                'r', 'p', false, false)), List.of(), List.of());
        CacheCatalog catalog = new CacheCatalog() {
            @Override
            public FunctionFacts function(QualifiedName function) {
                return null;
            }

            @Override
            public RelationFacts relation(QualifiedName relation) {
                return accounts;
            }
        };
        session = new QueryCacheSession(store, () -> settings, catalog, name -> false, db -> { }, "bench",
                "bench", Map.of("client_encoding", "UTF8"));
        sql = new String[KEYS];
        statements = new Statement[KEYS];
        binds = new ByteBuf[KEYS];
        String prepared = "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
        session.parsed(new Parse("S_1", prepared), SqlAnalyzer.analyze(prepared));
        for (int i = 0; i < KEYS; i++) {
            sql[i] = "SELECT abalance FROM pgbench_accounts WHERE aid = " + (100_000 + 7 * i) + ";";
            statements[i] = SqlAnalyzer.analyze(sql[i]);
            CacheHandle h = session.querySent(sql[i], statements[i], false);
            h.frame(answer(true, i));
            session.readyForQuery(ReadyForQuery.IDLE);

            binds[i] = bind(String.valueOf(100_000 + 7 * i));
            session.bound(Bind.decode(binds[i]), binds[i]);
            session.execute(new Execute("", 0), false).handle().frame(answer(false, i));
            session.readyForQuery(ReadyForQuery.IDLE);
        }
    }

    private static ByteBuf answer(boolean rowDescription, int i) {
        ByteBuf b = Unpooled.buffer();
        if (rowDescription) {
            new RowDescription(List.of("abalance")).encode(b);
        }
        new DataRow(List.of(String.valueOf(-i))).encode(b);
        new CommandComplete("SELECT 1").encode(b);
        return b;
    }

    private static ByteBuf bind(String aid) {
        byte[] v = aid.getBytes(StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.buffer();
        b.writeByte('B').writeInt(0).writeByte(0).writeBytes("S_1".getBytes(StandardCharsets.US_ASCII)).writeByte(0);
        b.writeShort(0).writeShort(1).writeInt(v.length).writeBytes(v).writeShort(0);
        b.setInt(1, b.writerIndex() - 1);
        return b;
    }

    private int index() {
        if (keys.equals("same")) {
            return 0;
        }
        next = (next + 1) & (KEYS - 1);
        return next;
    }

    /** Simple protocol: the lookup and the replay (as the session would write it, then release it). */
    @Benchmark
    public int simpleQueryHit() {
        int i = index();
        ByteBuf replay = session.lookup(sql[i], statements[i]);
        int n = replay.readableBytes();
        replay.release();
        return n;
    }

    /** Extended protocol: the Bind's key, and the Execute answered from the cache. */
    @Benchmark
    public int executeHit() {
        int i = index();
        session.bound(Bind.decode(binds[i]), binds[i]);
        ByteBuf replay = session.execute(new Execute("", 0), false).reply();
        int n = replay.readableBytes();
        replay.release();
        session.readyForQuery(ReadyForQuery.IDLE);
        return n;
    }
}
