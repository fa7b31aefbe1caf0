/**
 * Statement analysis for routing: a pure-Java lexer and structural pass that extract, from SQL
 * text, the facts Pgpool-II 4.3 reads from PostgreSQL's raw parse tree (statement kind, SELECT
 * INTO, locking clauses, data-modifying CTEs, function calls, relations, transaction and SET
 * options). See {@code reference/PGPOOL_SEMANTICS.md} §A and §B.1.
 *
 * <p>The entry point is {@link io.jpgpool.sql.SqlAnalyzer}; its result is a
 * {@link io.jpgpool.sql.Statement}. The routing policy itself lives in proxy-core.
 */
package io.jpgpool.sql;
