package io.jpgpool.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared storage (SEMANTICS F.2): keys, bounds, expiry, invalidation, stats. */
class QueryCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;

    private static QueryCacheSettings settings(long total, int maxNum, int expire, int maxCache) {
        return new QueryCacheSettings(true, total, maxNum, expire, maxCache, true, List.of(), List.of(), false);
    }

    private QueryCache cache(long total, int maxNum, int expire) {
        return new QueryCache(settings(total, maxNum, expire, 409_600), ticker, Duration.ofSeconds(2));
    }

    static CacheKey key(String sql) {
        return new CacheKey("alice", "test", "", sql, null);
    }

    static CachedResult result(int bytes, String... tables) {
        return new CachedResult(new byte[bytes], 0, Set.of(tables));
    }

    @Test
    void aRegisteredResultIsFoundByTheSameUserDatabaseSettingsAndText() {
        QueryCache c = cache(64L << 20, 1000, 0);
        CachedResult r = result(100, "t1");
        assertThat(c.register(key("SELECT * FROM t1"), r, c.snapshot(), false)).isTrue();
        assertThat(c.get(key("SELECT * FROM t1"))).isSameAs(r);
        assertThat(c.get(key("select * from t1"))).isNull();
        assertThat(c.get(new CacheKey("bob", "test", "", "SELECT * FROM t1", null))).isNull();
        assertThat(c.get(new CacheKey("alice", "prod", "", "SELECT * FROM t1", null))).isNull();
        assertThat(c.get(new CacheKey("alice", "test", "search_path=x", "SELECT * FROM t1", null))).isNull();
        assertThat(c.get(new CacheKey("alice", "test", "", "SELECT * FROM t1", new byte[0]))).isNull();
        assertThat(c.stats().cacheHits()).isEqualTo(1);
    }

    @Test
    void extendedKeysDifferByTheirBoundBytes() {
        QueryCache c = cache(64L << 20, 1000, 0);
        CacheKey one = new CacheKey("alice", "test", "", "SELECT $1", new byte[] {0, 1, 0, 0, 0, 1, '1', 0, 0});
        c.register(one, result(10), c.snapshot(), false);
        assertThat(c.get(new CacheKey("alice", "test", "", "SELECT $1", new byte[] {0, 1, 0, 0, 0, 1, '1', 0, 0})))
                .isNotNull();
        assertThat(c.get(new CacheKey("alice", "test", "", "SELECT $1", new byte[] {0, 1, 0, 0, 0, 1, '2', 0, 0})))
                .isNull();
    }

    @Test
    void resultsAboveMaxcacheAreNotStoredAndAnExistingOneIsKept() {
        QueryCache c = new QueryCache(settings(64L << 20, 1000, 0, 1000), ticker, Duration.ZERO);
        assertThat(c.register(key("big"), result(1001), c.snapshot(), false)).isFalse();
        assertThat(c.register(key("small"), result(1000), c.snapshot(), false)).isTrue();
        CachedResult first = c.get(key("small"));
        assertThat(c.register(key("small"), result(10), c.snapshot(), false)).isFalse();
        assertThat(c.get(key("small"))).isSameAs(first);
    }

    @Test
    void theCacheStaysWithinMemqcacheTotalSizeWhenFilledPastIt() {
        long total = 1 << 20;
        QueryCache c = cache(total, 1_000_000, 0);
        List<CacheKey> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            CacheKey k = key("SELECT * FROM t WHERE id = " + i);
            keys.add(k);
            c.register(k, result(10_000, "t"), c.snapshot(), false);
        }
        // 1000 x 10 kB = 10 MB offered, 1 MB allowed
        assertThat(c.weightedSize()).isLessThanOrEqualTo(total);
        long held = 0;
        long entries = 0;
        for (CacheKey k : keys) {
            CachedResult r = c.get(k);
            if (r != null) {
                held += r.size();
                entries++;
            }
        }
        assertThat(held).isLessThanOrEqualTo(total).isGreaterThan(total / 2);
        CacheStats s = c.stats();
        assertThat(s.entries()).isEqualTo(entries).isLessThan(1000);
        assertThat(s.usedBytes()).isLessThanOrEqualTo(total).isGreaterThanOrEqualTo(held);
        assertThat(s.freeBytes()).isEqualTo(total - c.weightedSize());
    }

    @Test
    void theNumberOfEntriesStaysWithinMemqcacheMaxNumCache() {
        QueryCache c = cache(64L << 20, 10, 0);
        for (int i = 0; i < 100; i++) {
            c.register(key("SELECT " + i), result(8), c.snapshot(), false);
        }
        assertThat(c.stats().entries()).isLessThanOrEqualTo(10).isGreaterThan(0);
        assertThat(c.stats().hashEntries()).isEqualTo(16);
    }

    @Test
    void entriesExpireAfterMemqcacheExpireAndNeverWithZero() {
        QueryCache c = cache(64L << 20, 1000, 60);
        c.register(key("SELECT 1"), result(8), c.snapshot(), false);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
        assertThat(c.get(key("SELECT 1"))).isNotNull();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertThat(c.get(key("SELECT 1"))).isNull();

        QueryCache forever = cache(64L << 20, 1000, 0);
        forever.register(key("SELECT 1"), result(8), forever.snapshot(), false);
        nanos.addAndGet(TimeUnit.DAYS.toNanos(400));
        assertThat(forever.get(key("SELECT 1"))).isNotNull();
    }

    @Test
    void invalidatingATableDropsTheResultsThatReadItInThatDatabaseOnly() {
        QueryCache c = cache(64L << 20, 1000, 0);
        c.register(key("a"), result(8, "t1"), c.snapshot(), false);
        c.register(key("b"), result(8, "t1", "t2"), c.snapshot(), false);
        c.register(key("c"), result(8, "t2"), c.snapshot(), false);
        c.register(key("d"), result(8), c.snapshot(), false);
        CacheKey other = new CacheKey("alice", "prod", "", "a", null);
        c.register(other, result(8, "t1"), c.snapshot(), false);

        c.invalidateTables("test", List.of("t1"));
        assertThat(c.get(key("a"))).isNull();
        assertThat(c.get(key("b"))).isNull();
        assertThat(c.get(key("c"))).isNotNull();
        assertThat(c.get(key("d"))).isNotNull();
        assertThat(c.get(other)).isNotNull();

        c.invalidateDatabase("test");
        assertThat(c.get(key("c"))).isNull();
        assertThat(c.get(key("d"))).isNull();
        assertThat(c.get(other)).isNotNull();

        c.invalidateAll();
        assertThat(c.get(other)).isNull();
        assertThat(c.stats().entries()).isZero();
        assertThat(c.stats().usedBytes()).isZero();
    }

    @Test
    void aResultOlderThanAnInvalidationOfItsTablesIsRefused() {
        QueryCache c = cache(64L << 20, 1000, 0);
        QueryCache.Snapshot before = c.snapshot();
        c.invalidateTables("test", List.of("t1"));
        assertThat(c.register(key("a"), result(8, "t1"), before, false)).isFalse();
        assertThat(c.register(key("b"), result(8, "t2"), before, false)).isTrue();
        assertThat(c.register(key("a"), result(8, "t1"), c.snapshot(), false)).isTrue();

        QueryCache.Snapshot again = c.snapshot();
        c.invalidateDatabase("test");
        assertThat(c.register(key("c"), result(8), again, false)).isFalse();
        QueryCache.Snapshot last = c.snapshot();
        c.invalidateAll();
        assertThat(c.register(new CacheKey("x", "y", "", "z", null), result(8), last, false)).isFalse();
    }

    @Test
    void aStandbysAnswerIsRefusedShortlyAfterAWriteToItsTables() {
        QueryCache c = cache(64L << 20, 1000, 0);
        c.invalidateTables("test", List.of("t1"));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(c.register(key("a"), result(8, "t1"), c.snapshot(), true)).isFalse();
        assertThat(c.register(key("a"), result(8, "t1"), c.snapshot(), false)).isTrue();
        c.invalidateTables("test", List.of("t1"));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(c.register(key("a"), result(8, "t1"), c.snapshot(), true)).isTrue();
    }

    @Test
    void statsCountHitsSelectsAndBytes() {
        QueryCache c = cache(1 << 20, 1_000_000, 0);
        c.countSelects(3);
        c.register(key("a"), result(100, "t1"), c.snapshot(), false);
        c.get(key("a"));
        c.get(key("missing"));
        CacheStats s = c.stats();
        assertThat(s.cacheHits()).isEqualTo(1);
        assertThat(s.selects()).isEqualTo(3);
        assertThat(s.hitRatio()).isEqualTo(0.25);
        assertThat(s.entries()).isEqualTo(1);
        assertThat(s.usedBytes()).isGreaterThan(100);
        assertThat(s.hashEntries()).isEqualTo(1 << 20);
        assertThat(QueryCache.disabled().stats().hashEntries()).isZero();
    }

    @Test
    void theReplayIsTheStoredBytesWithoutTheRowDescriptionForAnExecute() {
        CachedResult r = new CachedResult(new byte[] {1, 2, 3, 4, 5}, 2, Set.of());
        ByteBuf q = r.queryReply();
        ByteBuf e = r.executeReply();
        assertThat(ByteBufUtil.getBytes(q)).containsExactly(1, 2, 3, 4, 5);
        assertThat(ByteBufUtil.getBytes(e)).containsExactly(3, 4, 5);
        q.release();
        e.release();
    }

    @Test
    void concurrentRegistrationsAndInvalidationsLeaveNoUnindexedResult() throws Exception {
        QueryCache c = cache(4 << 20, 1_000_000, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int worker = w;
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        c.register(key("w" + worker + " " + (i % 500)), result(64, "t" + (i % 3)), c.snapshot(), false);
                    }
                }));
            }
            jobs.add(pool.submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    c.invalidateTables("test", List.of("t" + (i % 3)));
                }
            }));
            for (Future<?> f : jobs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        c.invalidateTables("test", List.of("t0", "t1", "t2"));
        assertThat(c.stats().entries()).isZero();
        assertThat(c.stats().usedBytes()).isZero();
    }
}
