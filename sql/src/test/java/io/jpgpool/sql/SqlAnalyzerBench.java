package io.jpgpool.sql;

import java.util.List;

/**
 * Prints the cold-analysis cost of a few typical statements in ns/op. Not a test and not a JMH
 * benchmark: a quick look for regressions ({@code java -cp ... io.jpgpool.sql.SqlAnalyzerBench}).
 */
public final class SqlAnalyzerBench {
    private static final List<String> STATEMENTS = List.of(
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1;",
            "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2;",
            "BEGIN;",
            "SET extra_float_digits = 3",
            "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default "
                    + "AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3;",
            "WITH d AS (DELETE FROM t WHERE created < now() - interval '1 day' RETURNING *) "
                    + "INSERT INTO archive SELECT * FROM d");

    private SqlAnalyzerBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long sink = 0;
        for (String sql : STATEMENTS) {
            for (int i = 0; i < rounds; i++) { // warm-up
                sink += SqlAnalyzer.analyze(sql).relations().size();
            }
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                sink += SqlAnalyzer.analyze(sql).relations().size();
            }
            long perOp = (System.nanoTime() - start) / rounds;
            System.out.printf("%7d ns/op  %s%n", perOp, sql.length() > 70 ? sql.substring(0, 67) + "..." : sql);
        }
        System.out.println(sink == 42 ? "" : "done");
    }
}
