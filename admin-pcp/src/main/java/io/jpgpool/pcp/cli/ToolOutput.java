package io.jpgpool.pcp.cli;

import io.jpgpool.core.admin.CFormat;
import io.jpgpool.pcp.client.PcpClient;
import io.jpgpool.pcp.client.PcpResult;
import io.jpgpool.pcp.client.Records;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What each pcp tool prints for a successful result, default and {@code -v} (PCP_SPEC 7.2-7.8): the same
 * characters as the 4.3.5 tools, field order and padding included.
 */
final class ToolOutput {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static final List<String> NODE_TITLES = List.of("Hostname", "Port", "Status", "Weight", "Status Name",
            "Backend Status Name", "Role", "Backend Role", "Replication Delay", "Replication State",
            "Replication Sync State", "Last Status Change");
    private static final List<String> HEALTH_TITLES = List.of("Node Id", "Host Name", "Port", "Status", "Role",
            "Last Status Change", "Total Count", "Success Count", "Fail Count", "Skip Count", "Retry Count",
            "Average Retry Count", "Max Retry Count", "Max Health Check Duration", "Minimum Health Check Duration",
            "Average Health Check Duration", "Last Health Check", "Last Successful Health Check",
            "Last Skip Health Check", "Last Failed Health Check");
    private static final List<String> PROC_TITLES = List.of("Database", "Username", "Start time",
            "Client connection count", "Major", "Minor", "Backend connection time", "Client connection time",
            "Client idle duration", "Client disconnection time", "Pool Counter", "Backend PID", "Connected", "PID",
            "Backend ID", "Status");
    /** pcp_proc_info prints the wire fields in this order (PCP_SPEC 7.6). */
    private static final int[] PROC_ORDER = {5, 6, 1, 2, 11, 12, 7, 8, 10, 9, 13, 14, 15, 0, 4, 16};

    private final PrintStream out;
    private final ZoneId zone;

    ToolOutput(PrintStream out, ZoneId zone) {
        this.out = out;
        this.zone = zone;
    }

    void print(PcpTool tool, PcpResult r, boolean all, boolean verbose) {
        switch (tool) {
            case NODE_COUNT -> nodeCount(r, verbose);
            case NODE_INFO -> nodeInfo(r, all, verbose);
            case HEALTH_CHECK_STATS -> healthCheckStats(r, verbose);
            case POOL_STATUS -> poolStatus(r, verbose);
            case PROC_COUNT -> processCount(r, verbose);
            case PROC_INFO -> processInfo(r, all, verbose);
            case WATCHDOG_INFO -> watchdogInfo(r, verbose);
            default -> {
                // the other tools have no data to print
            }
        }
    }

    private void nodeCount(PcpResult r, boolean verbose) {
        if (verbose) {
            out.print("Node Count\n____________\n " + r.intData(0) + "\n");
        } else {
            out.print(r.intData(0) + "\n");
        }
    }

    private void nodeInfo(PcpResult r, boolean all, boolean verbose) {
        boolean printed = false;
        for (int i = 0; i < r.slotCount(); i++) {
            if (!(r.data(i) instanceof Records.NodeInfo n)) {
                break;
            }
            if (!all && n.hostname().isEmpty()) {
                continue;
            }
            printed = true;
            List<String> values = List.of(n.hostname(), String.valueOf(n.port()), String.valueOf(n.status()),
                    CFormat.f(PcpClient.weight(n)), statusName(n), n.pgStatus(), role(n.role()), n.pgRole(),
                    Long.toUnsignedString(n.standbyDelay()), noneIfEmpty(n.replicationState()),
                    noneIfEmpty(n.replicationSyncState()), localTime(n.statusChangedTime()));
            line(values, verbose ? NODE_TITLES : null);
        }
        if (!printed) {
            out.print("No node information available\n\n");
        }
    }

    private void healthCheckStats(PcpResult r, boolean verbose) {
        if (r.data(0) instanceof Records.HealthCheckStats s) {
            line(s.fields(), verbose ? HEALTH_TITLES : null);
        }
    }

    private void poolStatus(PcpResult r, boolean verbose) {
        for (int i = 0; i < r.slotCount(); i++) {
            Records.PoolStatusItem s = r.data(i) instanceof Records.PoolStatusItem p ? p : null;
            if (verbose) {
                out.print(String.format("Name [%3d]:\t%s\n", i, s == null ? "NULL" : s.name()));
                out.print("Value:      \t" + (s == null ? "NULL" : s.value()) + "\n");
                out.print("Description:\t" + (s == null ? "NULL" : s.description()) + "\n\n");
            } else if (s == null) {
                out.print("****Data at " + i + " slot is NULL\n");
            } else {
                out.print("name : " + s.name() + "\nvalue: " + s.value() + "\ndesc : " + s.description() + "\n\n");
            }
        }
    }

    private void processCount(PcpResult r, boolean verbose) {
        int[] pids = r.data(0) instanceof Records.ProcessList l ? l.pids() : new int[0];
        if (verbose) {
            out.print("No \t | \t PID\n");
            out.print("_____________________\n");
            for (int i = 0; i < pids.length; i++) {
                out.print(i + " \t | \t " + pids[i] + "\n");
            }
            out.print("\nTotal Processes:" + pids.length + "\n");
        } else {
            StringBuilder sb = new StringBuilder();
            for (int pid : pids) {
                sb.append(pid).append(' ');
            }
            out.print(sb.append('\n'));
        }
    }

