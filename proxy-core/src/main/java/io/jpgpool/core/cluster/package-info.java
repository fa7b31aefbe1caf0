/**
 * The cluster as jpgpool sees it: one {@link io.jpgpool.core.cluster.BackendNode} per configured node in an
 * immutable {@link io.jpgpool.core.cluster.ClusterSnapshot}; {@link io.jpgpool.core.cluster.ClusterState} is the
 * single owner that publishes new snapshots.
 */
package io.jpgpool.core.cluster;
