package io.jpgpool.launcher;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgBinaries;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.core.JpgpoolServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jpgpool demo}: a primary and two streaming standbys on loopback (system PostgreSQL binaries when the
 * machine has them, else the embedded ones from Maven Central), jpgpool in front on 127.0.0.1:9999, asking a TCP
 * client for the superuser's password (SCRAM, through pool_hba.conf and pool_passwd); prints how
 * to connect and what SHOW pool_nodes says, and removes everything on Ctrl-C. {@code --mode native}: three
 * independent servers that jpgpool keeps identical (native replication mode).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run jpgpool in front of a demo cluster it brings itself (primary + standbys on loopback).")
final class DemoCommand implements Callable<Integer> {
    static final String PCP_USER = "pcpadmin";
    static final String PCP_PASSWORD = "pcpadmin";

    @Option(names = "--port", description = "jpgpool's port (default: ${DEFAULT-VALUE})", defaultValue = "9999")
    int port;

    @Option(names = "--pcp-port", description = "the PCP admin port (default: ${DEFAULT-VALUE})",
            defaultValue = "9898")
    int pcpPort;

    @Option(names = "--standbys", description = "streaming standbys (default: ${DEFAULT-VALUE})", defaultValue = "2")
    int standbys;

    @Option(names = "--embedded", description = "use the embedded PostgreSQL binaries even if the system has some")
    boolean embedded;

    @Option(names = "--mode", description = "streaming (a primary and streaming standbys) or native (independent "
            + "servers kept identical by jpgpool); default: ${DEFAULT-VALUE}", defaultValue = "streaming")
    String mode;

    private boolean isNative() {
        return mode.equalsIgnoreCase("native") || mode.equalsIgnoreCase("native_replication");
    }

