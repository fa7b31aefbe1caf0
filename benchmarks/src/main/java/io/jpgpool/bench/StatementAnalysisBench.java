package io.jpgpool.bench;

import io.jpgpool.core.routing.StatementCache;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What routing a statement costs the event loop: the analysis of its text, and the same through the
 * statement cache, with the same text every time and with new constants every time (the cache then hits by
 * the statement's shape, for text with constants).
 */
public class StatementAnalysisBench extends PerCallBench {

    @Param({"pgbench-select", "pgbench-select-param", "pgbench-update", "cte-with-comments"})
    public String query;

    private String sql;
    private String[] variants;
    private int next;
    private StatementCache cache;

    @Setup
    public void setUp() {
        sql = switch (query) {
            case "pgbench-select" -> "SELECT abalance FROM pgbench_accounts WHERE aid = 734231;";
            case "pgbench-select-param" -> "SELECT abalance FROM pgbench_accounts WHERE aid = $1";
            case "pgbench-update" -> "UPDATE pgbench_accounts SET abalance = abalance + -2184 WHERE aid = 734231;";
            case "cte-with-comments" -> """
                    /* monthly report */ WITH recent AS (
                      SELECT o.id, o."Customer Id", sum(l.amount) AS total -- lines of the month
                      FROM orders o JOIN order_lines l ON l.order_id = o.id
                      WHERE o.created_at > now() - interval '30 days' AND o.note <> $$it's ; fine$$
                      GROUP BY 1, 2)
                    SELECT c.name, r.total FROM recent r JOIN customers c ON c.id = r."Customer Id"
                    ORDER BY r.total DESC LIMIT 20""";
            default -> throw new IllegalArgumentException(query);
        };
        variants = new String[4096];
        for (int i = 0; i < variants.length; i++) {
            variants[i] = sql.replace("734231", Integer.toString(100_000 + i * 7));
        }
        cache = new StatementCache(10_000);
        cache.analyze(sql);
    }

    @Benchmark
    public Statement analyze() {
        return SqlAnalyzer.analyze(sql);
    }

    @Benchmark
    public Statement analyzeThroughCache() {
        return cache.analyze(sql);
    }

    /** The shape alone (the statement cache's key for text with constants), new constants every time. */
    @Benchmark
    public StatementShape shapeOfNewConstants() {
        next = (next + 1) & (variants.length - 1);
        return StatementShape.of(variants[next]);
    }

    @Benchmark
    public Statement analyzeNewConstantsThroughCache() {
        next = (next + 1) & (variants.length - 1);
        return cache.analyze(variants[next]);
    }
}
