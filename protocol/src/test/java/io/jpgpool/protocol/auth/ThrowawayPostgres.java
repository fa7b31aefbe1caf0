package io.jpgpool.protocol.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own in a temp directory, on a free port, for interop tests: started from the
 * installed binaries (as OS user {@code postgres} when we are root, since initdb refuses root), stopped and
 * deleted on {@link #close()}. TCP logins need SCRAM, except user {@code md5user}, who needs md5.
 */
final class ThrowawayPostgres implements AutoCloseable {
    private final Path binDir;
    private final boolean asPostgresUser;
    private final Path dir;
    private final int port;
    private final String superuserPassword;
    private final Thread cleanupOnExit;
    private boolean running;

    private ThrowawayPostgres(Path binDir, boolean asPostgresUser) throws IOException {
        this.binDir = binDir;
        this.asPostgresUser = asPostgresUser;
        this.dir = Files.createTempDirectory("jpgpool-auth-pg");
        this.port = freePort();
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.superuserPassword = ScramCrypto.base64(random);
        // if the JVM dies before close(), still leave no server and no directory behind
        this.cleanupOnExit = new Thread(this::stopAndDelete, "throwaway-postgres-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /** Empty when there are no PostgreSQL binaries here (or we are root and cannot become postgres). */
    static Optional<Path> findBinaries() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("PG_BIN")).map(Path::of).ifPresent(candidates::add);
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(v -> v.resolve("bin"))
                        .sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                // no usable listing: same as no binaries
            }
        }
        candidates.add(Path.of("/usr/local/pgsql/bin"));
        Optional<Path> bin = candidates.stream()
                .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                .findFirst();
        if (bin.isPresent() && isRoot() && !canRunAsPostgres()) {
            return Optional.empty();
        }
        return bin;
    }

    static ThrowawayPostgres start(Path binDir) throws Exception {
        ThrowawayPostgres pg = new ThrowawayPostgres(binDir, isRoot());
        try {
            pg.initAndStart();
            return pg;
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    Connection connectAsSuperuser() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
                superuserPassword);
    }

    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran: nothing left to do
        }
    }

    private void initAndStart() throws Exception {
        Path data = dir.resolve("data");
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, superuserPassword + "\n");
        if (asPostgresUser) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            Files.setOwner(pwfile, postgres);
        }
        run(60, bin("initdb"), "-D", data.toString(), "-U", "postgres", "--pwfile=" + pwfile, "-A", "scram-sha-256",
                "-E", "UTF8", "--locale=C", "-N");
        // rewriting keeps the file's owner; md5user shows the md5 method, everyone else SCRAM
        Files.writeString(data.resolve("pg_hba.conf"), ""
                + "host all md5user 127.0.0.1/32 md5\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n", StandardCharsets.UTF_8);
        run(60, bin("pg_ctl"), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        running = true;
    }

    private synchronized void stopAndDelete() {
        if (running) {
            try {
                run(60, bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
                running = false;
            } catch (Exception e) {
                System.err.println("could not stop throwaway PostgreSQL in " + dir + ": " + e);
            }
        }
        if (!running && Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    private String bin(String name) {
        return binDir.resolve(name).toString();
    }

    private void run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Path output = Files.createTempFile("jpgpool-auth-pg-cmd", ".log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", full) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed: " + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean canRunAsPostgres() {
        try {
            Process p = new ProcessBuilder("runuser", "-u", "postgres", "--", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
