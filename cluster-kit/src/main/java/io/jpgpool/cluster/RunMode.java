package io.jpgpool.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How PostgreSQL binaries are run. initdb and postgres refuse to run as root, so a root JVM either
 * switches to the {@value #OS_USER} OS user or runs them in a fresh user namespace where root is "nobody".
 */
public enum RunMode {
    /** {@code runuser -u postgres --}: files belong to the postgres OS user. */
    RUNUSER,
    /** {@code unshare -U --}: no OS user needed, files stay owned by root (the trick zonky uses). */
    UNSHARE,
    /** Run the binaries as the JVM's own (non-root) user. */
    DIRECT;

    /** The OS user that {@link #RUNUSER} switches to. */
    public static final String OS_USER = "postgres";
    /** Forces a mode: {@code runuser}, {@code unshare} or {@code direct}. */
    public static final String ENV = "JPGPOOL_PG_RUN_MODE";

    private static final Logger LOG = LoggerFactory.getLogger(RunMode.class);

    /**
     * {@value #ENV} if set; else {@link #DIRECT} when not root; else {@link #RUNUSER} when the OS user
     * exists and can execute these binaries (a bundle extracted under /root/.cache cannot), else {@link #UNSHARE}.
     */
    public static RunMode detect(PgBinaries binaries) {
        String forced = System.getenv(ENV);
        if (forced != null && !forced.isBlank()) {
            try {
                return valueOf(forced.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ClusterException(ENV + "=" + forced + ": expected runuser, unshare or direct");
            }
        }
        if (!isRoot()) {
            return DIRECT;
        }
        if (!osUserExists()) {
            return UNSHARE;
        }
        Path postgres = binaries.tool("postgres");
        ExecResult r = Exec.run(RUNUSER.wrap(List.of("test", "-x", postgres.toString())), Path.of("/"), Map.of(),
                Duration.ofSeconds(10));
        if (!r.ok()) {
            LOG.info("{} cannot execute {}; running PostgreSQL in a user namespace instead", OS_USER, postgres);
            return UNSHARE;
        }
        return RUNUSER;
    }

    /** The command line that runs {@code command} in this mode. */
    public List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>();
        switch (this) {
            case RUNUSER -> full.addAll(List.of(locate("runuser", "/usr/sbin", "/sbin", "/usr/bin"), "-u", OS_USER, "--"));
            case UNSHARE -> full.addAll(List.of(locate("unshare", "/usr/bin", "/bin"), "-U", "--"));
            case DIRECT -> { }
        }
        full.addAll(command);
        return full;
    }

    /** Hands a file or directory that we created to the OS user the server runs as. */
    void adopt(Path path) {
        if (this != RUNUSER) {
            return;
        }
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal user = users.lookupPrincipalByName(OS_USER);
            GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            view.setOwner(user);
            view.setGroup(group);
        } catch (IOException e) {
            throw new ClusterException("could not chown " + path + " to " + OS_USER + ": " + e, e);
        }
    }

    static boolean isRoot() {
        try {
            // /proc/self belongs to the effective uid of the process looking at it
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean osUserExists() {
        try {
            Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            return true;
        } catch (IOException e) { // UserPrincipalNotFoundException included
            return false;
        }
    }

    private static String locate(String tool, String... dirs) {
        for (String dir : dirs) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return tool; // let PATH decide; a missing tool then fails with a clear "could not run" message
    }
}
