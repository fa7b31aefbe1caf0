package io.jpgpool.pcp.cli;

import io.jpgpool.pcp.client.PcpClient;
import io.jpgpool.pcp.client.PcpPassFile;
import io.jpgpool.pcp.client.PcpResult;
import io.jpgpool.pcp.wire.Bytes;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

/**
 * {@code bin/jpcp <command> [OPTION...]}: the pcp tools of Pgpool-II 4.3.5 without installing them. The command
 * is a tool's name with or without {@code pcp_} ({@code node_info}, {@code pcp_node_info}); options, prompts,
 * {@code .pcppass}, output on stdout and stderr, and exit codes are those of the real tool (PCP_SPEC 7, 9.2),
 * down to getopt's messages and libpcp's {@code -d} trace.
 */
public final class Jpcp {
    private static final String VERSION = "4.3.5";
    /** The tools accept every long option; what a given tool does with it is decided like the C code does. */
    private static final List<GetoptLong.LongOption> LONG_OPTIONS = List.of(
            new GetoptLong.LongOption("help", false, '?'),
            new GetoptLong.LongOption("debug", false, 'd'),
            new GetoptLong.LongOption("version", false, 'V'),
            new GetoptLong.LongOption("host", true, 'h'),
            new GetoptLong.LongOption("port", true, 'p'),
            new GetoptLong.LongOption("process-id", true, 'P'),
            new GetoptLong.LongOption("username", true, 'U'),
            new GetoptLong.LongOption("no-password", false, 'w'),
            new GetoptLong.LongOption("password", false, 'W'),
            new GetoptLong.LongOption("mode", true, 'm'),
            new GetoptLong.LongOption("scope", true, 's'),
            new GetoptLong.LongOption("gracefully", false, 'g'),
            new GetoptLong.LongOption("switchover", false, 's'),
            new GetoptLong.LongOption("verbose", false, 'v'),
            new GetoptLong.LongOption("all", false, 'a'),
            new GetoptLong.LongOption("node-id", true, 'n'),
            new GetoptLong.LongOption("watchdog-id", true, 'n'));
    private static final int MAX_NUM_BACKENDS = 128;

    /** What the process sees of its surroundings; tests give their own. */
    record Env(InputStream stdin, PrintStream stdout, PrintStream stderr, Function<String, String> getenv,
            String osUser, String home, ZoneId zone, PasswordPrompt prompt) {
    }

    private final Env env;

