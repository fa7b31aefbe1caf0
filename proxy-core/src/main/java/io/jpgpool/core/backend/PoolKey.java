package io.jpgpool.core.backend;

import java.util.Map;
import java.util.TreeMap;

/**
 * What makes an idle backend connection reusable by the next client: same node, user, database and startup
 * parameters in any order (pgpool compares the sorted startup packet, SEMANTICS E.1).
 */
public record PoolKey(int nodeId, String user, String database, Map<String, String> parameters) {
    public PoolKey {
        parameters = Map.copyOf(new TreeMap<>(parameters));
    }

    public PoolKey onNode(int node) {
        return new PoolKey(node, user, database, parameters);
    }
}
