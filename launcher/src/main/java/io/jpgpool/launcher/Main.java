package io.jpgpool.launcher;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.ConfigWarning;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.JpgpoolServer;
import io.jpgpool.launcher.logging.PgpoolLogging;
import io.jpgpool.pcp.PcpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpgpool [-f pgpool.conf] [-F pcp.conf] [-a pool_hba.conf] [-n] [-D] [-d]}: starts the proxy with
 * Pgpool-II's options; {@code jpgpool [-m mode] stop} stops the one whose pid file the configuration names and
 * {@code jpgpool reload} makes it re-read its configuration; {@code jpgpool demo} runs on a demo cluster it brings
 * itself; {@code jpgpool md5|enc|scram} write pool_passwd entries as pg_md5 and pg_enc do.
 */
@Command(name = "jpgpool", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {Main.Stop.class, Main.Reload.class, DemoCommand.class, Md5Command.class, EncCommand.class,
            ScramCommand.class},
        description = "A Pgpool-II-compatible PostgreSQL proxy for the JVM.")
public final class Main implements Callable<Integer> {
    static final Logger LOG = LoggerFactory.getLogger("io.jpgpool");

    @Option(names = {"-f", "--config-file"}, paramLabel = "CONFIG_FILE",
            description = "pgpool.conf (default: ${DEFAULT-VALUE})", defaultValue = "/etc/pgpool2/pgpool.conf")
    Path configFile;

    @Option(names = {"-F", "--pcp-file"}, paramLabel = "PCP_CONFIG_FILE",
            description = "pcp.conf (default: pcp.conf beside pgpool.conf)")
    Path pcpFile;

    @Option(names = {"-a", "--hba-file"}, paramLabel = "HBA_CONFIG_FILE",
            description = "pool_hba.conf (read when enable_pool_hba = on)")
    Path hbaFile;

    @Option(names = {"-n", "--dont-detach"},
            description = "do not run in daemon mode (jpgpool always stays in the foreground; run it under a "
                    + "service manager to detach)")
    boolean dontDetach;

    @Option(names = {"-D", "--discard-status"}, description = "discard the pgpool_status file (node states)")
    boolean discardStatus;

    @Option(names = {"-d", "--debug"}, description = "debug logging")
    boolean debug;

