package io.jpgpool.pcp;

import io.jpgpool.config.PoolStatusItems;
import io.jpgpool.core.admin.AdminApi;
import io.jpgpool.core.admin.AdminException;
import io.jpgpool.core.admin.AdminViews;
import io.jpgpool.core.admin.CFormat;
import io.jpgpool.core.admin.NodeInfo;
import io.jpgpool.core.admin.PoolSlot;
import io.jpgpool.core.admin.SessionInfo;
import io.jpgpool.pcp.wire.Bytes;
import io.jpgpool.pcp.wire.PcpError;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PcpPacket;
import io.jpgpool.pcp.wire.PgpoolSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PCP commands of pgpool 4.3.5 (PCP_SPEC 5), each answered from the {@link AdminApi}: request in, reply
 * packets out. Errors come back as pgpool words them, ERROR or FATAL as pgpool raises them.
 */
final class PcpCommands {
    private static final String COMMAND_COMPLETE = "CommandComplete";
    private static final String ARRAY_SIZE = "ArraySize";

    /** pcp_set_backend_parameter's only parameter and its values, in pgpool's order (PCP_SPEC 5.15). */
    private static final List<String> CLIENT_MIN_MESSAGES = List.of("debug5", "debug4", "debug3", "debug2",
            "debug1", "log", "commerror", "info", "notice", "warning", "error");

    private final AdminApi admin;

    PcpCommands(AdminApi admin) {
        this.admin = admin;
    }

    /** A request from an authenticated client (not M, R or X). */
    PcpReply handle(PcpFrame f) {
        try {
            return switch (f.tagChar()) {
                case 'L' -> nodeCount();
                case 'I' -> nodeInfo(f.firstString());
                case 'H' -> healthCheckStats(f.firstString());
                case 'N' -> processCount();
                case 'P' -> processInfo(f.firstString());
                case 'B' -> poolStatus();
                case 'D', 'd' -> detach(f);
                case 'C' -> attach(f);
                case 'J', 'j' -> promote(f);
                case 'O' -> recovery(f);
                case 'T', 't' -> stop(f);
                case 'Z' -> reload();
                case 'W' -> PcpReply.error(PcpError.error("PCP: informing watchdog info failed",
                        "watchdog is not enabled", PgpoolSource.WATCHDOG_OFF));
                case 'A' -> setParameter(f);
                case 'F' -> PcpReply.none(); // "stop online recovery": pgpool only logs it
                case 'G' -> invalidateQueryCache();
                default -> PcpReply.error(PcpError.fatal("PCP processing request",
                        "unknown PCP packet type \"" + f.tagChar() + "\"", PgpoolSource.UNKNOWN_PACKET));
            };
        } catch (AdminException e) {
            PgpoolSource where = PgpoolSource.of(e.getMessage(), e.detail());
            return PcpReply.error(e.fatal() ? PcpError.fatal(e.getMessage(), e.detail(), where)
                    : PcpError.error(e.getMessage(), e.detail(), where));
        }
    }

    // ------------------------------------------------------------------ information

    private PcpReply nodeCount() {
        return PcpReply.of(PcpPacket.of('l').cstring(COMMAND_COMPLETE).cstring(String.valueOf(admin.nodeCount())));
    }

    /** ArraySize, exactly that many NodeInfo packets, CommandComplete (PCP_SPEC 5.2). */
    private PcpReply nodeInfo(String arg) {
        int id = Bytes.atoi(arg);
        List<NodeInfo> nodes;
        if (id == -1) {
            nodes = admin.nodes();
        } else {
            try {
                nodes = List.of(admin.node(id));
            } catch (AdminException e) {
                return PcpReply.error(PcpError.error("informing node info failed", "invalid node ID : " + arg,
                        PgpoolSource.NODE_INFO));
            }
        }
        List<PcpPacket> out = new ArrayList<>();
        out.add(PcpPacket.of('i').cstring(ARRAY_SIZE).cstring(String.valueOf(nodes.size())));
        for (NodeInfo n : nodes) {
            out.add(PcpPacket.of('i').cstring("NodeInfo").cstrings(nodeInfoFields(n)));
        }
        out.add(PcpPacket.of('i').cstring(COMMAND_COMPLETE));
        return PcpReply.of(out);
    }

