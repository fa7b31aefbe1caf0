package io.jpgpool.core.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementShape;

/**
 * Analysed statements by their full text: the same text always gets the same facts, so a statement is
 * analysed once however often clients send it. Keyed by the whole string, never by a hash alone (a collision
 * must not route one statement like another).
 *
 * <p>Text with constants in it (pgbench -S in the simple protocol, ORMs that inline values) is rarely sent twice,
 * so it is cached by its {@linkplain StatementShape shape} instead: statements that differ only in their
 * constants share one analysis, unless a fact was read from a constant (SET values, a pid to terminate).
 */
public final class StatementCache {
    /** Statements longer than this are analysed every time rather than pinned in memory. */
    private static final int MAX_CACHED_LENGTH = 16 * 1024;

    private final Cache<String, Statement> cache;
    private final Cache<String, Statement> shapes;

    public StatementCache(long maximumSize) {
        // maintenance on the calling thread: handing it to the common pool costs a thread wake-up per insert
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
        this.shapes = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
    }

    public Statement analyze(String sql) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return SqlAnalyzer.analyze(sql);
        }
        Statement st = cache.getIfPresent(sql);
        if (st != null) {
            return st;
        }
        if (!hasLiterals(sql)) {
            st = SqlAnalyzer.analyze(sql);
            cache.put(sql, st);
            return st;
        }
        StatementShape shape = StatementShape.of(sql);
        if (shape == null) {
            return SqlAnalyzer.analyze(sql);
        }
        Statement model = shapes.getIfPresent(shape.key());
        if (model != null) {
            return shape.bind(model);
        }
        st = SqlAnalyzer.analyze(sql);
        if (!st.readsConstants()) {
            shapes.put(shape.key(), st);
        }
        return st;
    }

    /**
     * Whether the text may carry constants (a quote, or a digit that does not continue a name): a cheap scan
     * that keeps text without constants away from the lexing that finding a shape takes.
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

    /** Cached texts and shapes. */
    public long size() {
        return cache.estimatedSize() + shapes.estimatedSize();
    }
}
