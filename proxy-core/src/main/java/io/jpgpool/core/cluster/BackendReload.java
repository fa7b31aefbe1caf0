package io.jpgpool.core.cluster;

import io.jpgpool.config.BackendConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reload of pgpool.conf does to the node table, as Pgpool-II 4.3 assigns the backend parameters at a
 * reload (pool_config_variables.c, the backend_*AssignFunc): a node configured beyond the known ones is added,
 * down, for {@code pcp_attach_node} to bring in; a known node keeps its host and port (a restart changes them)
 * and takes its new weight, flags and application name; its data directory changes only while it is down; a
 * node that is no longer configured stays until the restart.
 *
 * @param nodes   the known nodes with their reloaded settings
 * @param added   the new nodes, ids {@code nodes.size()} onwards, each down
 * @param ignored what the reload does not change, one line each for the log
 */
public record BackendReload(List<BackendNode> nodes, List<BackendNode> added, List<String> ignored) {

    public BackendReload {
        nodes = List.copyOf(nodes);
        added = List.copyOf(added);
        ignored = List.copyOf(ignored);
    }

    /**
     * @param maxNodes the most nodes jpgpool takes; nodes beyond are ignored
     */
    public static BackendReload plan(List<BackendNode> current, List<BackendConfig> newer, int maxNodes,
            Instant now) {
        List<BackendNode> nodes = new ArrayList<>();
        List<BackendNode> added = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (BackendNode n : current) {
            if (n.id() >= newer.size()) {
                ignored.add("backend_port" + n.id() + " is no longer set: node " + n.id() + " stays until a restart");
                nodes.add(n);
                continue;
            }
            BackendConfig b = newer.get(n.id());
            if (!b.hostname().equals(n.host())) {
                ignored.add("backend_hostname" + n.id() + " changed but takes effect only after a restart");
            }
            if (b.port() != n.port()) {
                ignored.add("backend_port" + n.id() + " changed but takes effect only after a restart");
            }
            String dataDir = n.dataDirectory();
            if (!b.dataDirectory().equals(dataDir)) {
                if (n.status() == NodeStatus.DOWN || n.status() == NodeStatus.UNUSED) {
                    dataDir = b.dataDirectory();
                } else {
                    ignored.add("backend_data_directory" + n.id() + " changed but takes effect only while node "
                            + n.id() + " is down, or after a restart");
                }
            }
            nodes.add(n.withConfig(b.weight(), b.allowToFailover(), b.alwaysPrimary(), b.applicationName(), dataDir));
        }
        for (int id = current.size(); id < newer.size(); id++) {
            BackendConfig b = newer.get(id);
            if (id >= maxNodes) {
                ignored.add("backend_hostname" + id + ": jpgpool takes at most " + maxNodes + " nodes");
                break;
            }
            // pgpool 4.3: a slot that was unused and gets a port at a reload is CON_DOWN (BackendPortAssignFunc)
            added.add(new BackendNode(id, b.hostname(), b.port(), b.weight(), b.dataDirectory(), b.applicationName(),
                    b.allowToFailover(), b.alwaysPrimary(), NodeStatus.DOWN, now, 0, null, null));
        }
        return new BackendReload(nodes, added, ignored);
    }
}