    @Option(names = {"-m", "--mode"}, paramLabel = "SHUTDOWN_MODE",
            description = "for stop: smart, fast or immediate (default: ${DEFAULT-VALUE})", defaultValue = "smart")
    String mode;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        PgpoolConfig config = loadConfig(configFile);
        if (config == null) {
            return 1;
        }
        Options options = new Options(pcpFile, hbaFile, discardStatus, debug);
        return runUntilStopped(config, options, null);
    }

    /** What else the command line said, beyond pgpool.conf; {@code debug} is {@code -d}. */
    record Options(Path pcpFile, Path hbaFile, boolean discardStatus, boolean debug) {
    }

    static PgpoolConfig loadConfig(Path file) {
        try {
            return PgpoolConfig.load(file);
        } catch (ConfigException e) {
            System.err.println("FATAL:  " + e.getMessage());
            return null;
        }
    }

    /**
     * Starts the server and its PCP server (stopped with it), writes the pid file, and blocks until
     * SIGTERM/SIGINT or pcp_stop_pgpool (then stops cleanly).
     */
    static int runUntilStopped(PgpoolConfig config, Options options, Runnable onStarted) throws Exception {
        PgpoolLogging logging = PgpoolLogging.start(config.logging(), options.debug());
        for (ConfigWarning w : config.warnings()) {
            LOG.warn("{}", w);
        }
        JpgpoolServer server;
        try {
            server = JpgpoolServer.start(config, new JpgpoolServer.Options(options.discardStatus(),
                    options.hbaFile()));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("FATAL:  " + e.getMessage());
            return 1;
        }
        PcpServer pcp;
        try {
            pcp = PcpServer.start(server, pcpConfFile(config, options));
        } catch (IOException e) {
            System.err.println("FATAL:  " + e.getMessage());
            server.close();
            return 1;
        }
        server.onReload(newer -> logging.reload(newer.logging()));
        Optional<Path> pidFile = writePidFile(config);
        Thread hook = new Thread(() -> {
            if (!server.stopped().isDone()) {
                LOG.info("received stop request, shutting down");
                server.close();
            }
            pidFile.ifPresent(p -> p.toFile().delete());
        }, "jpgpool-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        reloadOnSighup(server);
        stopOnSignal(server, "TERM");
        stopOnSignal(server, "INT");
        if (onStarted != null) {
            onStarted.run();
        }
        server.stopped().join();
        pcp.close(); // also closed when jpgpool stops; here so it is done before the JVM exits
        pidFile.ifPresent(p -> p.toFile().delete());
        return 0;
    }

    /** {@code -F}, else pgpool's default: pcp.conf in the directory of pgpool.conf. */
    static Path pcpConfFile(PgpoolConfig config, Options options) {
        if (options.pcpFile() != null) {
            return options.pcpFile().toAbsolutePath();
        }
        return config.file().map(f -> f.toAbsolutePath().resolveSibling("pcp.conf"))
                .orElse(Path.of("/etc/pgpool2/pcp.conf"));
    }

    /** {@code kill -HUP} reloads pgpool.conf, as it does for pgpool. */
    @SuppressWarnings("removal")
    private static void reloadOnSighup(JpgpoolServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                try {
                    server.reload();
                } catch (IllegalStateException e) {
                    LOG.warn("reload failed: {}", e.getMessage());
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("SIGHUP cannot be handled here: {}", e.getMessage());
        }
    }

    /**
     * {@code kill -TERM} / {@code -INT} stop the server and jpgpool exits 0, as pgpool does; left to the JVM, the
     * signal would end the process with status 143 / 130, which service managers count as a failure.
     */
    @SuppressWarnings("removal")
    private static void stopOnSignal(JpgpoolServer server, String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
                LOG.info("received stop request, shutting down");
                server.close();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("SIG{} cannot be handled here: {}", signal, e.getMessage());
        }
    }

    private static Optional<Path> writePidFile(PgpoolConfig config) {
        String name = config.pidFileName();
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(name);
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            // written aside and renamed into place: whoever reads the pid file never sees it half written
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(p);
        } catch (IOException e) {
            LOG.warn("could not write pid file \"{}\": {}", p, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The pid in the pid file pgpool.conf names; empty (after printing {@code missing}, where {@code %s} is the
     * file) when the configuration does not load or the file is not there.
     */
    private static Optional<Long> readPidFile(Path configFile, String missing) throws IOException {
        PgpoolConfig config = loadConfig(configFile);
        if (config == null) {
            return Optional.empty();
        }
        Path pid = Path.of(config.pidFileName());
        if (!Files.exists(pid)) {
            System.err.println(String.format(missing, pid));
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(pid).trim()));
    }

    /** {@code jpgpool [-m smart|fast|immediate] stop}: signals the running jpgpool named by the pid file. */
    @Command(name = "stop", description = "Stop the jpgpool whose pid file the configuration names.")
    static final class Stop implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() throws Exception {
            Optional<Long> pid = readPidFile(parent.configFile, "ERROR:  could not open pid file \"%s\". reason: "
                    + "No such file or directory");
            if (pid.isEmpty()) {
                return 3;
            }
            long p = pid.get();
            Optional<ProcessHandle> h = ProcessHandle.of(p);
            if (h.isEmpty()) {
                System.err.println("ERROR:  could not stop process with pid: " + p + ". reason: No such process");
                return 3;
            }
            System.out.println(".done.");
            boolean immediate = "immediate".equalsIgnoreCase(parent.mode) || "i".equalsIgnoreCase(parent.mode);
            if (immediate) {
                h.get().destroyForcibly();
            } else {
                h.get().destroy();
            }
            h.get().onExit().get();
            return 0;
        }
    }

    /** {@code jpgpool [-f pgpool.conf] reload}: SIGHUP to the running jpgpool named by the pid file, as pgpool does. */
    @Command(name = "reload", description = "Make the jpgpool whose pid file the configuration names re-read it.")
    static final class Reload implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main parent;

        @Override
        public Integer call() throws Exception {
            Optional<Long> pid = readPidFile(parent.configFile, "FATAL:  could not read pid file");
            if (pid.isEmpty()) {
                return 1;
            }
            String p = pid.get().toString();
            Process kill = new ProcessBuilder("kill", "-HUP", p).inheritIO().start();
            if (kill.waitFor() != 0) {
                System.err.println("FATAL:  could not reload configuration file pid: " + p);
                return 1;
            }
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jpgpool " + io.jpgpool.core.admin.AdminViews.version()
                    + " (compatible with pgpool-II 4.3)"};
        }
    }
}
