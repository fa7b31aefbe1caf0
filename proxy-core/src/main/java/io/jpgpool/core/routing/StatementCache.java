package io.jpgpool.core.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementShape;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Analysed statements by their full text: the same text always gets the same facts, so a statement is
 * analysed once however often clients send it. Keyed by the whole string, never by a hash alone (a collision
 * must not route one statement like another).
 *
 * <p>Text with constants in it (pgbench -S in the simple protocol, ORMs that inline values) is rarely sent twice,
 * so it is cached by its {@linkplain StatementShape shape} instead: statements that differ only in their
 * constants share one analysis, unless a fact was read from a constant (SET values, a pid to terminate).
 *
 * <p>A hit is a statement found by its text or its shape; a miss one that had to be analysed.
 */
public final class StatementCache {
    /** Statements longer than this are analysed every time rather than pinned in memory. */
    private static final int MAX_CACHED_LENGTH = 16 * 1024;

    private final Cache<String, Statement> cache;
    private final Cache<String, Statement> shapes;
    private final Counter hits;
    private final Counter misses;

    /** With counters of its own (tests, benchmarks). */
    public StatementCache(long maximumSize) {
        this(maximumSize, new SimpleMeterRegistry());
    }

    public StatementCache(long maximumSize, MeterRegistry registry) {
        // maintenance on the calling thread: handing it to the common pool costs a thread wake-up per insert
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
        this.shapes = Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).build();
        hits = Counter.builder("jpgpool.statement.cache.hits")
                .description("Statements whose analysis was found by their text or shape").register(registry);
        misses = Counter.builder("jpgpool.statement.cache.misses").description("Statements that were analysed")
                .register(registry);
        Gauge.builder("jpgpool.statement.cache.size", this, StatementCache::size)
                .description("Statement texts and shapes cached").register(registry);
    }

    public Statement analyze(String sql) {
        if (sql.length() > MAX_CACHED_LENGTH) {
            return analyzed(sql);
        }
        Statement st;
        if (!hasLiterals(sql)) {
            st = cache.getIfPresent(sql);
            if (st != null) {
                hits.increment();
                return st;
            }
            st = analyzed(sql);
            cache.put(sql, st);
            return st;
        }
        // text with constants is only ever cached by its shape
        StatementShape shape = StatementShape.of(sql);
        if (shape == null) {
            return analyzed(sql);
        }
        Statement model = shapes.getIfPresent(shape.key());
        if (model != null) {
            hits.increment();
            return shape.bind(model);
        }
        st = analyzed(sql);
        if (!st.readsConstants()) {
            shapes.put(shape.key(), st);
        }
        return st;
    }

    private Statement analyzed(String sql) {
        misses.increment();
        return SqlAnalyzer.analyze(sql);
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
