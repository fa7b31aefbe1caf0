package io.jpgpool.core.cluster;

/** Pgpool-II's BACKEND_STATUS: the number is what pcp_node_info prints, the name what SHOW pool_nodes prints. */
public enum NodeStatus {
    UNUSED(0, "unused"),
    /** Attached, not used by a session yet (after start or attach). */
    CONNECT_WAIT(1, "waiting"),
    UP(2, "up"),
    DOWN(3, "down");

    private final int code;
    private final String label;

    NodeStatus(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** Up or waiting: a node sessions may use. */
    public boolean isAlive() {
        return this == UP || this == CONNECT_WAIT;
    }
}
