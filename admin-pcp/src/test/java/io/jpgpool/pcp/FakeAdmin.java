package io.jpgpool.pcp;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.core.admin.AdminException;
import io.jpgpool.core.admin.BackendStatistics;
import io.jpgpool.core.health.HealthCheckStats;
import io.jpgpool.core.admin.NodeInfo;
import io.jpgpool.core.admin.PoolSlot;
import io.jpgpool.core.admin.ProcessSlots;
import io.jpgpool.core.admin.SessionInfo;
import io.jpgpool.core.cluster.NodeRole;
import io.jpgpool.core.cluster.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An admin API with fixed answers: the native-replication cluster of PCP_SPEC 13 (two nodes on 127.0.0.1,
 * ports 15432/15433, weights 1 and 3, both waiting, changed at 1795311525) unless a test changes it. It records
 * the operations it was asked for.
 */
class FakeAdmin implements AdminApi {
    static final Instant CHANGED = Instant.ofEpochSecond(1795311525L);

    final List<NodeInfo> nodes = new CopyOnWriteArrayList<>();
    final List<SessionInfo> sessions = new CopyOnWriteArrayList<>();
    final List<PoolStatusItems.Row> poolStatus = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    ClusteringMode mode = ClusteringMode.NATIVE_REPLICATION;
    HealthCheckStats health = HealthCheckStats.NONE;
    AdminException failure;
    /** When set, what poolSlots answers instead of the slots of {@link #sessions}. */
    List<PoolSlot> slots;
    int maxPool = 2;
    /** What {@link #operationInProgress} answers. */
    String busy;
    /** memory_cache_enabled. */
    boolean queryCache;

    FakeAdmin() {
        nodes.add(node(0, 15432, NodeStatus.CONNECT_WAIT, 1, 4, NodeRole.MAIN));
        nodes.add(node(1, 15433, NodeStatus.CONNECT_WAIT, 3, 4, NodeRole.REPLICA));
        poolStatus.add(new PoolStatusItems.Row("backend_clustering_mode", "2", "clustering mode"));
        poolStatus.add(new PoolStatusItems.Row("listen_addresses", "127.0.0.1",
                "host name(s) or IP address(es) to listen on"));
    }

    static NodeInfo node(int id, int port, NodeStatus status, double weight, double total, NodeRole role) {
        double scaled = NodeInfo.RAND_MAX * weight / total;
        return new NodeInfo(id, "127.0.0.1", port, status, false, "up", scaled, scaled / NodeInfo.RAND_MAX, role,
                role.label(), 0, 0, "", "", CHANGED, "ALLOW_TO_FAILOVER");
    }

    @Override
    public ClusteringMode clusteringMode() {
        return mode;
    }

    @Override
    public int nodeCount() {
        return nodes.size();
    }

    @Override
    public NodeInfo node(int id) throws AdminException {
        if (id < 0 || id >= nodes.size()) {
            throw new AdminException("informing node info failed", "invalid node ID : " + id);
        }
        return nodes.get(id);
    }

    @Override
    public List<NodeInfo> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public HealthCheckStats healthCheckStats(int id) throws AdminException {
        if (id < 0 || id > nodes.size()) {
            throw new AdminException("informing health check stats info failed", "invalid node ID " + id);
        }
        if (id == nodes.size()) {
            throw new AdminException("informing health check stats info failed",
                    "stats data for node ID " + id + " does not exist");
        }
        return health;
    }

    @Override
    public List<SessionInfo> sessions() {
        return List.copyOf(sessions);
    }

    @Override
    public List<PoolSlot> poolSlots(int processId) throws AdminException {
        List<PoolSlot> out = new ArrayList<>();
        if (slots != null) {
            for (PoolSlot s : slots) {
                if (processId == 0 || s.poolPid().equals(String.valueOf(processId))) {
                    out.add(s);
                }
            }
        }
        for (SessionInfo s : slots != null ? List.<SessionInfo>of() : sessions) {
            if (processId == 0 || s.id() == processId) {
                out.addAll(ProcessSlots.of(s, maxPool, nodes.size(), 0));
            }
        }
        if (processId != 0 && out.isEmpty()) {
            throw new AdminException("informing process info failed", "invalid process ID : " + processId);
        }
        return out;
    }

    @Override
    public BackendStatistics backendStatistics(int id) {
        return new BackendStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public int maxPool() {
        return maxPool;
    }

    @Override
    public int numInitChildren() {
        return 32;
    }

    @Override
    public List<PoolStatusItems.Row> poolStatus() {
        return List.copyOf(poolStatus);
    }

    @Override
    public String showParameter(String name) throws AdminException {
        throw new AdminException("config variable \"" + name + "\" not found", null);
    }

    private void call(String what) throws AdminException {
        calls.add(what);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void detachNode(int id, boolean gracefully) throws AdminException {
        call("detach " + id + (gracefully ? " -g" : ""));
    }

    @Override
    public void attachNode(int id) throws AdminException {
        call("attach " + id);
    }

    @Override
    public void promoteNode(int id, boolean switchover, boolean gracefully) throws AdminException {
        if (mode != ClusteringMode.STREAMING_REPLICATION) {
            throw new AdminException("invalid pgpool mode for process promote request",
                    "not in streaming replication mode, can't promote node id " + id, true);
        }
        call("promote " + id + (switchover ? " -s" : "") + (gracefully ? " -g" : ""));
    }

    @Override
    public void recoverNode(int id) throws AdminException {
        call("recover " + id);
    }

    @Override
    public void reloadConfig() throws AdminException {
        call("reload");
    }

    @Override
    public void invalidateQueryCache() throws AdminException {
        if (!queryCache) {
            throw new AdminException("query cache is not enabled", null);
        }
        call("invalidate query cache");
    }

    @Override
    public Optional<String> operationInProgress() {
        return Optional.ofNullable(busy);
    }

    @Override
    public void stop(ShutdownMode mode) {
        calls.add("stop " + mode.name().toLowerCase());
    }

    @Override
    public String version() {
        return "4.3.5 (jpgpool test)";
    }
}
