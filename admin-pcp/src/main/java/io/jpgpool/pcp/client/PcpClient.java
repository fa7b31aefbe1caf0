package io.jpgpool.pcp.client;

import io.jpgpool.pcp.wire.Bytes;
import io.jpgpool.pcp.wire.PcpFrame;
import io.jpgpool.pcp.wire.PcpPacket;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A PCP connection that behaves as libpcp 4.3.5: same connect rules ({@code -h} empty or a directory = Unix
 * socket, default {@code /tmp}; otherwise IPv4 TCP), same login, same reading of replies into a
 * {@link PcpResult}, same error texts ({@link #lastError()}) and the same {@code -d} trace lines on the debug
 * stream, including libpcp's own mislabelled ones.
 */
public final class PcpClient {
    /** libpcp's ConnStateType. */
    public enum State { OK, CONNECTED, NOT_CONNECTED, BAD, AUTH_ERROR }

    /** libpcp's UNIX_DOMAIN_PATH. */
    public static final String UNIX_DOMAIN_PATH = "/tmp";
    /** pgpool's MAX_USER_PASSWD_LEN. */
    private static final int MAX_USER_PASSWD_LEN = 128;
    private static final double RAND_MAX = 2147483647;

    private final PrintStream debug;
    private State state = State.NOT_CONNECTED;
    private String lastError;
    private SocketChannel channel;
    private InputStream in;
    private OutputStream out;
    private PcpResult result;

    private PcpClient(PrintStream debug) {
        this.debug = debug;
    }

    public State state() {
        return state;
    }

    /** The message libpcp would keep for the last failure, or null. */
    public String lastError() {
        return lastError;
    }

    /**
     * pcp_connect: opens the socket, finds the password in {@code passFile} if none was given, and logs in.
     *
     * @param host null, empty or a directory for a Unix socket; else a host name resolved to IPv4
     * @param user null for the OS user name
     * @param debug where {@code -d} writes, or null
     */
    public static PcpClient connect(String host, int port, String user, String password, PcpPassFile passFile,
            String osUser, PrintStream debug) {
        PcpClient c = new PcpClient(debug);
        String hostKey;
        try {
            if (host == null || host.isEmpty() || host.startsWith("/")) {
                String dir = host == null || host.isEmpty() ? UNIX_DOMAIN_PATH : host;
                hostKey = dir;
                String path = dir + "/.s.PGSQL." + port;
                try {
                    c.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.channel.connect(UnixDomainSocketAddress.of(path));
                } catch (IOException e) {
                    c.closeQuietly();
                    return c.bad("ERROR: connection to socket \"" + path + "\" failed with error \"" + strerror(e)
                            + "\"");
                }
            } else {
                hostKey = host;
                InetAddress address = ipv4(host);
                if (address == null) {
                    return c.bad("ERROR: could not retrieve hostname. gethostbyname failed with error \"Success\"");
                }
                try {
                    c.channel = SocketChannel.open(StandardProtocolFamily.INET);
                    c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    c.channel.connect(new InetSocketAddress(address, port));
                } catch (IOException e) {
                    c.closeQuietly();
                    return c.bad("ERROR: connection to host \"" + host + "\" failed with error \"" + strerror(e)
                            + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            return c.bad("ERROR: connection to socket failed with error \"" + e.getMessage() + "\"");
        }
        c.in = Channels.newInputStream(c.channel);
        c.out = new BufferedOutputStream(Channels.newOutputStream(c.channel));
        c.state = State.CONNECTED;

        String name = user != null ? user : osUser;
        String pass = password;
        if (pass == null || pass.isEmpty()) {
            pass = passFile == null ? null : passFile.lookup(hostKey, String.valueOf(port), name, debug);
        }
        if (c.authorize(name, pass)) {
            c.state = State.OK;
        } else {
            c.closeQuietly();
            c.state = State.AUTH_ERROR;
        }
        return c;
    }

    private PcpClient bad(String message) {
        lastError = message;
        state = State.BAD;
        return this;
    }

    /** gethostbyname with AF_INET: the first IPv4 address, or null. */
    private static InetAddress ipv4(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /** The strerror() text of a connect failure, as far as Java tells it. */
    static String strerror(IOException e) {
        String m = e.getMessage();
        if (m == null) {
            return e instanceof ConnectException ? "Connection refused" : "Unknown error";
        }
        for (String known : List.of("No such file or directory", "Connection refused", "Permission denied",
                "No route to host", "Network is unreachable", "Connection timed out", "Connection reset by peer")) {
            if (m.contains(known)) {
                return known;
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ login

    private boolean authorize(String user, String password) {
        String u = user == null ? "" : user;
        String p = password == null ? "" : password;
        if (u.length() >= MAX_USER_PASSWD_LEN) {
            lastError = "ERROR: PCP authorization failed. username too long.";
            return false;
        }
        if (!send(PcpPacket.of('M'))) {
            return false;
        }
        PcpResult r = response('M');
        if (r.status() != PcpResult.Status.COMMAND_OK || !(r.data(0) instanceof byte[] salt)) {
            return false;
        }
        String h1 = md5(Bytes.latin1(p));
        String h2 = md5(concat(Bytes.latin1(h1), Bytes.latin1(u)));
        String answer = md5(concat(Bytes.latin1(h2), salt));
        if (!send(PcpPacket.of('R').cstring(u).cstring(answer))) {
            return false;
        }
        r = response('R');
        if (r.status() != PcpResult.Status.COMMAND_OK) {
            return false;
        }
        result = null;
        return true;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ commands

    public PcpResult nodeCount() {
        return command(PcpPacket.of('L'), "DEBUG: send: tos=\"L\"", 'L');
    }

    public PcpResult nodeInfo(int id) {
        return command(PcpPacket.of('I').cstring(String.valueOf(id)), "DEBUG: send: tos=\"I\"", 'I');
    }

    /** libpcp labels this request "L" in its -d trace. */
    public PcpResult healthCheckStats(int id) {
        return command(PcpPacket.of('H').cstring(String.valueOf(id)), "DEBUG: send: tos=\"L\"", 'H');
    }

    public PcpResult processCount() {
        return command(PcpPacket.of('N'), "DEBUG: send: tos=\"N\"", 'N');
    }

    public PcpResult processInfo(int pid) {
        return command(PcpPacket.of('P').cstring(String.valueOf(pid)), "DEBUG: send: tos=\"P\"", 'P');
    }

    public PcpResult poolStatus() {
        return command(PcpPacket.of('B'), "DEBUG pcp_pool_status: send: tos=\"B\"", 'B');
    }

    public PcpResult detachNode(int id, boolean gracefully) {
        return command(PcpPacket.of(gracefully ? 'd' : 'D').cstring(String.valueOf(id)), "DEBUG: send: tos=\"D\"",
                'D');
    }

    public PcpResult attachNode(int id) {
        return command(PcpPacket.of('C').cstring(String.valueOf(id)), "DEBUG: send: tos=\"C\"", 'C');
    }

    /** {@code "<id> "} and the option byte; libpcp labels it "E" in its -d trace. */
    public PcpResult promoteNode(int id, boolean gracefully, boolean switchover) {
        return command(PcpPacket.of(gracefully ? 'j' : 'J').cstring(id + " ").rawByte(switchover ? 's' : 'n'),
                "DEBUG: send: tos=\"E\"", 'J');
    }

    /** libpcp labels it "D" in its -d trace. */
    public PcpResult recoveryNode(int id) {
        return command(PcpPacket.of('O').cstring(String.valueOf(id)), "DEBUG: send: tos=\"D\"", 'O');
    }

    public PcpResult terminate(char mode, char scope) {
        return command(PcpPacket.of(scope == 'l' ? 'T' : 't').rawByte(mode), "DEBUG: send: tos=\"T\"", 'T');
    }

    public PcpResult reloadConfig(char scope) {
        return command(PcpPacket.of('Z').rawByte(scope), "DEBUG: send: tos=\"Z\"", 'Z');
    }

    /** Pgpool-II 4.6's request, which jpgpool answers too. */
    public PcpResult invalidateQueryCache() {
        return command(PcpPacket.of('G'), "DEBUG: send: tos=\"G\"", 'G');
    }

    public PcpResult watchdogInfo(int id) {
        return command(PcpPacket.of('W').cstring(String.valueOf(id)), "DEBUG: send: tos=\"W\"", 'W');
    }

    /** pcp_disconnect: {@code X}, then close. Does nothing unless logged in. */
    public void disconnect() {
        if (state != State.OK) {
            lastError = "invalid PCP connection";
            return;
        }
        boolean sent = send(PcpPacket.of('X'));
        if (sent && debug != null) {
            debug.println("DEBUG: send: tos=\"X\", len=4");
        }
        closeQuietly();
        state = State.NOT_CONNECTED;
    }

    /** Null when the connection is not logged in or the request could not be sent (see {@link #lastError}). */
    private PcpResult command(PcpPacket request, String debugLabel, char sent) {
        if (state != State.OK) {
            lastError = "invalid PCP connection";
            return null;
        }
        if (!send(request)) {
            return null;
        }
        if (debug != null) {
            debug.println(debugLabel + ", len=" + (request.toBytes().length - 1));
        }
        return response(sent);
    }

    private boolean send(PcpPacket p) {
        try {
            out.write(p.toBytes());
            out.flush();
            return true;
        } catch (IOException e) {
            lastError = "ERROR: sending data to backend failed with error \"" + strerror(e) + "\"";
            return false;
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    // ------------------------------------------------------------------ replies

    /** process_pcp_response: reads packets until the result is no longer incomplete. */
    private PcpResult response(char sent) {
        if (result == null) {
            result = new PcpResult();
        }
        while (true) {
            PcpFrame f;
            try {
                f = read();
            } catch (IOException e) {
                lastError = "ERROR: unable to read data from socket.";
                result.status(PcpResult.Status.ERROR);
                return result;
            }
            if (debug != null) {
                debug.println("DEBUG: recv: tos=\"" + f.tagChar() + "\", len=" + f.length());
            }
            char tag = f.tagChar();
            switch (tag) {
                case 'r' -> {
                    if (sent != 'R') {
                        result.status(PcpResult.Status.BAD_RESPONSE);
                    } else if (f.firstString().equals("AuthenticationOK")) {
                        state = State.OK;
                        result.status(PcpResult.Status.COMMAND_OK);
                    } else {
                        lastError = "ERROR: authentication failed. reason=\"" + f.firstString() + "\"";
                        result.status(PcpResult.Status.BACKEND_ERROR);
                    }
                }
                case 'm' -> {
                    if (sent != 'M') {
                        result.status(PcpResult.Status.BAD_RESPONSE);
                    } else {
                        byte[] salt = new byte[4];
                        System.arraycopy(f.payload(), 0, salt, 0, Math.min(4, f.payloadLength()));
                        accept(salt, 4);
                    }
                }
                case 'E' -> {
                    result.status(PcpResult.Status.BACKEND_ERROR);
                    errorResponse(f, true);
                }
                case 'N' -> {
                    errorResponse(f, false);
                    continue;
                }
                case 'i' -> expect(sent, 'I', () -> nodeInfoResponse(f));
                case 'h' -> expect(sent, 'H', () -> healthCheckStatsResponse(f));
                case 'l' -> expect(sent, 'L', () -> nodeCountResponse(f));
                case 'c' -> expect(sent == 'O' ? 'C' : sent, 'C', () -> commandComplete(f));
                case 'd' -> expect(sent == 'J' ? 'D' : sent, 'D', () -> commandComplete(f));
                case 'a' -> expect(sent, 'A', () -> commandComplete(f));
                case 'z' -> expect(sent, 'Z', () -> commandComplete(f));
                case 'g' -> expect(sent, 'G', () -> commandComplete(f));
                case 'w' -> expect(sent, 'W', () -> watchdogInfoResponse(f));
                case 'p' -> expect(sent, 'P', () -> processInfoResponse(f));
                case 'n' -> expect(sent, 'N', () -> processCountResponse(f));
                case 'b' -> expect(sent, 'B', () -> poolStatusResponse(f));
                case 't' -> expect(sent, 'T', () -> result.status(PcpResult.Status.COMMAND_OK));
                default -> {
                    result.status(PcpResult.Status.BAD_RESPONSE);
                    lastError = "ERROR: invalid PCP packet type =\"" + tag + "\"";
                }
            }
            if (result.status() != PcpResult.Status.INCOMPLETE) {
                return result;
            }
        }
    }

    /** A reply of a kind libpcp knows, to the wrong request: "bad response" with no message. */
    private void expect(char sent, char wanted, Runnable parse) {
        if (sent != wanted) {
            result.status(PcpResult.Status.BAD_RESPONSE);
        } else {
            parse.run();
        }
    }

    private PcpFrame read() throws IOException {
        byte[] head = readFully(5);
        int length = ((head[1] & 0xff) << 24) | ((head[2] & 0xff) << 16) | ((head[3] & 0xff) << 8) | (head[4] & 0xff);
        if (length < 4) {
            throw new IOException("bad length " + length);
        }
        return new PcpFrame(head[0], length, readFully(length - 4));
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException();
            }
            off += r;
        }
        return b;
    }

    private void accept(Object record, int length) {
        if (result.fillNext(record, length)) {
            result.status(PcpResult.Status.COMMAND_OK);
        } else {
            invalid();
        }
    }

    private void invalid() {
        invalid("command failed. invalid response");
    }

    private void invalid(String message) {
        lastError = message;
        result.status(PcpResult.Status.BAD_RESPONSE);
    }

    /**
     * process_error_response, with its quirk: after taking an S, M or D value it does not step over it, so the
     * value's first character is read as the next field code (PCP_SPEC 4.3).
     */
    private void errorResponse(PcpFrame f, boolean error) {
        byte[] b = f.payload();
        String severity = null;
        String message = null;
        String detail = null;
        int e = 0;
        while (e < b.length && b[e] != 0) {
            char type = (char) (b[e] & 0xff);
            e++;
            if (e >= b.length || b[e] == 0) {
                break;
            }
            if (type == 'M') {
                message = f.stringAt(e);
            } else if (type == 'S') {
                severity = f.stringAt(e);
            } else if (type == 'D') {
                detail = f.stringAt(e);
            } else {
                int nul = f.indexOfNul(e);
                e = nul < 0 ? b.length : nul + 1;
            }
            if (detail != null && severity != null && message != null) {
                break;
            }
        }
        if (severity == null && message == null) {
            return;
        }
        String text = severity + ":  " + message + "\n" + (detail != null ? "DETAIL:  " + detail + "\n" : "");
        if (!error) {
            if (debug != null) {
                debug.print("BACKEND " + text);
            }
        } else {
            lastError = text.length() > 1023 ? text.substring(0, 1023) : text;
            result.status(PcpResult.Status.BACKEND_ERROR);
        }
    }

    private void commandComplete(PcpFrame f) {
        if (f.firstString().equals("CommandComplete")) {
            result.status(PcpResult.Status.COMMAND_OK);
        } else {
            invalid("command failed with reason: \"" + f.firstString() + "\"");
        }
    }

    private void nodeCountResponse(PcpFrame f) {
        if (!f.firstString().equals("CommandComplete")) {
            invalid("command failed with reason: \"" + f.firstString() + "\"");
            return;
        }
        int nul = f.indexOfNul(0);
        if (nul < 0) {
            invalid();
            return;
        }
        result.setInt(0, Bytes.atoi(f.stringAt(nul + 1)));
        result.status(PcpResult.Status.COMMAND_OK);
    }

    /** ArraySize, NodeInfo records (12 fields), CommandComplete. */
    private void nodeInfoResponse(PcpFrame f) {
        String kind = f.firstString();
        if (kind.equals("ArraySize")) {
            arraySize(f);
        } else if (kind.equals("NodeInfo")) {
            List<String> v = fields(f, 12);
            if (result.status() != PcpResult.Status.INCOMPLETE || v == null) {
                invalid();
                return;
            }
            Records.NodeInfo n = new Records.NodeInfo(cut(v.get(0), 253), Bytes.atoi(v.get(1)),
                    Bytes.atoi(v.get(2)), Bytes.atoi(v.get(3)), cut(v.get(4), 63), Bytes.atof(v.get(5)),
                    Bytes.atoi(v.get(6)), cut(v.get(7), 63), Bytes.atol(v.get(8)), cut(v.get(9), 63),
                    cut(v.get(10), 63), Bytes.atol(v.get(11)));
            if (!result.fillNext(n, 1)) {
                invalid();
            }
        } else if (kind.equals("CommandComplete")) {
            result.status(PcpResult.Status.COMMAND_OK);
        } else {
            invalid();
        }
    }

    private void arraySize(PcpFrame f) {
        int nul = f.indexOfNul(0);
        if (nul < 0) {
            invalid();
            return;
        }
        result.status(PcpResult.Status.INCOMPLETE);
        result.slotCount(Bytes.atoi(f.stringAt(nul + 1)));
        result.resetFill();
    }

    /** The {@code n} NUL-terminated strings after the record name, or null if one is missing its NUL. */
    private static List<String> fields(PcpFrame f, int n) {
        int at = f.indexOfNul(0);
        if (at < 0) {
            return null;
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int end = f.indexOfNul(at + 1);
            if (end < 0) {
                return null;
            }
            out.add(f.stringAt(at + 1));
            at = end;
        }
        return out;
    }

    /** Whatever strings follow the first one; missing ones are empty (libpcp would read garbage). */
    private static List<String> loose(PcpFrame f, int n) {
        List<String> all = f.strings();
        List<String> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(i < all.size() ? all.get(i) : "");
        }
        return out;
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    /** POOL_HEALTH_CHECK_STATS field sizes: libpcp keeps size - 2 characters of each. */
    private static final int[] HEALTH_SIZES = {5, 255, 7, 13, 21, 128, 21, 21, 21, 21, 21, 21, 17, 17, 17, 21, 128,
        128, 128, 128};
    /** POOL_REPORT_POOLS field sizes. */
    private static final int[] POOLS_SIZES = {17, 129, 17, 17, 17, 64, 64, 129, 129, 129, 129, 17, 17, 17, 17, 17,
        21};

    private static List<String> cutAll(List<String> values, int[] sizes) {
        List<String> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(cut(values.get(i), sizes[i] - 2));
        }
        return out;
    }

    private void healthCheckStatsResponse(PcpFrame f) {
        if (!f.firstString().equals("CommandComplete")) {
            invalid();
            return;
        }
        accept(new Records.HealthCheckStats(cutAll(loose(f, 20), HEALTH_SIZES)), 1);
    }

    private void processCountResponse(PcpFrame f) {
        if (!f.firstString().equals("CommandComplete")) {
            invalid("command failed with reason: \"" + f.firstString() + "\"");
            return;
        }
        int at = f.indexOfNul(0);
        if (at < 0) {
            invalid();
            return;
        }
        at++;
        int count = Bytes.atoi(f.stringAt(at));
        int[] pids = new int[Math.max(0, count)];
        for (int i = 0; i < count; i++) {
            int nul = f.indexOfNul(at);
            if (nul < 0) {
                invalid();
                return;
            }
            at = nul + 1;
            pids[i] = Bytes.atoi(f.stringAt(at));
        }
        result.slotCount(1);
        accept(new Records.ProcessList(pids), 4 * pids.length);
    }

    private void processInfoResponse(PcpFrame f) {
        String kind = f.firstString();
        if (kind.equals("ArraySize")) {
            arraySize(f);
        } else if (kind.equals("ProcessInfo")) {
            if (result.status() != PcpResult.Status.INCOMPLETE) {
                invalid();
                return;
            }
            if (!result.fillNext(new Records.ProcessInfo(cutAll(loose(f, 17), POOLS_SIZES)), 1)) {
                invalid();
            }
        } else if (kind.equals("CommandComplete")) {
            result.status(PcpResult.Status.COMMAND_OK);
        } else {
            invalid();
        }
    }

    private void poolStatusResponse(PcpFrame f) {
        String kind = f.firstString();
        if (kind.equals("ArraySize")) {
            int at = f.indexOfNul(0) + 1;
            int n = (f.byteAt(at) << 24) | (f.byteAt(at + 1) << 16) | (f.byteAt(at + 2) << 8) | f.byteAt(at + 3);
            result.status(PcpResult.Status.INCOMPLETE);
            result.slotCount(n);
            result.resetFill();
        } else if (kind.equals("ProcessConfig")) {
            List<String> v = fields(f, 3);
            if (result.status() != PcpResult.Status.INCOMPLETE || v == null) {
                invalid();
                return;
            }
            if (!result.fillNext(new Records.PoolStatusItem(cut(v.get(0), 64), cut(v.get(1), 512),
                    cut(v.get(2), 80)), 1)) {
                invalid();
            }
        } else if (kind.equals("CommandComplete")) {
            result.status(PcpResult.Status.COMMAND_OK);
        } else {
            invalid();
        }
    }

    /** The JSON document of pcp_watchdog_info (PCP_SPEC 5.14); libpcp ends these two errors with a newline. */
    private void watchdogInfoResponse(PcpFrame f) {
        if (!f.firstString().equals("CommandComplete")) {
            invalid("command failed with reason: \"" + f.firstString() + "\"\n");
            return;
        }
        int nul = f.indexOfNul(0);
        Object root = nul < 0 ? null : MiniJson.parse(f.stringAt(nul + 1));
        Records.WatchdogCluster cluster = root instanceof Map<?, ?> ? watchdogCluster(root) : null;
        if (cluster == null) {
            invalid("command failed. invalid response\n");
            return;
        }
        accept(cluster, 1);
    }

    private static Records.WatchdogCluster watchdogCluster(Object root) {
        Integer nodeCount = MiniJson.intMember(root, "NodeCount");
        Object list = ((Map<?, ?>) root).get("WatchdogNodes");
        if (nodeCount == null || !(list instanceof List<?> nodes) || nodes.size() != nodeCount) {
            return null;
        }
        Integer remote = MiniJson.intMember(root, "RemoteNodeCount");
        Integer member = MiniJson.intMember(root, "MemberRemoteNodeCount");
        Integer quorumNodes = MiniJson.intMember(root, "NodesRequireForQuorum");
        Integer quorum = MiniJson.intMember(root, "QuorumStatus");
        Integer alive = MiniJson.intMember(root, "AliveNodeCount");
        Integer escalated = MiniJson.intMember(root, "Escalated");
        String leaderName = MiniJson.stringMember(root, "LeaderNodeName");
        String leaderHost = MiniJson.stringMember(root, "LeaderHostName");
        if (remote == null || quorum == null || alive == null || escalated == null || leaderName == null
                || leaderHost == null) {
            return null;
        }
        List<Records.WatchdogNode> out = new ArrayList<>();
        for (Object n : nodes) {
            if (!(n instanceof Map<?, ?>)) {
                return null;
            }
            Integer id = MiniJson.intMember(n, "ID");
            String nodeName = MiniJson.stringMember(n, "NodeName");
            String hostName = MiniJson.stringMember(n, "HostName");
            String delegate = MiniJson.stringMember(n, "DelegateIP");
            Integer membership = MiniJson.intMember(n, "Membership");
            String membershipString = MiniJson.stringMember(n, "MembershipString");
            Integer wdPort = MiniJson.intMember(n, "WdPort");
            Integer pgpoolPort = MiniJson.intMember(n, "PgpoolPort");
            Integer st = MiniJson.intMember(n, "State");
            String stateName = MiniJson.stringMember(n, "StateName");
            Integer priority = MiniJson.intMember(n, "Priority");
            if (id == null || nodeName == null || hostName == null || delegate == null || wdPort == null
                    || pgpoolPort == null || st == null || stateName == null || priority == null) {
                return null;
            }
            out.add(new Records.WatchdogNode(id, cut(nodeName, 127), cut(hostName, 127), cut(delegate, 127),
                    membership == null ? 0 : membership,
                    membershipString == null ? "NOT-Available" : cut(membershipString, 127), wdPort, pgpoolPort,
                    st, cut(stateName, 127), priority));
        }
        return new Records.WatchdogCluster(remote, member == null ? -1 : member, quorumNodes == null ? -1
                : quorumNodes, quorum, alive, escalated != 0, cut(leaderName, 127), cut(leaderHost, 127), out);
    }

    /** The weight as the tools print it: the wire value over RAND_MAX. */
    public static double weight(Records.NodeInfo n) {
        return n.weight() / RAND_MAX;
    }
}
