/**
 * Throwaway PostgreSQL clusters on loopback ports, for jpgpool's integration tests and {@code jpgpool demo}.
 *
 * <p>{@link io.jpgpool.cluster.PgBinaries} finds the server binaries (system packages or the embedded
 * bundle on the classpath), {@link io.jpgpool.cluster.RunMode} decides how they run when we are root,
 * {@link io.jpgpool.cluster.PgCluster} builds a primary with streaming standbys or N independent servers
 * from {@link io.jpgpool.cluster.ClusterOptions}, and {@link io.jpgpool.cluster.PgNode} starts, stops,
 * promotes and rebuilds one server. Every external command runs with a time limit; every cluster is
 * stopped and deleted on {@code close()} or, failing that, by a JVM shutdown hook.
 *
 * <pre>{@code
 * try (PgCluster cluster = PgCluster.streaming(ClusterOptions.builder()
 *         .standbys(2).auth(Auth.SCRAM).initDatabase("test").build())) {
 *     PgNode primary = cluster.primary();                 // node0
 *     primary.execute("CREATE TABLE t AS SELECT 1 AS x");
 *     cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(30));
 *     String url = cluster.node(1).jdbcUrl("test");       // jdbc:postgresql://127.0.0.1:<port>/test
 * }
 * }</pre>
 *
 * <p>Environment: {@code PG_BIN} (binaries to use), {@code JPGPOOL_PG_RUN_MODE} (runuser, unshare or
 * direct), {@code JPGPOOL_PG_CACHE} (where the embedded bundle is extracted), {@code JPGPOOL_KEEP_CLUSTERS}
 * (keep base directories on close, for reading the logs).
 */
package io.jpgpool.cluster;