    Jpcp(Env env) {
        this.env = env;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)), false,
                StandardCharsets.ISO_8859_1);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.ISO_8859_1);
        Env env = new Env(System.in, out, err, System::getenv, System.getProperty("user.name"),
                System.getProperty("user.home"), ZoneId.systemDefault(), PasswordPrompt.system(System.in, err));
        int code = new Jpcp(env).run(nativeBytes(args));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Arguments back to the bytes the shell passed, one char per byte, as the C tools see them. */
    private static String[] nativeBytes(String[] args) {
        Charset cs = Charset.defaultCharset();
        try {
            cs = Charset.forName(System.getProperty("sun.jnu.encoding", cs.name()));
        } catch (RuntimeException ignored) {
            // keep the default
        }
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = Bytes.latin1(args[i].getBytes(cs));
        }
        return out;
    }

    int run(String[] argv) {
        PrintStream err = env.stderr();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-?") || argv[0].equals("help")) {
            usage(err);
            return argv.length == 0 ? 1 : 0;
        }
        if (argv[0].equals("-V") || argv[0].equals("--version")) {
            err.println("jpcp (pgpool-II) " + VERSION);
            return 0;
        }
        PcpTool tool = PcpTool.byName(argv[0]).orElse(null);
        if (tool == null) {
            err.println(argv[0] + " is a invalid PCP utility");
            usage(err);
            return 1;
        }
        String[] args = new String[argv.length - 1];
        System.arraycopy(argv, 1, args, 0, args.length);
        return new Invocation(tool, env).run(args);
    }

    private static void usage(PrintStream err) {
        StringBuilder sb = new StringBuilder();
        sb.append("jpcp - the pcp tools of pgpool-II ").append(VERSION).append(", for jpgpool\n");
        sb.append("Usage:\n  jpcp COMMAND [OPTION...] [ARGUMENT]\n");
        sb.append("Commands (also accepted with their pcp_ prefix):\n");
        for (PcpTool t : PcpTool.values()) {
            String name = t.programName().substring(4);
            sb.append("  ").append(name).append(" ".repeat(Math.max(1, 20 - name.length()))).append(t.description())
                    .append('\n');
        }
        sb.append("Options and output are those of the pgpool-II tool; see \"jpcp COMMAND --help\".\n");
        err.print(sb);
    }

    /** One run of one tool: the command line as pcp_frontend_client.c reads it, then the request. */
    private static final class Invocation {
        private final PcpTool tool;
        private final Env env;
        private final String progname;
        private String host;
        private int port = 9898;
        private String user;
        private int nodeId = -1;
        private int processId;
        private char shutdownMode = 's';
        private char scope = 'l';
        private boolean all;
        private boolean debug;
        private boolean needPassword = true;
        private boolean gracefully;
        private boolean switchover;
        private boolean verbose;

        Invocation(PcpTool tool, Env env) {
            this.tool = tool;
            this.env = env;
            this.progname = tool.programName();
        }

        int run(String[] args) {
            PrintStream err = env.stderr();
            if (args.length > 0) {
                if (args[0].equals("--help") || args[0].equals("-?")) {
                    toolUsage(err);
                    return 0;
                }
                if (args[0].equals("-V") || args[0].equals("--version")) {
                    err.println(progname + " (pgpool-II) " + VERSION);
                    return 0;
                }
            }
            GetoptLong getopt = new GetoptLong(progname, args, tool.optstring(), LONG_OPTIONS,
                    env.getenv().apply("POSIXLY_CORRECT") != null, err);
            Integer exit = options(getopt);
            if (exit != null) {
                return exit;
            }
            exit = operands(getopt.operands());
            if (exit != null) {
                return exit;
            }
            if (nodeId < 0 && tool.requiresNodeId()) {
                err.println(progname + ": missing node-id");
                err.print("Try \"" + progname + " --help\" for more information.\n\n");
                return 1;
            }
            return execute();
        }

        /** The option loop; an exit code when the tool would stop here. */
        private Integer options(GetoptLong getopt) {
            PrintStream err = env.stderr();
            int ch;
            while ((ch = getopt.next()) != -1) {
                String optarg = getopt.optarg();
                switch (ch) {
                    case 'd' -> debug = true;
                    case 'a' -> all = true;
                    case 'w' -> needPassword = false;
                    case 'W' -> needPassword = true;
                    case 'g' -> gracefully = true;
                    case 's' -> {
                        if (tool.supportsClusterScope()) {
                            String v = orNull(optarg);
                            if (v.equals("c") || v.equals("cluster")) {
                                scope = 'c';
                            } else if (v.equals("l") || v.equals("local")) {
                                scope = 'l';
                            } else {
                                err.println(progname + ": Invalid command scope \"" + v
                                        + "\", must be either \"cluster\" or \"local\" ");
                                return 1;
                            }
                        } else if (tool == PcpTool.PROMOTE_NODE) {
                            switchover = true;
                        } else {
                            err.println("Invalid argument \"" + orNull(optarg) + "\", Try \"" + progname
                                    + " --help\" for more information.");
                            return 1;
                        }
                    }
                    case 'm' -> {
                        if (tool != PcpTool.STOP_PGPOOL) {
                            err.println("Invalid argument \"" + orNull(optarg) + "\", Try \"" + progname
                                    + " --help\" for more information.");
                            return 1;
                        }
                        switch (String.valueOf(optarg)) {
                            case "s", "smart" -> shutdownMode = 's';
                            case "f", "fast" -> shutdownMode = 'f';
                            case "i", "immediate" -> shutdownMode = 'i';
                            default -> {
                                err.println(progname + ": Invalid shutdown mode \"" + optarg
                                        + "\", must be either \"smart\" \"immediate\" or \"fast\" ");
                                return 1;
                            }
                        }
                    }
                    case 'v' -> verbose = true;
                    case 'n' -> {
                        nodeId = Bytes.atoi(optarg);
                        if (tool == PcpTool.WATCHDOG_INFO) {
                            if (nodeId < 0) {
                                err.println(progname + ": Invalid watchdog-id \"" + optarg
                                        + "\", must be a positive number or zero for a local watchdog node");
                                return 0;
                            }
                        } else if (nodeId < 0 || nodeId > MAX_NUM_BACKENDS) {
                            err.println(progname + ": Invalid node-id \"" + optarg + "\", must be between 0 and "
                                    + MAX_NUM_BACKENDS);
                            return 0;
                        }
                    }
                    case 'p' -> {
                        port = Bytes.atoi(optarg);
                        if (port <= 1024 || port > 65535) {
                            err.println(progname + ": Invalid port number \"" + optarg
                                    + "\", must be between 1024 and 65535");
                            return 0;
                        }
                    }
                    case 'P' -> {
                        processId = Bytes.atoi(optarg);
                        if (processId <= 0) {
                            err.println(progname + ": Invalid process-id \"" + optarg + "\", must be greater than 0");
                            return 0;
                        }
                    }
                    case 'h' -> host = optarg;
                    case 'U' -> user = optarg;
                    default -> {
                        // getopt has printed its complaint already
                        err.print("Try \"" + progname + " --help\" for more information.\n\n");
                        return 1;
                    }
                }
            }
            return null;
        }

        /**
         * Operands: a process id, watchdog id or node id when the tool takes one and none was given; otherwise
         * a warning. The C code prints getopt's (by now null) optarg in these messages, hence "(null)".
         */
        private Integer operands(List<String> operands) {
            PrintStream err = env.stderr();
            for (String a : operands) {
                if (tool == PcpTool.PROC_INFO && processId <= 0) {
                    processId = Bytes.atoi(a);
                    if (processId <= 0) {
                        err.println(progname + ": Invalid process-id \"(null)\", must be greater than 0");
                        return 0;
                    }
                } else if (tool == PcpTool.WATCHDOG_INFO && nodeId < 0) {
                    nodeId = Bytes.atoi(a);
                    if (nodeId < 0) {
                        err.println(progname + ": Invalid watchdog-id \"(null)\", must be a positive number or zero "
                                + "for local watchdog node");
                        return 0;
                    }
                } else if ((tool.requiresNodeId() || tool == PcpTool.NODE_INFO) && nodeId < 0) {
                    nodeId = Bytes.atoi(a);
                    if (nodeId < 0 || nodeId > MAX_NUM_BACKENDS) {
                        err.println(progname + ": Invalid node-id \"(null)\", must be between 0 and "
                                + MAX_NUM_BACKENDS);
                        return 0;
                    }
                } else {
                    err.println(progname + ": Warning: extra command-line argument \"" + a + "\" ignored");
                }
            }
            return null;
        }

        /** What C's printf makes of a null string. */
        private static String orNull(String s) {
            return s == null ? "(null)" : s;
        }

        private int execute() {
            PrintStream out = env.stdout();
            PrintStream err = env.stderr();
            String password = null;
            if (needPassword) {
                password = env.prompt().read("Password: ", 100);
            }
            PcpPassFile passFile = PcpPassFile.locate(env.getenv().apply("PCPPASSFILE"), env.home());
            PcpClient c = PcpClient.connect(host, port, user, password, passFile, env.osUser(), debug ? out : null);
            if (c.state() != PcpClient.State.OK) {
                out.flush();
                err.println(c.lastError() != null ? c.lastError() : "Unknown Error");
                return 1;
            }
            PcpResult r = switch (tool) {
                case ATTACH_NODE -> c.attachNode(nodeId);
                case DETACH_NODE -> c.detachNode(nodeId, gracefully);
                case NODE_COUNT -> c.nodeCount();
                case NODE_INFO -> c.nodeInfo(nodeId);
                case HEALTH_CHECK_STATS -> c.healthCheckStats(nodeId);
                case POOL_STATUS -> c.poolStatus();
                case PROC_COUNT -> c.processCount();
                case PROC_INFO -> c.processInfo(processId);
                case PROMOTE_NODE -> c.promoteNode(nodeId, gracefully, switchover);
                case RECOVERY_NODE -> c.recoveryNode(nodeId);
                case STOP_PGPOOL -> c.terminate(shutdownMode, scope);
                case WATCHDOG_INFO -> c.watchdogInfo(nodeId);
                case RELOAD_CONFIG -> c.reloadConfig(scope);
                case INVALIDATE_QUERY_CACHE -> c.invalidateQueryCache();
            };
            if (r == null || r.status() != PcpResult.Status.COMMAND_OK) {
                out.flush();
                err.println(c.lastError() != null ? c.lastError() : "Unknown Error");
            } else if (r.isEmpty()) {
                out.print(progname + " -- Command Successful\n");
            } else {
                new ToolOutput(out, env.zone()).print(tool, r, all, verbose);
            }
            c.disconnect();
            return 0;
        }

        private void toolUsage(PrintStream err) {
            StringBuilder sb = new StringBuilder();
            sb.append(progname).append(" - ").append(tool.description()).append('\n');
            sb.append("Usage:\n");
            sb.append(progname).append(" [OPTION...] ").append(tool.requiresNodeId() ? "[node-id]"
                    : tool == PcpTool.WATCHDOG_INFO ? "[watchdog-id]" : tool == PcpTool.PROC_INFO ? "[process-id]" : "")
                    .append('\n');
            sb.append("Options:\n");
            sb.append("  -U, --username=NAME    username for PCP authentication\n");
            sb.append("  -h, --host=HOSTNAME    pgpool-II host\n");
            sb.append("  -p, --port=PORT        PCP port number\n");
            sb.append("  -w, --no-password      never prompt for password\n");
            sb.append("  -W, --password         force password prompt (should happen automatically)\n");
            if (tool.requiresNodeId()) {
                sb.append("  -n, --node-id=NODEID   ID of a backend node\n");
            }
            if (tool == PcpTool.NODE_INFO) {
                sb.append("  -n, --node-id=NODEID   ID of a backend node\n");
                sb.append("  -a, --all              display all backend nodes information\n");
            }
            if (tool == PcpTool.STOP_PGPOOL) {
                sb.append("  -m, --mode=MODE        MODE can be \"smart\", \"fast\", or \"immediate\"\n");
            }
            if (tool.supportsClusterScope()) {
                sb.append("  -s, --scope=SCOPE      SCOPE can be \"cluster\", or \"local\"\n");
                sb.append("                         cluster scope do operations on all Pgpool-II nodes\n");
                sb.append("                         part of the watchdog cluster\n");
            }
            if (tool == PcpTool.PROMOTE_NODE || tool == PcpTool.DETACH_NODE) {
                sb.append("  -g, --gracefully       promote gracefully (optional)\n");
            }
            if (tool == PcpTool.PROMOTE_NODE) {
                sb.append("  -s, --switchover       switchover primary to specified node (optional)\n");
            }
            if (tool == PcpTool.WATCHDOG_INFO) {
                sb.append("  -n, --watchdog-id=ID   ID of a other pgpool to get information for\n");
                sb.append("                         ID 0 for the local watchdog\n");
                sb.append("                         If omitted then get information of all watchdog nodes\n");
            }
            if (tool == PcpTool.PROC_INFO) {
                sb.append("  -P, --process-id=PID   PID of the child process to get information for (optional)\n");
                sb.append("  -a, --all              display all child processes and their available connection "
                        + "slots\n");
            }
            sb.append("  -d, --debug            enable debug message (optional)\n");
            sb.append("  -v, --verbose          output verbose messages\n");
            sb.append("  -?, --help             print this help\n\n");
            err.print(sb);
        }
    }
}
