package io.jpgpool.core.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;

/**
 * Analysed statements by their full text: the same text always gets the same facts, so a statement is
 * analysed once however often clients send it. Keyed by the whole string, never by a hash alone (a collision
 * must not route one statement like another).
 */
public final class StatementCache {
    /** Statements longer than this are analysed every time rather than pinned in memory. */
    private static final int MAX_CACHED_LENGTH = 16 * 1024;

    private final Cache<String, Statement> cache;

    public StatementCache(long maximumSize) {
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    public Statement analyze(String sql) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return SqlAnalyzer.analyze(sql);
        }
        Statement st = cache.getIfPresent(sql);
        if (st == null) {
            st = SqlAnalyzer.analyze(sql);
            cache.put(sql, st);
        }
        return st;
    }

    public long size() {
        return cache.estimatedSize();
    }
}
