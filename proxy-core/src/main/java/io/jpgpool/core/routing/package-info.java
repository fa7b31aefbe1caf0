/**
 * Where a statement goes: Pgpool-II 4.3's routing rules (SEMANTICS A.2-A.8 for streaming replication, B.1
 * for native replication) as plain functions of the statement, the session's {@link
 * io.jpgpool.core.routing.RoutingState} and a {@link io.jpgpool.core.cluster.ClusterSnapshot}. Nothing here does
 * I/O, so every rule is tested without a network.
 */
package io.jpgpool.core.routing;
