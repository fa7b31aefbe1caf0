package io.jpgpool.it.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.jpgpool.pcp.PcpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The PCP server of a {@link JpgpoolFixture}'s jpgpool, in the test JVM, with a pcp.conf (user
 * {@value #USER}, the md5 of the password as pg_md5 writes it) and a .pcppass (mode 0600) for {@code -w}; and
 * two ways to run a pcp tool against it: Debian's real {@code /usr/sbin/pcp_*} and {@code bin/jpcp}.
 */
public final class PcpFixture implements AutoCloseable {
    public static final String USER = "pcpadmin";
    public static final String PASSWORD = "pcp-s3cret";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final JpgpoolFixture jpgpool;
    private final Path pcpConf;
    private final Path pcpPass;
    private final PcpServer server;

    private PcpFixture(JpgpoolFixture jpgpool, Path pcpConf, Path pcpPass, PcpServer server) {
        this.jpgpool = jpgpool;
        this.pcpConf = pcpConf;
        this.pcpPass = pcpPass;
        this.server = server;
    }

    /** Starts the PCP server of a running jpgpool (it stops with the jpgpool). */
    public static PcpFixture start(JpgpoolFixture jpgpool) {
        try {
            Path conf = jpgpool.dir().resolve("pcp.conf");
            Files.writeString(conf, "# USERID:MD5PASSWD\n" + USER + ":" + md5(PASSWORD) + "\n");
            Path pass = jpgpool.dir().resolve("pcppass");
            Files.writeString(pass, "*:*:" + USER + ":" + PASSWORD + "\n");
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
            return new PcpFixture(jpgpool, conf, pass, PcpServer.start(jpgpool.server(), conf));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_md5's output: lower-case hex MD5 of the password (the real pg_md5 when installed, to be sure). */
    static String md5(String password) {
        Path pgMd5 = Path.of("/usr/sbin/pg_md5");
        if (Files.isExecutable(pgMd5)) {
            Commands.Result r = Commands.run(TIMEOUT, Map.of(), pgMd5.toString(), password);
            if (r.exitCode() == 0 && r.stdout().strip().matches("[0-9a-f]{32}")) {
                return r.stdout().strip();
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when Debian's pgpool2 client tools are installed. */
    public static boolean realToolsInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/pcp_node_count"));
    }

    /** Skips the test unless Debian's pgpool2 client tools are installed. */
    public static void assumeRealToolsInstalled() {
        assumeThat(realToolsInstalled()).as("Debian's pgpool2 pcp tools in /usr/sbin").isTrue();
    }

    public PcpServer server() {
        return server;
    }

    public int port() {
        return jpgpool.pcpPort();
    }

    public Path pcpConf() {
        return pcpConf;
    }

    public Path pcpPass() {
        return pcpPass;
    }

    /** {@code -h 127.0.0.1 -p <port> -U pcpadmin -w}, then {@code args}. */
    public List<String> argv(String tool, String... args) {
        List<String> a = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", String.valueOf(port()), "-U", USER,
                "-w"));
        a.addAll(List.of(args));
        return a;
    }

    /** Debian's tool, logged in with .pcppass. */
    public Commands.Result real(String tool, String... args) {
        return realArgv(argv(tool, args));
    }

    /** Debian's tool with exactly these arguments; argv[0] is the bare tool name, as when found on PATH. */
    public Commands.Result realArgv(List<String> argv) {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec -a \"$0\" /usr/sbin/\"$0\" \"$@\""));
        cmd.addAll(argv);
        return Commands.run(TIMEOUT, env(), null, cmd);
    }

    /** bin/jpcp, logged in with .pcppass. */
    public Commands.Result jpcp(String tool, String... args) {
        return jpcpArgv(argv(tool, args));
    }

    public Commands.Result jpcpArgv(List<String> argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(jpcpScript().toString());
        cmd.addAll(argv);
        return Commands.run(TIMEOUT, env(), null, cmd);
    }

    /** PCPPASSFILE for -w; one time zone for both clients, which print times in local time. */
    public Map<String, String> env() {
        return Map.of("PCPPASSFILE", pcpPass.toString(), "TZ", "UTC");
    }

    /** The repository's bin/jpcp. */
    public static Path jpcpScript() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("bin/jpcp");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("bin/jpcp not found above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() {
        server.close();
    }
}
