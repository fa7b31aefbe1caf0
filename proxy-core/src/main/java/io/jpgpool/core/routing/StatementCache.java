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
        // maintenance on the calling thread: handing it to the common pool costs a thread wake-up per insert,
        // and with literal values in the text (pgbench -S, simple protocol) nearly every statement is new
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    public Statement analyze(String sql) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return SqlAnalyzer.analyze(sql);
        }
        Statement st = cache.getIfPresent(sql);
        if (st == null) {
            st = SqlAnalyzer.analyze(sql);
            if (!hasLiterals(sql)) {
                cache.put(sql, st);
            }
        }
        return st;
    }

    /**
     * Whether the text carries constants (a quoted string or a number), so that it is most likely sent once
     * (pgbench -S in the simple protocol, ORMs that inline values): caching those only churns the cache.
     * Statements with parameters ($1) or none are the ones that repeat.
     */
    static boolean hasLiterals(String sql) {
        char prev = ' ';
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                return true;
            }
            if (c >= '0' && c <= '9' && !Character.isLetterOrDigit(prev) && prev != '_' && prev != '$'
                    && prev != '"') {
                return true;
            }
            prev = c;
        }
        return false;
    }

    public long size() {
        return cache.estimatedSize();
    }
}
