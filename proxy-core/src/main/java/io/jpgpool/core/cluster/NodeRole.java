package io.jpgpool.core.cluster;

/** Pgpool-II's SERVER_ROLE, numbered as pcp_node_info sends it (PCP_SPEC 8.2). */
public enum NodeRole {
    MAIN(0, "main"),
    REPLICA(1, "replica"),
    PRIMARY(2, "primary"),
    STANDBY(3, "standby");

    private final int code;
    private final String label;

    NodeRole(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }
}