    private void processInfo(PcpResult r, boolean all, boolean verbose) {
        boolean printed = false;
        for (int i = 0; i < r.slotCount(); i++) {
            if (!(r.data(i) instanceof Records.ProcessInfo p)) {
                break;
            }
            if (!all && p.get(5).isEmpty()) {
                continue;
            }
            printed = true;
            String[] values = new String[PROC_ORDER.length];
            for (int k = 0; k < PROC_ORDER.length; k++) {
                values[k] = p.get(PROC_ORDER[k]);
            }
            line(List.of(values), verbose ? PROC_TITLES : null);
        }
        if (!printed) {
            out.print("No process information available\n\n");
        }
    }

    private void watchdogInfo(PcpResult r, boolean verbose) {
        if (!(r.data(0) instanceof Records.WatchdogCluster c)) {
            return;
        }
        if (verbose) {
            String quorum = switch (c.quorumStatus()) {
                case 0 -> "QUORUM IS ON THE EDGE";
                case 1 -> "QUORUM EXIST";
                case -1 -> "QUORUM ABSENT";
                case -2 -> "NO LEADER NODE";
                default -> "UNKNOWN";
            };
            out.print("Watchdog Cluster Information \n");
            out.print("Total Nodes              : " + (c.remoteNodeCount() + 1) + "\n");
            out.print("Remote Nodes             : " + c.remoteNodeCount() + "\n");
            out.print("Member Remote Nodes      : " + c.memberRemoteNodeCount() + "\n");
            out.print("Alive Remote Nodes       : " + c.aliveNodeCount() + "\n");
            out.print("Nodes required for quorum: " + c.nodesRequiredForQuorum() + "\n");
            out.print("Quorum state             : " + quorum + "\n");
            out.print("Local node escalation    : " + (c.escalated() ? "YES" : "NO") + "\n");
            out.print("Leader Node Name         : " + c.leaderNodeName() + "\n");
            out.print("Leader Host Name         : " + c.leaderHostName() + "\n\n");
            out.print("Watchdog Node Information \n");
            for (Records.WatchdogNode n : c.nodes()) {
                out.print("Node Name         : " + n.nodeName() + "\n");
                out.print("Host Name         : " + n.hostName() + "\n");
                out.print("Delegate IP       : " + n.delegateIp() + "\n");
                out.print("Pgpool port       : " + n.pgpoolPort() + "\n");
                out.print("Watchdog port     : " + n.wdPort() + "\n");
                out.print("Node priority     : " + n.priority() + "\n");
                out.print("Status            : " + n.state() + "\n");
                out.print("Status Name       : " + n.stateName() + "\n");
                out.print("Membership Status : " + n.membershipString() + "\n\n");
            }
        } else {
            out.print((c.remoteNodeCount() + 1) + " " + (c.memberRemoteNodeCount() + 1) + " "
                    + (c.escalated() ? "YES" : "NO") + " " + c.leaderNodeName() + " " + c.leaderHostName() + "\n\n");
            for (Records.WatchdogNode n : c.nodes()) {
                out.print(n.nodeName() + " " + n.hostName() + " " + n.pgpoolPort() + " " + n.wdPort() + " "
                        + n.state() + " " + n.stateName() + " " + n.membership() + " " + n.membershipString() + "\n");
            }
        }
    }

    /**
     * One record: the values joined by spaces, or with {@code -v} one {@code "%-Ns : value"} line each, N the
     * longest title, and an empty line after the record (format_titles).
     */
    private void line(List<String> values, List<String> titles) {
        StringBuilder sb = new StringBuilder();
        if (titles == null) {
            sb.append(String.join(" ", values)).append('\n');
        } else {
            int width = titles.stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < values.size(); i++) {
                String t = titles.get(i);
                sb.append(t).append(" ".repeat(width - t.length())).append(" : ").append(values.get(i)).append('\n');
            }
            sb.append('\n');
        }
        out.print(sb);
    }

    /** BACKEND_STATUS by number; down is "quarantine" when the quarantine flag is set (PCP_SPEC 8.1). */
    private static String statusName(Records.NodeInfo n) {
        return switch (n.status()) {
            case 0 -> "unused";
            case 1 -> "waiting";
            case 2 -> "up";
            case 3 -> n.quarantine() != 0 ? "quarantine" : "down";
            default -> "unknown";
        };
    }

    private static String role(int role) {
        return switch (role) {
            case 0 -> "main";
            case 1 -> "replica";
            case 2 -> "primary";
            case 3 -> "standby";
            default -> "unknown";
        };
    }

    private static String noneIfEmpty(String s) {
        return s.isEmpty() ? "none" : s;
    }

    /** strftime("%F %T", localtime(t)) into a 20-byte buffer. */
    private String localTime(long epochSeconds) {
        String s = LOCAL_TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(zone));
        return s.length() > 19 ? "" : s;
    }
}
