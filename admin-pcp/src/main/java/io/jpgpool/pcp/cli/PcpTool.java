package io.jpgpool.pcp.cli;

import java.util.Locale;
import java.util.Optional;

/**
 * The 13 pcp tools of Pgpool-II 4.3.5, and 4.6's pcp_invalidate_query_cache: each one's program name, the short
 * options it accepts (getopt syntax) and its one-line description (PCP_SPEC 7, pcp-samples/pcp_help_all.txt).
 */
enum PcpTool {
    ATTACH_NODE("pcp_attach_node", "n:h:p:U:wWvd", "attach a node from pgpool-II"),
    DETACH_NODE("pcp_detach_node", "n:h:p:U:gwWvd", "detach a node from pgpool-II"),
    NODE_COUNT("pcp_node_count", "h:p:U:wWvd", "display the total number of nodes under pgpool-II's control"),
    NODE_INFO("pcp_node_info", "n:h:p:U:awWvd", "display a pgpool-II node's information"),
    HEALTH_CHECK_STATS("pcp_health_check_stats", "n:h:p:U:wWvd", "display a pgpool-II health check stats data"),
    POOL_STATUS("pcp_pool_status", "h:p:U:wWvd", "display pgpool configuration and status"),
    PROC_COUNT("pcp_proc_count", "h:p:U:wWvd", "display the list of pgpool-II child process PIDs"),
    PROC_INFO("pcp_proc_info", "h:p:P:U:awWvd", "display a pgpool-II child process' information"),
    PROMOTE_NODE("pcp_promote_node", "n:h:p:U:gswWvd", "promote a node as new main from pgpool-II"),
    RECOVERY_NODE("pcp_recovery_node", "n:h:p:U:wWvd", "recover a node"),
    STOP_PGPOOL("pcp_stop_pgpool", "m:h:p:U:s:wWvda", "terminate pgpool-II"),
    WATCHDOG_INFO("pcp_watchdog_info", "n:h:p:U:wWvd", "display a pgpool-II watchdog's information"),
    RELOAD_CONFIG("pcp_reload_config", "h:p:U:s:wWvd", "reload a pgpool-II config file"),
    INVALIDATE_QUERY_CACHE("pcp_invalidate_query_cache", "h:p:U:wWvd", "invalidate query cache");

    private final String programName;
    private final String optstring;
    private final String description;

    PcpTool(String programName, String optstring, String description) {
        this.programName = programName;
        this.optstring = optstring;
        this.description = description;
    }

    String programName() {
        return programName;
    }

    String optstring() {
        return optstring;
    }

    String description() {
        return description;
    }

    /** {@code node_info} or {@code pcp_node_info}. */
    static Optional<PcpTool> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (PcpTool t : values()) {
            if (t.programName.equals(n) || t.programName.equals("pcp_" + n)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** attach, detach, health_check_stats, promote and recovery cannot run without a node id. */
    boolean requiresNodeId() {
        return this == ATTACH_NODE || this == DETACH_NODE || this == HEALTH_CHECK_STATS || this == PROMOTE_NODE
                || this == RECOVERY_NODE;
    }

    /** stop and reload take {@code -s local|cluster}. */
    boolean supportsClusterScope() {
        return this == STOP_PGPOOL || this == RELOAD_CONFIG;
    }
}
