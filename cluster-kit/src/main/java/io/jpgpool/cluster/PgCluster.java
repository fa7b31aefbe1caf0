package io.jpgpool.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1: a primary ({@code node0}) with streaming standbys
 * ({@code node1}...), or N independent servers. Layout: {@code <baseDir>/nodeN/data},
 * {@code <baseDir>/nodeN/postgresql.log}, Unix sockets in {@code <baseDir>/sock}.
 *
 * <p>{@link #close()} stops every node ({@code -m immediate}) and deletes the base directory; a JVM
 * shutdown hook does the same for clusters left open. Set {@value #KEEP_ENV}=true to keep the directory
 * (the servers are still stopped) when you need to read the logs after a run.
 */
public final class PgCluster implements AutoCloseable {
    /** Keeps base directories on close, for post-mortems. */
    public static final String KEEP_ENV = "JPGPOOL_KEEP_CLUSTERS";

    private static final Logger LOG = LoggerFactory.getLogger(PgCluster.class);
    /** Unix sockets live in sun_path: 108 bytes with the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final ClusterOptions options;
    private final boolean streaming;
    private final Path baseDir;
    private final List<PgNode> nodes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PgCluster(ClusterOptions options, boolean streaming, int size) {
        this.options = options;
        this.streaming = streaming;
        this.baseDir = createBaseDir(options.baseDir());
        List<PgNode> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(new PgNode(this, i));
        }
        this.nodes = List.copyOf(list);
    }

    /** A primary ({@code node0}) with {@link ClusterOptions#standbys()} streaming standbys, all running. */
    public static PgCluster streaming(ClusterOptions options) {
        PgCluster c = new PgCluster(options, true, 1 + options.standbys());
        return c.build(c::buildStreaming);
    }

    /** {@link ClusterOptions#servers()} independent servers, all running (native replication mode). */
    public static PgCluster independent(ClusterOptions options) {
        PgCluster c = new PgCluster(options, false, options.servers());
        return c.build(c::buildIndependent);
    }

    public List<PgNode> nodes() {
        return nodes;
    }

    /** The pgpool.conf lines that describe these nodes as backends 0..n-1, each with weight 1. */
    public List<String> pgpoolBackendLines() {
        List<String> lines = new ArrayList<>();
        for (PgNode n : nodes) {
            int i = n.id();
            lines.add("backend_hostname" + i + " = '" + n.host() + "'");
            lines.add("backend_port" + i + " = " + n.port());
            lines.add("backend_weight" + i + " = 1");
            lines.add("backend_data_directory" + i + " = '" + n.dataDir() + "'");
            lines.add("backend_application_name" + i + " = '" + n.name() + "'");
            lines.add("backend_flag" + i + " = 'ALLOW_TO_FAILOVER'");
        }
        return lines;
    }

    public PgNode node(int id) {
        if (id < 0 || id >= nodes.size()) {
            throw new IndexOutOfBoundsException("no node" + id + " in a cluster of " + nodes.size());
        }
        return nodes.get(id);
    }

    /**
     * The running node that is not in recovery, asked now. In a streaming cluster more than one such
     * node (a standby promoted while the old primary still runs) is an error; in an independent cluster
     * every node is a primary and the lowest id wins.
     */
    public PgNode primary() {
        List<PgNode> primaries = nodes.stream().filter(PgCluster::isRunningPrimary).toList();
        if (primaries.isEmpty()) {
            throw new ClusterException("no running primary in " + baseDir + ": " + status());
        }
        if (streaming && primaries.size() > 1) {
            throw new ClusterException("more than one node is out of recovery (split brain?): " + status());
        }
        return primaries.get(0);
    }

    public Path baseDir() {
        return baseDir;
    }

    public ClusterOptions options() {
        return options;
    }

    /** One line per node: name, port, running or not, role; for failure messages. */
    public String status() {
        return nodes.stream().map(n -> {
            if (!n.isRunning()) {
                return n.name() + ":" + n.port() + " down";
            }
            try {
                return n.name() + ":" + n.port() + (n.isInRecovery() ? " standby" : " primary");
            } catch (RuntimeException e) {
                return n.name() + ":" + n.port() + " running (not answering)";
            }
        }).collect(Collectors.joining(", "));
    }

    /** Stops every node ({@code -m immediate}, SIGKILL if that fails) and deletes the base directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Parallel.run(nodes.stream().<Runnable>map(n -> n::forceStop).toList());
        } finally {
            ClusterReaper.unregister(this);
            if (Boolean.parseBoolean(System.getenv(KEEP_ENV))) {
                LOG.info("{}: keeping {} with the servers stopped", KEEP_ENV, baseDir);
            } else {
                Dirs.deleteRecursively(baseDir);
            }
        }
    }

    @Override
    public String toString() {
        return (streaming ? "streaming" : "independent") + " cluster at " + baseDir + " " + nodes;
    }

    Path socketDir() {
        return baseDir.resolve("sock");
    }

    StandbyMethod standbyMethod() {
        StandbyMethod m = options.standbyMethod();
        if (m == StandbyMethod.AUTO) {
            return options.binaries().has("pg_basebackup") ? StandbyMethod.BASEBACKUP : StandbyMethod.COLD_COPY;
        }
        return m;
    }

    // ---- building -----------------------------------------------------------------------------------

    private PgCluster build(Runnable steps) {
        ClusterReaper.register(this);
        long t0 = System.nanoTime();
        try {
            prepareBaseDir();
            steps.run();
        } catch (RuntimeException | Error e) {
            try {
                close(); // leave no half-built cluster behind
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        LOG.info("{} up in {} ms ({}, run mode {})", this, (System.nanoTime() - t0) / 1_000_000,
                options.binaries(), options.runMode());
        return this;
    }

    private void buildStreaming() {
        PgNode primary = nodes.get(0);
        List<PgNode> standbys = nodes.subList(1, nodes.size());
        primary.initdb();
        primary.startOnFreePort();
        primary.setUp(); // before any copy, so the standbys get the users and databases too
        if (standbys.isEmpty()) {
            return;
        }
        if (standbyMethod() == StandbyMethod.COLD_COPY) {
            primary.stop(StopMode.FAST);
            standbys.forEach(s -> s.coldCopyOf(primary));
            primary.start();
            Parallel.run(standbys.stream().<Runnable>map(s -> s::startOnFreePort).toList());
        } else {
            Parallel.run(standbys.stream().<Runnable>map(s -> () -> {
                s.baseBackupFrom(primary);
                s.startOnFreePort();
            }).toList());
        }
        for (PgNode s : standbys) {
            s.waitForStreamingFrom(primary, PgNode.STREAMING_TIMEOUT);
        }
        if (options.synchronousStandby()) {
            // only now: with a synchronous standby named earlier, the setup commits would wait for it forever
            primary.setSynchronousStandbyNames(standbys.get(0).name());
            primary.reload();
            standbys.get(0).waitForSynchronousTo(primary, PgNode.STREAMING_TIMEOUT); // the reload is asynchronous
        }
    }

    private void buildIndependent() {
        Parallel.run(nodes.stream().<Runnable>map(n -> n::initdb).toList());
        Parallel.run(nodes.stream().<Runnable>map(n -> () -> {
            n.startOnFreePort();
            n.setUp();
        }).toList());
    }

    private static Path createBaseDir(Path requested) {
        try {
            if (requested == null) {
                return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "jpgpool-")
                        .toAbsolutePath();
            }
            Path dir = Files.createDirectories(requested).toAbsolutePath();
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new ClusterException("base directory " + dir + " is not empty");
                }
            }
            return dir;
        } catch (IOException e) {
            throw new ClusterException("cannot create the cluster's base directory: " + e, e);
        }
    }

    private void prepareBaseDir() {
        RunMode mode = options.runMode();
        try {
            Files.setPosixFilePermissions(baseDir, Dirs.permissions(0700));
            mode.adopt(baseDir);
            Files.createDirectories(socketDir());
            Files.setPosixFilePermissions(socketDir(), Dirs.permissions(0700));
            mode.adopt(socketDir());
            if (mode == RunMode.RUNUSER) {
                openParentsTo(baseDir);
            }
        } catch (IOException e) {
            throw new ClusterException("cannot prepare " + baseDir + ": " + e, e);
        }
        int socketPath = (socketDir() + "/.s.PGSQL.65535.lock").getBytes(StandardCharsets.UTF_8).length;
        if (socketPath > MAX_SOCKET_PATH) {
            throw new ClusterException("base directory " + baseDir + " is too long for Unix socket paths ("
                    + socketPath + " > " + MAX_SOCKET_PATH + " bytes); choose a shorter one");
        }
        if (mode == RunMode.RUNUSER) {
            ExecResult r = Exec.run(mode.wrap(List.of("test", "-w", socketDir().toString())), Path.of("/"), Map.of(),
                    Duration.ofSeconds(10));
            if (!r.ok()) {
                throw new ClusterException(RunMode.OS_USER + " cannot write to " + socketDir()
                        + "; every parent directory needs o+x (" + r.summary() + ")");
            }
        }
    }

    /** The postgres OS user must traverse every parent of the base directory. */
    private static void openParentsTo(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                LOG.warn("adding o+x to {} so that {} can reach {}", p, RunMode.OS_USER, dir);
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static boolean isRunningPrimary(PgNode n) {
        if (!n.isRunning()) {
            return false;
        }
        try {
            return !n.isInRecovery();
        } catch (RuntimeException e) {
            return false; // starting up or shutting down: not a primary we can use
        }
    }
}