    /** The 12 fields of the 4.3 NodeInfo record, the weight scaled by RAND_MAX. */
    static List<String> nodeInfoFields(NodeInfo n) {
        return List.of(n.host(), String.valueOf(n.port()), String.valueOf(n.status().code()),
                n.quarantine() ? "1" : "0", n.pgStatus(), CFormat.f(n.scaledWeight()),
                String.valueOf(n.role().code()), n.pgRole(), Long.toUnsignedString(n.replicationDelay()),
                n.replicationState(), n.replicationSyncState(),
                String.valueOf(n.lastStatusChange() == null ? 0 : n.lastStatusChange().getEpochSecond()));
    }

    private PcpReply healthCheckStats(String arg) throws AdminException {
        int id = Bytes.atoi(arg);
        var stats = admin.healthCheckStats(id);
        NodeInfo node = admin.node(id);
        return PcpReply.of(PcpPacket.of('h').cstring(COMMAND_COMPLETE)
                .cstrings(AdminViews.healthCheckRow(node, stats)));
    }

    /** One packet: count, then the session ids (PCP_SPEC 5.5). */
    private PcpReply processCount() {
        List<SessionInfo> sessions = admin.sessions();
        PcpPacket p = PcpPacket.of('n').cstring(COMMAND_COMPLETE).cstring(String.valueOf(sessions.size()));
        for (SessionInfo s : sessions) {
            p.cstring(String.valueOf(s.id()));
        }
        return PcpReply.of(p);
    }

    private PcpReply processInfo(String arg) {
        List<PoolSlot> slots;
        try {
            slots = admin.poolSlots(Bytes.atoi(arg));
        } catch (AdminException e) {
            return PcpReply.error(PcpError.error("informing process info failed", "invalid process ID : " + arg,
                    PgpoolSource.PROCESS_INFO));
        }
        List<PcpPacket> out = new ArrayList<>();
        out.add(PcpPacket.of('p').cstring(ARRAY_SIZE).cstring(String.valueOf(slots.size())));
        for (PoolSlot s : slots) {
            out.add(PcpPacket.of('p').cstring("ProcessInfo").cstrings(s.values()));
        }
        out.add(PcpPacket.of('p').cstring(COMMAND_COMPLETE));
        return PcpReply.of(out);
    }

    /** ArraySize is a binary int32 here, unlike every other reply (PCP_SPEC 5.7). */
    private PcpReply poolStatus() {
        List<PoolStatusItems.Row> rows = admin.poolStatus();
        List<PcpPacket> out = new ArrayList<>();
        out.add(PcpPacket.of('b').cstring(ARRAY_SIZE).int32(rows.size()));
        for (PoolStatusItems.Row r : rows) {
            out.add(PcpPacket.of('b').cstring("ProcessConfig").cstring(r.item()).cstring(r.value())
                    .cstring(r.description()));
        }
        out.add(PcpPacket.of('b').cstring(COMMAND_COMPLETE));
        return PcpReply.of(out);
    }

    // ------------------------------------------------------------------ operations

    private PcpReply detach(PcpFrame f) throws AdminException {
        admin.detachNode(Bytes.atoi(f.firstString()), f.tagChar() == 'd');
        return PcpReply.of(PcpPacket.of('d').cstring(COMMAND_COMPLETE));
    }

    private PcpReply attach(PcpFrame f) throws AdminException {
        admin.attachNode(Bytes.atoi(f.firstString()));
        return PcpReply.of(PcpPacket.of('c').cstring(COMMAND_COMPLETE));
    }