    @Override
    public Integer call() throws Exception {
        PgBinaries binaries = embedded ? PgBinaries.embedded() : PgBinaries.find();
        if (!isNative() && !mode.equalsIgnoreCase("streaming")) {
            System.err.println("jpgpool demo: --mode must be streaming or native, not \"" + mode + "\"");
            return 2;
        }
        PgCluster cluster;
        if (isNative()) {
            System.out.println("Starting " + (standbys + 1) + " independent PostgreSQL " + binaries.majorVersion()
                    + " servers for native replication mode (binaries: " + binaries + ") ...");
            cluster = PgCluster.independent(ClusterOptions.builder().servers(standbys + 1).binaries(binaries).build());
        } else {
            System.out.println("Starting a PostgreSQL " + binaries.majorVersion() + " primary and " + standbys
                    + " streaming standbys (binaries: " + binaries + ") ...");
            cluster = PgCluster.streaming(ClusterOptions.builder().standbys(standbys).binaries(binaries).build());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the demo cluster and removing " + cluster.baseDir());
            cluster.close();
        }, "jpgpool-demo-cleanup"));
        Path conf = writeConfig(cluster);
        PgpoolConfig config = Main.loadConfig(conf);
        if (config == null) {
            return 1;
        }
        return Main.runUntilStopped(config, new Main.Options(null, null, true, false), () -> printWelcome(cluster, conf));
    }

    private Path writeConfig(PgCluster cluster) throws Exception {
        Path dir = cluster.baseDir().resolve("jpgpool");
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        lines.add("# written by jpgpool demo");
        lines.add("backend_clustering_mode = '" + (isNative() ? "native_replication" : "streaming_replication") + "'");
        if (isNative()) {
            // seed 003's settings: the minority is detached when the nodes answer differently
            lines.add("replication_stop_on_mismatch = on");
            lines.add("failover_if_affected_tuples_mismatch = on");
        }
        lines.add("listen_addresses = '127.0.0.1'");
        lines.add("port = " + port);
        lines.add("socket_dir = '" + dir + "'");
        lines.add("pcp_listen_addresses = '127.0.0.1'");
        lines.add("pcp_port = " + pcpPort);
        lines.add("pcp_socket_dir = '" + dir + "'");
        lines.addAll(cluster.pgpoolBackendLines());
        lines.add("sr_check_period = 5");
        lines.add("sr_check_user = 'postgres'");
        lines.add("sr_check_password = '" + cluster.options().superuserPassword() + "'");
        lines.add("health_check_period = 5");
        lines.add("health_check_user = 'postgres'");
        lines.add("health_check_password = '" + cluster.options().superuserPassword() + "'");
        // the servers trust loopback (streaming replication and the recovery scripts need no password), so jpgpool
        // checks a TCP client's password itself: SCRAM against pool_passwd, as pool_hba.conf says
        Path poolPasswd = dir.resolve("pool_passwd");
        PoolPasswd.update(poolPasswd, "postgres", "TEXT" + cluster.options().superuserPassword());
        lines.add("pool_passwd = '" + poolPasswd + "'");
        lines.add("enable_pool_hba = on");
        Files.writeString(dir.resolve("pool_hba.conf"), "# written by jpgpool demo\n"
                + "local   all   all                  trust\n"
                + "host    all   all   127.0.0.1/32   scram-sha-256\n"
                + "host    all   all   ::1/128        scram-sha-256\n");
        if (installRecoveryScripts(cluster)) {
            lines.add("recovery_user = 'postgres'");
            lines.add("recovery_password = '" + cluster.options().superuserPassword() + "'");
            lines.add("recovery_1st_stage_command = 'recovery_1st_stage'");
        }
        lines.add("logdir = '" + dir + "'");
        lines.add("pid_file_name = '" + dir.resolve("jpgpool.pid") + "'");
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        // the admin port's user: pcp.conf holds md5(password), as pg_md5 prints it
        Files.writeString(dir.resolve("pcp.conf"), PCP_USER + ":" + md5Hex(PCP_PASSWORD) + "\n");
        return conf;
    }

    /**
     * conf/recovery_1st_stage and conf/pgpool_remote_start into every node's data directory, owned by its OS
     * user, so that pcp_recovery_node works in the demo; false when this checkout's conf/ is not found.
     */
    private static boolean installRecoveryScripts(PgCluster cluster) throws java.io.IOException {
        Path confDir = confDir();
        if (confDir == null) {
            System.out.println("(conf/ not found: pcp_recovery_node is not set up in this demo)");
            return false;
        }
        for (PgNode n : cluster.nodes()) {
            for (String script : List.of("recovery_1st_stage", "pgpool_remote_start")) {
                Path to = n.dataDir().resolve(script);
                Files.copy(confDir.resolve(script), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setOwner(to, Files.getOwner(n.dataDir()));
            }
        }
        return true;
    }

    /** The conf/ directory beside launcher/target/jpgpool.jar, else above the working directory. */
    private static Path confDir() {
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.isExecutable(dir.resolve("conf/recovery_1st_stage"))) {
                    return dir.resolve("conf");
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // not from a jar on disk: try the working directory
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve("conf/recovery_1st_stage"))) {
                return dir.resolve("conf");
            }
        }
        return null;
    }

    private void printWelcome(PgCluster cluster, Path conf) {
        StringBuilder sb = new StringBuilder();
        sb.append("\njpgpool is running on 127.0.0.1:").append(port).append(" (configuration: ").append(conf)
                .append(")\n\n");
        sb.append("  psql:  psql -h 127.0.0.1 -p ").append(port).append(" -U postgres postgres   (password: ")
                .append(cluster.options().superuserPassword()).append(")\n");
        sb.append("  JDBC:  jdbc:postgresql://127.0.0.1:").append(port).append("/postgres?user=postgres&password=")
                .append(cluster.options().superuserPassword()).append("\n");
        sb.append("  admin: pcp_node_info -h 127.0.0.1 -p ").append(pcpPort).append(" -U ").append(PCP_USER)
                .append("   or   bin/jpcp node_info -h 127.0.0.1 -p ").append(pcpPort).append(" -U ")
                .append(PCP_USER).append("   (password: ").append(PCP_PASSWORD).append(")\n");
        PgNode last = cluster.nodes().get(cluster.nodes().size() - 1);
        if (last.id() > 0 && !isNative()) {
            sb.append("  recovery: stop a standby, e.g. ").append(last.name()).append(" (as its OS user: pg_ctl -D ").append(last.dataDir())
                    .append(" -m immediate stop), wait until SHOW pool_nodes shows it down, then\n           "
                            + "pcp_recovery_node -h 127.0.0.1 -p ").append(pcpPort).append(" -U ").append(PCP_USER)
                    .append(" -n ").append(last.id()).append("   (or bin/jpcp recovery_node ...)\n");
        }
        sb.append("  nodes: ");
        for (PgNode n : cluster.nodes()) {
            sb.append(n.name()).append(" 127.0.0.1:").append(n.port())
                    .append(n.id() == 0 ? (isNative() ? " (main)  " : " (primary)  ") : "  ");
        }
        sb.append("\n\nSHOW pool_nodes:\n").append(showPoolNodes(cluster));
        sb.append("\nPress Ctrl-C to stop jpgpool and remove the demo cluster.\n");
        System.out.println(sb);
    }

    private String showPoolNodes(PgCluster cluster) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", cluster.options().superuserPassword());
        p.setProperty("preferQueryMode", "simple");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
                Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW pool_nodes")) {
            return table(r);
        } catch (Exception e) {
            return "  (could not run it: " + e.getMessage() + ")\n";
        }
    }

    static String md5Hex(String s) throws java.security.NoSuchAlgorithmException {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
    }

    /** A result set laid out like psql's aligned output. */
    static String table(ResultSet r) throws java.sql.SQLException {
        ResultSetMetaData md = r.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            head[i] = md.getColumnName(i + 1);
            width[i] = head[i].length();
        }
        while (r.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                row[i] = String.valueOf(r.getString(i + 1));
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, width);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "+").append("-".repeat(width[i] + 2));
        }
        sb.append('\n');
        for (String[] row : rows) {
            line(sb, row, width);
        }
        sb.append('(').append(rows.size()).append(" rows)\n");
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? " " : "| ").append(cells[i]).append(" ".repeat(width[i] - cells[i].length() + 1));
        }
        sb.append('\n');
    }
}
