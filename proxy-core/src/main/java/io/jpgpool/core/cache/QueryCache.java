package io.jpgpool.core.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query cache's storage, one for every session and event loop (SEMANTICS F.2): a Caffeine cache bounded by
 * the bytes of its results ({@code memqcache_total_size}) and by their number ({@code memqcache_max_num_cache}),
 * with {@code memqcache_expire}, and an index from each table to the results that read it.
 *
 * <p>Caffeine has one bound, so the number is folded into the bytes: every entry weighs at least
 * {@code memqcache_total_size / memqcache_max_num_cache}, which lets at most memqcache_max_num_cache entries in.
 * Eviction is Caffeine's (frequency and recency) where pgpool wipes its oldest block.
 *
 * <p>A result is only added if no table it read was invalidated after the statement that produced it began:
 * each invalidation takes a number from {@link #snapshot() an epoch}, and a registration brings the epoch its
 * statement (or transaction) started at. So a write committed while a SELECT ran never leaves that SELECT's older
 * answer behind. Results read on a standby are also refused for a short while after a write to their tables,
 * since the standby may not have replayed it yet. Thread-safe; lookups take no lock.
 */
public final class QueryCache {
    private static final Logger LOG = LoggerFactory.getLogger(QueryCache.class);
    /** How long after a write to a table a standby's answer about it is not trusted (replay delay). */
    public static final Duration STANDBY_GRACE = Duration.ofSeconds(2);

    /** A relation name in one database: what a write invalidates. */
    record TableRef(String database, String relation) {
    }

    /** When a table, a database or everything was last invalidated. */
    private record Mark(long epoch, long nanos) {
    }

    /** The epoch and time a statement or transaction started at, for {@link #register}. */
    public record Snapshot(long epoch, long nanos) {
    }

    private final QueryCacheSettings settings;
    private final Ticker ticker;
    private final long standbyGraceNanos;
    private final Cache<CacheKey, CachedResult> cache;
    private final ConcurrentHashMap<TableRef, ConcurrentHashMap<CacheKey, CachedResult>> byTable =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TableRef, Mark> tableMarks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Mark> databaseMarks = new ConcurrentHashMap<>();
    private volatile Mark allMark = new Mark(0, Long.MIN_VALUE / 2);
    private final AtomicLong epoch = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder selects = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Instant startTime = Instant.now();

    public QueryCache(QueryCacheSettings settings) {
        this(settings, Ticker.systemTicker(), STANDBY_GRACE);
    }

    /** With another clock (tests of memqcache_expire and of the standby grace). */
    public QueryCache(QueryCacheSettings settings, Ticker ticker, Duration standbyGrace) {
        this.settings = settings;
        this.ticker = ticker;
        this.standbyGraceNanos = standbyGrace.toNanos();
        if (!settings.enabled()) {
            this.cache = null;
            return;
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (settings.totalSize() > heap / 2) {
            LOG.warn("memqcache_total_size ({} bytes) is more than half of the JVM's largest heap ({} bytes); "
                    + "raise -Xmx (JPGPOOL_JAVA_OPTS) or lower memqcache_total_size", settings.totalSize(), heap);
        }
        long floor = (settings.totalSize() + settings.maxNumCache() - 1) / settings.maxNumCache();
        int minWeight = (int) Math.min(Integer.MAX_VALUE, floor);
        Caffeine<CacheKey, CachedResult> b = Caffeine.newBuilder()
                .maximumWeight(settings.totalSize())
                .weigher((CacheKey k, CachedResult v) -> Math.max(minWeight, k.weight() + v.weight()))
                .executor(Runnable::run)
                .ticker(ticker)
                .removalListener(this::removed);
        if (settings.expireSeconds() > 0) {
            b.expireAfterWrite(Duration.ofSeconds(settings.expireSeconds()));
        }
        this.cache = b.build();
    }

    /** A cache that is off: it finds nothing and keeps nothing. */
    public static QueryCache disabled() {
        return new QueryCache(QueryCacheSettings.DISABLED);
    }

    public boolean enabled() {
        return cache != null;
    }

    public QueryCacheSettings settings() {
        return settings;
    }

    /** The cached result of {@code key}, counted as a hit, or null. */
    public CachedResult get(CacheKey key) {
        if (cache == null) {
            return null;
        }
        CachedResult r = cache.getIfPresent(key);
        if (r != null) {
            hits.increment();
        }
        return r;
    }

    /** Whether a result is cached under {@code key} now (not counted as a hit). */
    public boolean contains(CacheKey key) {
        return cache != null && cache.asMap().containsKey(key);
    }

    /** The result under {@code key}, not counted as a hit (the hit is its Execute). */
    public CachedResult peek(CacheKey key) {
        return cache == null ? null : cache.asMap().get(key);
    }

    /** Where invalidations stand now: taken when a statement or transaction starts. */
    public Snapshot snapshot() {
        return new Snapshot(epoch.get(), ticker.read());
    }

    /**
     * Adds a result (pgpool's pool_commit_cache) unless one is there already, it is larger than
     * memqcache_maxcache, or a table it read was invalidated after {@code since}.
     *
     * @param fromStandby the statement ran on a standby: see {@link #STANDBY_GRACE}
     * @return whether it was added
     */
    public boolean register(CacheKey key, CachedResult result, Snapshot since, boolean fromStandby) {
        if (cache == null || result.size() > settings.maxCache() || stale(key, result, since, fromStandby)) {
            return false;
        }
        if (cache.asMap().putIfAbsent(key, result) != null) {
            return false; // pgpool: "item already exists"
        }
        bytes.add(key.weight() + result.weight());
        for (String t : result.tables()) {
            byTable.compute(new TableRef(key.database(), t), (ref, m) -> {
                ConcurrentHashMap<CacheKey, CachedResult> keys = m == null ? new ConcurrentHashMap<>() : m;
                keys.put(key, result);
                return keys;
            });
        }
        // an eviction between the put and the index, or an invalidation before the index: undo
        if (cache.asMap().get(key) != result) {
            unindex(key, result);
            return false;
        }
        if (stale(key, result, since, fromStandby)) {
            cache.asMap().remove(key, result);
            return false;
        }
        return true;
    }

    private boolean stale(CacheKey key, CachedResult result, Snapshot since, boolean fromStandby) {
        if (allMark.epoch() > since.epoch()) {
            return true;
        }
        Mark db = databaseMarks.get(key.database());
        if (db != null && db.epoch() > since.epoch()) {
            return true;
        }
        for (String t : result.tables()) {
            Mark m = tableMarks.get(new TableRef(key.database(), t));
            if (m != null && (m.epoch() > since.epoch() || fromStandby && since.nanos() - m.nanos() < standbyGraceNanos)) {
                return true;
            }
        }
        return false;
    }

    /** Drops every result that read one of {@code relations} (names without schema) in {@code database}. */
    public void invalidateTables(String database, Collection<String> relations) {
        if (cache == null || relations.isEmpty()) {
            return;
        }
        Mark mark = nextMark();
        for (String t : relations) {
            TableRef ref = new TableRef(database, t);
            tableMarks.put(ref, mark);
            ConcurrentHashMap<CacheKey, CachedResult> keys = byTable.get(ref);
            if (keys != null) {
                keys.forEach((k, v) -> cache.asMap().remove(k, v));
            }
        }
        LOG.debug("query cache: invalidated {} in database {}", relations, database);
    }

    /** Drops every result of one database (DROP DATABASE, DDL, writes jpgpool cannot follow). */
    public void invalidateDatabase(String database) {
        if (cache == null) {
            return;
        }
        databaseMarks.put(database, nextMark());
        cache.asMap().keySet().removeIf(k -> k.database().equals(database));
        LOG.debug("query cache: invalidated database {}", database);
    }

    /** Drops every result (ALTER ROLE, REVOKE..., pcp_invalidate_query_cache). */
    public void invalidateAll() {
        if (cache == null) {
            return;
        }
        allMark = nextMark();
        cache.invalidateAll();
        LOG.info("all query cache in memory deleted");
    }

    private Mark nextMark() {
        return new Mark(epoch.incrementAndGet(), ticker.read());
    }

    /** pgpool's num_selects: SELECTs a backend answered. */
    public void countSelects(long n) {
        if (n > 0) {
            selects.add(n);
        }
    }

    public CacheStats stats() {
        if (cache == null) {
            return new CacheStats(0, 0, 0, 0, 0, 0, startTime);
        }
        cache.cleanUp();
        long weighted = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new CacheStats(hits.sum(), selects.sum(), settings.hashEntries(), cache.estimatedSize(), bytes.sum(),
                Math.max(0, settings.totalSize() - weighted), startTime);
    }

    /** Caffeine's weighted size (what the byte bound applies to), for tests. */
    long weightedSize() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    private void removed(CacheKey key, CachedResult value, RemovalCause cause) {
        if (key == null || value == null) {
            return;
        }
        bytes.add(-(key.weight() + value.weight()));
        unindex(key, value);
    }

    private void unindex(CacheKey key, CachedResult value) {
        for (String t : value.tables()) {
            byTable.computeIfPresent(new TableRef(key.database(), t), (ref, m) -> {
                m.remove(key, value);
                return m.isEmpty() ? null : m;
            });
        }
    }
}
