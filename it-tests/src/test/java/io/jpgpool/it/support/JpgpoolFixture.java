package io.jpgpool.it.support;

import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.JpgpoolServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A jpgpool running in the test JVM in front of a {@link PgCluster}, with a pgpool.conf written for it: every
 * node as a backend (weight 1, application name = node name), the replication check on, every statement
 * logged per node. Extra lines override those defaults (the last setting wins, as in pgpool.conf).
 */
public final class JpgpoolFixture implements AutoCloseable {
    private final PgCluster cluster;
    private final Path dir;
    private final Path conf;
    private final int port;
    private final int pcpPort;
    private JpgpoolServer server;

    private JpgpoolFixture(PgCluster cluster, Path dir, Path conf, int port, int pcpPort) {
        this.cluster = cluster;
        this.dir = dir;
        this.conf = conf;
        this.port = port;
        this.pcpPort = pcpPort;
    }

    public static JpgpoolFixture start(PgCluster cluster, String... extraConf) {
        JpgpoolFixture f = prepare(cluster, extraConf);
        f.startServer();
        return f;
    }

    /** Writes the configuration without starting (for tests that start jpgpool another way). */
    public static JpgpoolFixture prepare(PgCluster cluster, String... extraConf) {
        try {
            Path dir = Files.createTempDirectory("jpgpool-it-");
            int port = freePort();
            int pcpPort = freePort();
            Path conf = dir.resolve("pgpool.conf");
            Files.writeString(conf, pgpoolConf(cluster, dir, port, pcpPort, extraConf));
            return new JpgpoolFixture(cluster, dir, conf, port, pcpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pgpoolConf(PgCluster cluster, Path dir, int port, int pcpPort, String... extra) {
        boolean independent = cluster.nodes().stream().noneMatch(PgNode::isInRecovery);
        List<String> lines = new ArrayList<>();
        lines.add("backend_clustering_mode = '" + (independent && cluster.nodes().size() > 1
                ? "native_replication" : "streaming_replication") + "'");
        lines.add("listen_addresses = '127.0.0.1'");
        lines.add("port = " + port);
        lines.add("socket_dir = '" + dir + "'");
        lines.add("pcp_listen_addresses = '127.0.0.1'");
        lines.add("pcp_port = " + pcpPort);
        lines.add("pcp_socket_dir = '" + dir + "'");
        lines.addAll(cluster.pgpoolBackendLines());
        String password = cluster.options().superuserPassword();
        lines.add("sr_check_period = 1");
        lines.add("sr_check_user = 'postgres'");
        lines.add("sr_check_password = '" + password + "'");
        lines.add("health_check_user = 'postgres'");
        lines.add("health_check_password = '" + password + "'");
        lines.add("num_init_children = 200");
        lines.add("max_pool = 4");
        lines.add("log_per_node_statement = on");
        lines.add("pool_passwd = ''");
        lines.add("logdir = '" + dir + "'");
        lines.add("pid_file_name = '" + dir.resolve("jpgpool.pid") + "'");
        lines.addAll(List.of(extra));
        return String.join("\n", lines) + "\n";
    }

    public void startServer() {
        try {
            server = JpgpoolServer.start(PgpoolConfig.load(conf));
        } catch (Exception e) {
            throw new IllegalStateException("jpgpool did not start: " + e.getMessage(), e);
        }
    }

    public void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public JpgpoolServer server() {
        return server;
    }

    public PgCluster cluster() {
        return cluster;
    }

    public int port() {
        return port;
    }

    public int pcpPort() {
        return pcpPort;
    }

    public String host() {
        return "127.0.0.1";
    }

    public Path dir() {
        return dir;
    }

    public Path confFile() {
        return conf;
    }

    /** Appends lines to pgpool.conf (for a restart or a reload). */
    public void appendConf(String... lines) {
        try {
            Files.writeString(conf, String.join("\n", lines) + "\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return connect(database, new Properties());
    }

    public Connection connect(String database, Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", cluster.options().superuserPassword());
        p.putAll(extra);
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** A session in the simple query protocol: pgpool answers SHOW pool_* in that protocol only. */
    public Connection connectSimple(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", "simple");
        return connect(database, p);
    }

    /** Runs one load-balanced read in each of {@code sessions} new sessions; the ports that answered. */
    public Set<Integer> readPorts(int sessions) throws SQLException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < sessions; i++) {
            try (Connection c = connect("postgres"); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT inet_server_port()")) {
                r.next();
                ports.add(r.getInt(1));
            }
        }
        return ports;
    }

    /**
     * The port of the node that answered a load-balanced read of {@code table} in a new session named
     * {@code applicationName} (for app_name_redirect_preference_list).
     */
    public int readPortAs(String applicationName, String database, String table) throws SQLException {
        Properties p = new Properties();
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("assumeMinServerVersion", "10"); // else pgjdbc sets application_name after the startup
        try (Connection c = connect(database, p); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT inet_server_port() FROM " + table + " LIMIT 1")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Runs {@code pgbench <args> <database>} through this jpgpool as postgres (2 minutes at most). */
    public Commands.Result pgbench(String database, String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("pgbench"), "-h", host(),
                "-p", String.valueOf(port), "-U", "postgres"));
        command.addAll(List.of(args));
        command.add(database);
        return Commands.run(java.time.Duration.ofMinutes(2),
                java.util.Map.of("PGPASSWORD", cluster.options().superuserPassword(), "PGCONNECT_TIMEOUT", "10"), null,
                command);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopServer();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
