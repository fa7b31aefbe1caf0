package io.jpgpool.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server of a {@link PgCluster}: {@code <baseDir>/<name>/data}, its log
 * {@code <baseDir>/<name>/postgresql.log}, a port on 127.0.0.1.
 *
 * <p>What makes a node itself (port, {@code cluster_name}, {@code primary_conninfo}, synchronous standby
 * names, {@code standby.signal}) lives in {@value #NODE_CONF}, which is rewritten from this object before
 * every start: a copied or rewound data directory brings the source's files along, this puts ours back.
 */
public final class PgNode {
    /** Per-node settings, included at the end of postgresql.conf. */
    static final String NODE_CONF = "jpgpool-node.conf";

    private static final Logger LOG = LoggerFactory.getLogger(PgNode.class);
    private static final String HOST = "127.0.0.1";
    /** The driver directly: DriverManager may not see it from every class loader (surefire, plugins). */
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();
    private static final int LOG_TAIL_LINES = 30;
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PG_CTL_WAIT = Duration.ofSeconds(60);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    private final PgCluster cluster;
    private final int id;
    private final String name;
    private final Path dir;
    private volatile int port;
    /** The node this one streams from; null while it is a primary. */
    private volatile PgNode upstream;
    private volatile String synchronousStandbyNames;

    PgNode(PgCluster cluster, int id) {
        this.cluster = cluster;
        this.id = id;
        this.name = "node" + id;
        this.dir = cluster.baseDir().resolve(name);
    }

    public int id() {
        return id;
    }

    /** {@code node<id>}; also the {@code application_name} a standby shows in {@code pg_stat_replication}. */
    public String name() {
        return name;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    public Path logFile() {
        return dir.resolve("postgresql.log");
    }

    /** The cluster's Unix socket directory (sockets are named by port, so the nodes share it). */
    public Path socketDir() {
        return cluster.socketDir();
    }

    /** The node this one was last configured to stream from, or null for a primary. */
    public PgNode upstream() {
        return upstream;
    }

    // ---- lifecycle ----------------------------------------------------------------------------------

    /** Starts the server on its port and returns once it accepts connections (read-only ones for a standby). */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        writeNodeConf();
        ExecResult r = pg(List.of(tool("pg_ctl"), "-D", dataDir().toString(), "-l", logFile().toString(),
                "-w", "-t", seconds(PG_CTL_WAIT), "start"), PG_CTL_WAIT.plusSeconds(30), Map.of());
        if (!r.ok()) {
            forceStop(); // pg_ctl may have given up on a postmaster that is still coming up
            throw failure("pg_ctl start failed on port " + port, r);
        }
    }

    /** Stops the server; returns once it is gone. Does nothing if it is not running. */
    public synchronized void stop(StopMode mode) {
        OptionalLong pid = postmasterPid();
        if (pid.isEmpty() || !Processes.isAlive(pid.getAsLong())) {
            return;
        }
        ExecResult r = pg(List.of(tool("pg_ctl"), "-D", dataDir().toString(), "-m", mode.pgCtlName(), "-w",
                "-t", seconds(PG_CTL_WAIT), "stop"), PG_CTL_WAIT.plusSeconds(30), Map.of());
        // the postmaster removes postmaster.pid, which pg_ctl waits for, a moment before it exits
        if (!Processes.awaitExit(pid.getAsLong(), r.ok() ? Duration.ofSeconds(10) : Duration.ZERO)) {
            throw failure("pg_ctl stop -m " + mode.pgCtlName() + " failed", r);
        }
    }

    /** A clean (fast) stop followed by a start on the same port. */
    public synchronized void restart() {
        stop(StopMode.FAST);
        start();
    }

    /** True while the postmaster recorded in postmaster.pid is alive. */
    public boolean isRunning() {
        OptionalLong pid = postmasterPid();
        return pid.isPresent() && Processes.isAlive(pid.getAsLong());
    }

    /** The postmaster's pid from postmaster.pid, if that file exists. */
    public OptionalLong postmasterPid() {
        Path pidFile = dataDir().resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() || lines.get(0).isBlank()
                    ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code pg_ctl promote -w}: returns once the node has left recovery and accepts writes. */
    public synchronized void promote() {
        ExecResult r = pg(List.of(tool("pg_ctl"), "-D", dataDir().toString(), "-w", "-t", seconds(PG_CTL_WAIT),
                "promote"), PG_CTL_WAIT.plusSeconds(30), Map.of());
        if (!r.ok()) {
            throw failure("pg_ctl promote failed", r);
        }
        upstream = null; // postgres removed standby.signal itself
    }

    /**
     * Turns this node into a streaming standby of {@code primary}, e.g. an old primary after a failover:
     * stop it, {@code pg_rewind} against the primary when the data directory is usable, else wipe it and
     * take a fresh copy; then start it and wait until the primary reports it streaming.
     */
    public synchronized void rebuildAsStandbyOf(PgNode primary) {
        requireOther(primary);
        stop(StopMode.FAST);
        boolean rewound = cluster.options().binaries().has("pg_rewind")
                && Files.isRegularFile(dataDir().resolve("global/pg_control")) && rewind(primary);
        if (!rewound) {
            copyFrom(primary);
        }
        upstream = primary;
        synchronousStandbyNames = null;
        start();
        waitForStreamingFrom(primary, STREAMING_TIMEOUT);
    }

    /**
     * Points this node's {@code primary_conninfo} at {@code primary} and restarts it as a standby, without
     * touching its data: enough for a standby to follow a promoted sibling (it switches timeline itself).
     */
    public synchronized void attachAsStandbyOf(PgNode primary) {
        requireOther(primary);
        stop(StopMode.FAST);
        upstream = primary;
        synchronousStandbyNames = null;
        start();
        waitForStreamingFrom(primary, STREAMING_TIMEOUT);
    }

    // ---- SQL ----------------------------------------------------------------------------------------

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** A TCP connection as the superuser with the cluster's password. */
    public Connection connect(String database) throws SQLException {
        return connect(database, ClusterOptions.SUPERUSER, cluster.options().superuserPassword());
    }

    /** A TCP connection as any user; {@code password} may be null. */
    public Connection connect(String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        return DRIVER.connect(jdbcUrl(database), props);
    }

    /** Runs one statement on database postgres. */
    public void execute(String sql) {
        execute("postgres", sql);
    }

    /** Runs one statement (or several, separated by semicolons) on a database. */
    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw sqlFailure(sql, e);
        }
    }

    /** Runs a query on database postgres; every value as text (SQL NULL stays null). */
    public List<List<String>> query(String sql) {
        return query("postgres", sql);
    }

    /** Runs a query on a database; every value as text (SQL NULL stays null). */
    public List<List<String>> query(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(Collections.unmodifiableList(row));
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw sqlFailure(sql, e);
        }
    }

    public boolean isInRecovery() {
        return "t".equals(queryOne("SELECT pg_is_in_recovery()"));
    }

    /** {@code pg_last_wal_replay_lsn()}: how far a standby has replayed; null on a node that never was one. */
    public String replayLsn() {
        return queryOne("SELECT pg_last_wal_replay_lsn()");
    }

    /**
     * A primary's WAL position after flushing everything written so far. With {@code synchronous_commit = off}
     * recent commits may still sit in WAL buffers, which walsenders do not send yet; one local synchronous
     * commit that writes WAL (a transactional logical message: a bare xid would be committed asynchronously)
     * flushes them, and the flush position is then the end of that commit record.
     */
    public String currentLsn() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new ClusterException(name + " is in recovery; currentLsn() needs a primary");
                }
            }
            c.setAutoCommit(false);
            s.execute("SET LOCAL synchronous_commit = local");
            s.execute("SELECT pg_logical_emit_message(true, 'jpgpool-cluster-kit', 'flush')");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_flush_lsn()")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw sqlFailure("currentLsn()", e);
        }
    }

    /** Waits until this standby has replayed everything {@code primary} had written when called. */
    public void waitForReplayOf(PgNode primary, Duration timeout) {
        String target = primary.currentLsn();
        String sql = "SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn";
        awaitTrue(timeout, () -> {
            try (Connection c = connect("postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        }, () -> name + " did not replay " + primary.name() + "'s WAL up to " + target + " within " + timeout
                + " (replayed: " + quietly(this::replayLsn) + "; is it a standby of " + primary.name() + "?)");
    }

    /** Waits until {@code primary}'s pg_stat_replication shows this node (by application_name) streaming. */
    public void waitForStreamingFrom(PgNode primary, Duration timeout) {
        awaitReplicationRow(primary, "state = 'streaming'", timeout);
    }

    /** Waits until {@code primary} treats this node as its synchronous standby (after a reload). */
    void waitForSynchronousTo(PgNode primary, Duration timeout) {
        awaitReplicationRow(primary, "state = 'streaming' AND sync_state = 'sync'", timeout);
    }

    private void awaitReplicationRow(PgNode primary, String condition, Duration timeout) {
        String sql = "SELECT count(*) FROM pg_stat_replication WHERE application_name = ? AND " + condition;
        awaitTrue(timeout, () -> {
            try (Connection c = primary.connect("postgres"); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) > 0;
                }
            }
        }, () -> primary.name() + "'s pg_stat_replication has no row for " + name + " with " + condition
                + " after " + timeout + "; " + primary.name() + " has " + quietly(() -> primary.query(
                        "SELECT application_name, state, sync_state FROM pg_stat_replication").toString()));
    }

    @Override
    public String toString() {
        return name + " (" + HOST + ":" + port + ", " + dir + ")";
    }

    // ---- building (package-private, used by PgCluster) ----------------------------------------------

    /** initdb with the superuser's password, then our postgresql.conf settings and pg_hba.conf. */
    void initdb() {
        createNodeDir();
        ClusterOptions o = cluster.options();
        Path pwfile = dir.resolve("pwfile");
        writeFile(pwfile, o.superuserPassword() + "\n");
        try {
            ExecResult r = pg(List.of(tool("initdb"), "-D", dataDir().toString(), "-U", ClusterOptions.SUPERUSER,
                    "-E", "UTF8", "--locale=C", "--no-sync", "--auth-local=trust",
                    "--auth-host=" + o.auth().hbaMethod(), "--pwfile=" + pwfile), INITDB_TIMEOUT, Map.of());
            if (!r.ok()) {
                throw new ClusterException(name + ": initdb failed: " + r.describe());
            }
        } finally {
            deleteQuietly(pwfile);
        }
        appendFile(dataDir().resolve("postgresql.conf"), ClusterConfig.postgresqlConf(o, cluster.socketDir()));
        writeFile(dataDir().resolve("pg_hba.conf"), ClusterConfig.pgHbaConf(o));
        if (o.ssl() != null) {
            copyFile(o.ssl().certFile(), ClusterConfig.SSL_CERT);
            copyFile(o.ssl().keyFile(), ClusterConfig.SSL_KEY);
            if (o.ssl().caFile() != null) {
                copyFile(o.ssl().caFile(), ClusterConfig.SSL_CA);
            }
        }
    }

    private void copyFile(Path source, String name) {
        try {
            writeFile(dataDir().resolve(name), Files.readString(source, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new ClusterException(this.name + ": cannot read " + source + ": " + e, e);
        }
    }

    /** Starts on a fresh free port, moving to another one if something else took it meanwhile. */
    void startOnFreePort() {
        startOnFreePort(FreePorts::next);
    }

    synchronized void startOnFreePort(IntSupplier ports) {
        for (int attempt = 1; ; attempt++) {
            port = ports.getAsInt();
            long logOffset = logSize();
            try {
                start();
                return;
            } catch (ClusterException e) {
                if (attempt >= PORT_ATTEMPTS || !logSince(logOffset).contains("could not bind")) {
                    throw e;
                }
                LOG.info("{}: port {} was taken before the server bound it; trying another", name, port);
            }
        }
    }

    /** First-start setup over TCP: re-hash the superuser password, create users and databases. */
    void setUp() {
        ClusterOptions o = cluster.options();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            // initdb hashed the password its own way (SCRAM); MD5 auth needs it stored as MD5
            s.execute("ALTER ROLE " + ClusterConfig.ident(ClusterOptions.SUPERUSER) + " PASSWORD "
                    + ClusterConfig.literal(o.superuserPassword()));
            for (PgUser u : o.users()) {
                s.execute("CREATE ROLE " + ClusterConfig.ident(u.name()) + " LOGIN PASSWORD "
                        + ClusterConfig.literal(u.password()));
            }
            for (String db : o.databases()) {
                s.execute("CREATE DATABASE " + ClusterConfig.ident(db));
            }
        } catch (SQLException e) {
            throw sqlFailure("setting up users and databases", e);
        }
    }

    /** Makes this node a standby of {@code source} from a fresh copy of its data (basebackup or cold copy). */
    void copyFrom(PgNode source) {
        if (cluster.standbyMethod() == StandbyMethod.BASEBACKUP) {
            baseBackupFrom(source);
        } else {
            boolean wasRunning = source.isRunning();
            source.stop(StopMode.FAST);
            try {
                coldCopyOf(source);
            } finally {
                if (wasRunning) {
                    source.start();
                }
            }
        }
        upstream = source;
    }

    /** {@code pg_basebackup -R} from the running {@code source}; application_name lands in primary_conninfo. */
    void baseBackupFrom(PgNode source) {
        createNodeDir();
        Dirs.deleteRecursively(dataDir());
        String conninfo = "host=" + HOST + " port=" + source.port() + " user=" + ClusterOptions.SUPERUSER
                + " application_name=" + name;
        ExecResult r = pg(List.of(tool("pg_basebackup"), "-d", conninfo, "-D", dataDir().toString(), "-R",
                "-X", "stream", "-c", "fast", "--no-sync"), COPY_TIMEOUT,
                Map.of("PGPASSWORD", cluster.options().superuserPassword()));
        if (!r.ok()) {
            throw new ClusterException(name + ": pg_basebackup from " + source.name() + " failed: " + r.describe()
                    + source.logTailSection());
        }
        setMode(dataDir(), 0700);
        upstream = source;
    }

    /** Copies a cleanly stopped {@code source}'s data directory: that is a valid base backup. */
    void coldCopyOf(PgNode source) {
        if (source.isRunning()) {
            throw new ClusterException(name + ": cold copy needs " + source.name() + " stopped");
        }
        createNodeDir();
        Dirs.deleteRecursively(dataDir());
        // cp as ourselves: -a keeps the owner (postgres under runuser, root under unshare) and the modes
        Exec.check(name + ": copying " + source.dataDir(), List.of("cp", "-a", source.dataDir().toString(),
                dataDir().toString()), cluster.baseDir(), Map.of(), COPY_TIMEOUT);
        for (String f : List.of("postmaster.pid", "postmaster.opts", "recovery.signal", "standby.signal")) {
            deleteQuietly(dataDir().resolve(f));
        }
        upstream = source;
    }

    /** Makes this primary wait for {@code names} at commit; takes effect on the next start or reload. */
    void setSynchronousStandbyNames(String names) {
        this.synchronousStandbyNames = names;
        writeNodeConf();
    }

    void reload() {
        execute("SELECT pg_reload_conf()");
    }

    /** Immediate stop for close(): pg_ctl first, SIGKILL to the whole tree if that did not do it. */
    void forceStop() {
        OptionalLong pid = postmasterPid();
        if (pid.isEmpty() || !Processes.isAlive(pid.getAsLong())) {
            return;
        }
        String outcome;
        boolean stopped;
        try {
            ExecResult r = pg(List.of(tool("pg_ctl"), "-D", dataDir().toString(), "-m", "immediate", "-w",
                    "-t", "20", "stop"), Duration.ofSeconds(30), Map.of());
            outcome = r.summary();
            stopped = Processes.awaitExit(pid.getAsLong(), r.ok() ? Duration.ofSeconds(5) : Duration.ZERO);
        } catch (ClusterException e) {
            outcome = e.getMessage(); // e.g. the binaries are gone: the kill below still works
            stopped = false;
        }
        if (!stopped) {
            LOG.warn("{}: pg_ctl stop -m immediate did not stop pid {} ({}); killing it", name, pid.getAsLong(),
                    outcome);
            Processes.killTree(pid.getAsLong(), Duration.ofSeconds(10));
        }
    }

    /** The last lines of the server log, headed by its path, for exception messages. */
    String logTailSection() {
        return "\n--- last " + LOG_TAIL_LINES + " lines of " + logFile() + " ---\n" + logTail(LOG_TAIL_LINES);
    }

    // ---- internals ----------------------------------------------------------------------------------

    private boolean rewind(PgNode primary) {
        // PostgreSQL 15's pg_rewind reads the source's timeline from pg_control, which a promoted server
        // updates only at its next checkpoint; without one it sees "same timeline" and rewinds nothing
        primary.execute("CHECKPOINT");
        String source = "host=" + HOST + " port=" + primary.port() + " user=" + ClusterOptions.SUPERUSER
                + " dbname=postgres";
        ExecResult r = pg(List.of(tool("pg_rewind"), "--target-pgdata=" + dataDir(), "--source-server=" + source,
                "--no-sync"), COPY_TIMEOUT, Map.of("PGPASSWORD", cluster.options().superuserPassword()));
        if (!r.ok()) {
            LOG.info("{}: pg_rewind against {} failed, taking a fresh copy instead: {}", name, primary.name(),
                    r.describe());
            return false;
        }
        LOG.debug("{}: pg_rewind against {} took {} ms", name, primary.name(), r.elapsed().toMillis());
        // pg_rewind copied the source's configuration files; writeNodeConf() on start puts ours back
        return true;
    }

    /** Writes {@value #NODE_CONF} and standby.signal from this object's state. */
    private void writeNodeConf() {
        Path data = dataDir();
        PgNode up = upstream;
        writeFile(data.resolve(NODE_CONF), ClusterConfig.nodeConf(this, up, synchronousStandbyNames,
                cluster.options().superuserPassword()));
        // pg_basebackup -R and pg_rewind leave primary_conninfo in postgresql.auto.conf, which would win over ours
        Path auto = data.resolve("postgresql.auto.conf");
        if (Files.exists(auto)) {
            try {
                List<String> lines = Files.readAllLines(auto, StandardCharsets.UTF_8);
                List<String> kept = lines.stream()
                        .filter(l -> !l.strip().startsWith("primary_conninfo") && !l.strip().startsWith("primary_slot_name"))
                        .toList();
                if (kept.size() != lines.size()) {
                    writeFile(auto, kept.stream().collect(Collectors.joining("\n", "", "\n")));
                }
            } catch (IOException e) {
                throw new ClusterException(name + ": cannot read " + auto + ": " + e, e);
            }
        }
        Path signal = data.resolve("standby.signal");
        if (up != null) {
            if (!Files.exists(signal)) {
                writeFile(signal, "");
            }
        } else {
            deleteQuietly(signal);
        }
    }

    private void requireOther(PgNode primary) {
        if (primary == this) {
            throw new IllegalArgumentException(name + " cannot be a standby of itself");
        }
    }

    private String queryOne(String sql) {
        List<List<String>> rows = query(sql);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    @FunctionalInterface
    private interface SqlCheck {
        boolean test() throws SQLException;
    }

    private void awaitTrue(Duration timeout, SqlCheck check, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            try {
                if (check.test()) {
                    return;
                }
            } catch (SQLException e) {
                last = e; // a server that is still starting refuses connections for a moment
            }
            if (System.nanoTime() > deadline) {
                ClusterException e = new ClusterException(message.get() + logTailSection());
                if (last != null) {
                    e.addSuppressed(last);
                }
                throw e;
            }
            Processes.sleep(Duration.ofMillis(10));
        }
    }

    private static String quietly(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private ExecResult pg(List<String> command, Duration timeout, Map<String, String> env) {
        return Exec.run(cluster.options().runMode().wrap(command), cluster.baseDir(), env, timeout);
    }

    private String tool(String name) {
        return cluster.options().binaries().tool(name).toString();
    }

    private ClusterException failure(String what, ExecResult r) {
        return new ClusterException(name + ": " + what + ": " + r.describe() + logTailSection());
    }

    private ClusterException sqlFailure(String what, SQLException e) {
        return new ClusterException(name + " (" + HOST + ":" + port + "): " + what + ": " + e.getMessage()
                + " [SQLSTATE " + e.getSQLState() + "]; log: " + logFile(), e);
    }

    private void createNodeDir() {
        try {
            Files.createDirectories(dir);
            setMode(dir, 0700);
            cluster.options().runMode().adopt(dir);
        } catch (IOException e) {
            throw new ClusterException(name + ": cannot create " + dir + ": " + e, e);
        }
    }

    private void writeFile(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            setMode(path, 0600);
            cluster.options().runMode().adopt(path);
        } catch (IOException e) {
            throw new ClusterException(name + ": cannot write " + path + ": " + e, e);
        }
    }

    private void appendFile(Path path, String content) {
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new ClusterException(name + ": cannot append to " + path + ": " + e, e);
        }
    }

    private static void setMode(Path path, int mode) {
        try {
            Files.setPosixFilePermissions(path, Dirs.permissions(mode));
        } catch (IOException e) {
            throw new ClusterException("cannot chmod " + path + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", path, e.toString());
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile()) ? Files.size(logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try (RandomAccessFile f = new RandomAccessFile(logFile().toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return "";
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(len - buf.length);
            f.readFully(buf);
            return new String(buf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String logTail(int lines) {
        String text = logSince(Math.max(0, logSize() - 64 * 1024));
        if (text.isEmpty()) {
            return "(empty or missing)";
        }
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }
}
