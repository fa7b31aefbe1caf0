package io.jpgpool.core.cache;

import io.jpgpool.config.PgpoolConfig;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The query cache's parameters (SEMANTICS F.1). The storage ones are read once, when the cache is built
 * (restart parameters); the policy ones ({@code memqcache_auto_cache_invalidation}, the two table lists,
 * {@code log_per_node_statement}) are read again by each session as the configuration is reloaded.
 *
 * @param maxNumCache  the most entries; pgpool's hash table holds the next power of 2
 */
public record QueryCacheSettings(boolean enabled, long totalSize, int maxNumCache, int expireSeconds, int maxCache,
                                 boolean autoInvalidation, List<Pattern> safeList, List<Pattern> unsafeList,
                                 boolean logPerNodeStatement) {

    public QueryCacheSettings {
        safeList = List.copyOf(safeList);
        unsafeList = List.copyOf(unsafeList);
    }

    public static QueryCacheSettings of(PgpoolConfig c) {
        return new QueryCacheSettings(c.memoryCacheEnabled(), c.memqcacheTotalSize(), c.memqcacheMaxNumCache(),
                c.memqcacheExpire(), c.memqcacheMaxcache(), c.memqcacheAutoCacheInvalidation(),
                c.cacheSafeMemqcacheTableList(), c.cacheUnsafeMemqcacheTableList(), c.logPerNodeStatement());
    }

    /**
     * The settings of the current configuration, made again only when it changed (a reload): what a session
     * passes to its {@link QueryCacheSession}, e.g. {@code QueryCacheSettings.current(rt::config)}.
     */
    public static Supplier<QueryCacheSettings> current(Supplier<PgpoolConfig> config) {
        return new Supplier<>() {
            private PgpoolConfig seen;
            private QueryCacheSettings settings;

            @Override
            public QueryCacheSettings get() {
                PgpoolConfig c = config.get();
                if (c != seen) {
                    settings = of(c);
                    seen = c;
                }
                return settings;
            }
        };
    }

    /** The cache off. */
    public static final QueryCacheSettings DISABLED = new QueryCacheSettings(false, 0, 1, 0, 0, true, List.of(),
            List.of(), false);

    /** pgpool's {@code num_hash_entries}: the entry limit rounded up to a power of 2, at least 2 (pool_hash_init). */
    public int hashEntries() {
        int n = 2;
        while (n < maxNumCache && n < (1 << 30)) {
            n <<= 1;
        }
        return n;
    }

    static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
