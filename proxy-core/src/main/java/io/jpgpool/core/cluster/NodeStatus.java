package io.jpgpool.core.cluster;

/**
 * Pgpool-II's BACKEND_STATUS, in its order: the position is what pcp_node_info prints, the label what
 * SHOW pool_nodes prints.
 */
public enum NodeStatus {
    UNUSED("unused"),
    /** Attached, not used by a session yet (after start or attach). */
    CONNECT_WAIT("waiting"),
    UP("up"),
    DOWN("down");

    private final String label;

    NodeStatus(String label) {
        this.label = label;
    }

    public int code() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    /** Up or waiting: a node sessions may use. */
    public boolean isAlive() {
        return this == UP || this == CONNECT_WAIT;
    }
}
