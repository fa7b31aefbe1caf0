/**
 * Watching the nodes: the replication check (primary detection, standby delay, pg_stat_replication), and the
 * last answers every node gave, which SHOW pool_nodes and pcp_node_info report as pg_status and pg_role.
 */
package io.jpgpool.core.health;
