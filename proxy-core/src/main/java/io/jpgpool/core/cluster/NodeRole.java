package io.jpgpool.core.cluster;

import java.util.Locale;

/** Pgpool-II's SERVER_ROLE, in its order: the position is what pcp_node_info sends (PCP_SPEC 8.2). */
public enum NodeRole {
    MAIN,
    REPLICA,
    PRIMARY,
    STANDBY;

    public int code() {
        return ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
