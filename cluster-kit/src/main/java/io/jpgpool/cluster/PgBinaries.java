package io.jpgpool.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A directory of PostgreSQL server binaries ({@code initdb}, {@code postgres}, {@code pg_ctl}, ...). */
public final class PgBinaries {
    /** Points at a bin directory to use instead of searching. */
    public static final String ENV = "PG_BIN";

    private static final Logger LOG = LoggerFactory.getLogger(PgBinaries.class);
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(?:\\.(\\d+))?");
    private static volatile PgBinaries found;

    private final Path bindir;
    private final String origin;
    private volatile String version;

    private PgBinaries(Path bindir, String origin) {
        this.bindir = bindir.toAbsolutePath().normalize();
        this.origin = origin;
    }

    /** The binaries in {@code bindir}; it must hold at least {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    public static PgBinaries at(Path bindir) {
        return checked(bindir, "explicit");
    }

    /**
     * {@value #ENV}; else {@code pg_config --bindir} if that directory has the server; else the highest
     * {@code /usr/lib/postgresql/N/bin} with the server; else the embedded bundle. The answer is cached.
     */
    public static PgBinaries find() {
        PgBinaries b = found;
        if (b == null) {
            synchronized (PgBinaries.class) {
                b = found;
                if (b == null) {
                    b = search();
                    LOG.info("PostgreSQL binaries: {}", b);
                    found = b;
                }
            }
        }
        return b;
    }

    /** The PostgreSQL bundle on the classpath, extracted once into a cache directory. */
    public static PgBinaries embedded() {
        return checked(EmbeddedBinaries.installDir().resolve("bin"), "embedded");
    }

    public Path bindir() {
        return bindir;
    }

    /** The path of one program; throws if this directory does not have it. */
    public Path tool(String name) {
        if (!has(name)) {
            throw new ClusterException(bindir + " has no " + name + " (" + origin + " binaries)");
        }
        return bindir.resolve(name);
    }

    public boolean has(String tool) {
        return Files.isExecutable(bindir.resolve(tool));
    }

    /** The server version as {@code postgres --version} prints it, e.g. {@code 15.19}. */
    public String version() {
        String v = version;
        if (v == null) {
            // postgres answers --version before its refuse-to-run-as-root check, so no RunMode is needed
            ExecResult r = Exec.check("postgres --version", List.of(tool("postgres").toString(), "--version"),
                    bindir, Map.of(), Duration.ofSeconds(20));
            Matcher m = VERSION.matcher(r.output());
            if (!m.find()) {
                throw new ClusterException("cannot read the version in: " + r.output().strip());
            }
            v = m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
            version = v;
        }
        return v;
    }

    public int majorVersion() {
        String v = version();
        int dot = v.indexOf('.');
        return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    }

    @Override
    public String toString() {
        return bindir + " (" + origin + ")";
    }

    private static PgBinaries search() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return checked(Path.of(env), ENV);
        }
        Optional<Path> fromPgConfig = pgConfigBindir().filter(PgBinaries::hasServer);
        if (fromPgConfig.isPresent()) {
            return new PgBinaries(fromPgConfig.get(), "pg_config");
        }
        Optional<Path> debian = highestDebianBindir();
        if (debian.isPresent()) {
            return new PgBinaries(debian.get(), "/usr/lib/postgresql");
        }
        return embedded();
    }

    private static Optional<Path> pgConfigBindir() {
        try {
            ExecResult r = Exec.run(List.of("pg_config", "--bindir"), Path.of("/"), Map.of(), Duration.ofSeconds(10));
            return r.ok() ? Optional.of(Path.of(r.output().strip())) : Optional.empty();
        } catch (ClusterException e) {
            return Optional.empty(); // no pg_config on PATH
        }
    }

    /** Debian/Ubuntu install each major version side by side; the newest one with a server wins. */
    private static Optional<Path> highestDebianBindir() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions
                    .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString()))
                            .reversed())
                    .map(p -> p.resolve("bin"))
                    .filter(PgBinaries::hasServer)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasServer(Path bindir) {
        // Debian's pg_config can point at a client-only directory (postgresql-client without the server)
        return Files.isExecutable(bindir.resolve("initdb")) && Files.isExecutable(bindir.resolve("postgres"))
                && Files.isExecutable(bindir.resolve("pg_ctl"));
    }

    private static PgBinaries checked(Path bindir, String origin) {
        if (!hasServer(bindir)) {
            throw new ClusterException(bindir + " (" + origin + ") lacks initdb, pg_ctl or postgres");
        }
        return new PgBinaries(bindir, origin);
    }
}
