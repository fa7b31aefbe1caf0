package io.jpgpool.core.cache;

import java.time.Instant;

/**
 * The numbers of {@code SHOW pool_cache} and of pool_status' memqcache items (SEMANTICS F.4).
 *
 * @param cacheHits    SELECTs answered from the cache
 * @param selects      SELECTs answered by a backend (pgpool's num_selects: cached or not, once they completed)
 * @param hashEntries  pgpool's hash table size: memqcache_max_num_cache rounded up to a power of 2
 * @param entries      results cached now
 * @param usedBytes    bytes those results and their keys take
 * @param freeBytes    bytes left before the least used results are evicted
 */
public record CacheStats(long cacheHits, long selects, int hashEntries, long entries, long usedBytes,
                         long freeBytes, Instant startTime) {

    /** pgpool's {@code cache_hit_ratio}: hits over hits plus selects, 0 before any. */
    public double hitRatio() {
        long all = cacheHits + selects;
        return all == 0 ? 0.0 : (double) cacheHits / all;
    }
}