    /**
     * The payload is {@code "<id> \0"} and one option byte, {@code s} for a switchover; pgpool reads the id up
     * to the first space and the option two bytes after it. The reply tag is {@code d}, not {@code j}.
     */
    private PcpReply promote(PcpFrame f) throws AdminException {
        String all = f.firstString();
        int space = all.indexOf(' ');
        String id = space < 0 ? all : all.substring(0, space);
        int optionAt = id.length() + 2;
        int option = f.byteAt(optionAt) >= 0 ? f.byteAt(optionAt) : f.byteAt(f.payloadLength() - 1);
        admin.promoteNode(Bytes.atoi(id), option == 's', f.tagChar() == 'j');
        return PcpReply.of(PcpPacket.of('d').cstring(COMMAND_COMPLETE));
    }

    /** pcp_invalidate_query_cache, Pgpool-II 4.6's 'G' packet: the reply is 'g' CommandComplete. */
    private PcpReply invalidateQueryCache() throws AdminException {
        admin.invalidateQueryCache();
        return PcpReply.of(PcpPacket.of('g').cstring(COMMAND_COMPLETE));
    }

    /** While a failover, failback or promotion runs, pgpool refuses recovery and a local stop (pcp_worker.c). */
    private void refuseWhileSwitching() throws AdminException {
        var busy = admin.operationInProgress();
        if (busy.isPresent()) {
            throw new AdminException("failed to process PCP request at the moment", busy.get());
        }
    }

    /** Synchronous in pgpool: the reply comes when recovery is over; its tag is {@code c}. */
    private PcpReply recovery(PcpFrame f) throws AdminException {
        refuseWhileSwitching();
        admin.recoverNode(Bytes.atoi(f.firstString()));
        return PcpReply.of(PcpPacket.of('c').cstring(COMMAND_COMPLETE));
    }

    /** The answer goes out before the stop begins; without a watchdog, cluster scope ({@code t}) is local. */
    private PcpReply stop(PcpFrame f) throws AdminException {
        if (f.tagChar() == 'T') { // pgpool checks the local stop only
            refuseWhileSwitching();
        }
        int mode = f.byteAt(0);
        AdminApi.ShutdownMode m = switch (mode) {
            case 's' -> AdminApi.ShutdownMode.SMART;
            case 'f' -> AdminApi.ShutdownMode.FAST;
            case 'i' -> AdminApi.ShutdownMode.IMMEDIATE;
            default -> null;
        };
        if (m == null) {
            return PcpReply.error(PcpError.error("PCP: error while processing shutdown request",
                    "invalid shutdown mode \"" + (mode < 0 ? "" : String.valueOf((char) mode)) + "\"",
                    PgpoolSource.SHUTDOWN_MODE));
        }
        return PcpReply.of(PcpPacket.of('t').cstring(COMMAND_COMPLETE)).then(() -> admin.stop(m));
    }

    private PcpReply reload() throws AdminException {
        admin.reloadConfig();
        return PcpReply.of(PcpPacket.of('z').cstring(COMMAND_COMPLETE));
    }

    /** libpcp's pcp_set_backend_parameter: only client_min_messages exists; jpgpool sends no notices anyway. */
    private PcpReply setParameter(PcpFrame f) {
        List<String> parts = f.strings();
        String name = parts.isEmpty() ? "" : parts.get(0);
        String value = parts.size() < 2 ? "" : parts.get(1);
        if (!name.equalsIgnoreCase("client_min_messages")) {
            return PcpReply.error(PcpError.error("PCP: set configuration parameter failed",
                    "invalid parameter \"" + name + "\"", PgpoolSource.SET_PARAMETER_NAME));
        }
        if (!CLIENT_MIN_MESSAGES.contains(value.toLowerCase(Locale.ROOT))) {
            return PcpReply.error(PcpError.error("PCP: set configuration parameter failed",
                    "invalid value \"" + value + "\" for parameter \"" + name + "\"",
                    PgpoolSource.SET_PARAMETER_VALUE));
        }
        return PcpReply.of(PcpPacket.of('a').cstring(COMMAND_COMPLETE));
    }
}
