package io.jpgpool.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a client program (pgbench, psql, pgproto, node) with a time limit and captures what it printed. */
public final class Commands {
    /** How a program ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    private Commands() {
    }

    public static Result run(Duration timeout, Map<String, String> env, String... command) {
        return run(timeout, env, null, List.of(command));
    }

    public static Result run(Duration timeout, Map<String, String> env, Path dir, List<String> command) {
        try {
            Path out = Files.createTempFile("jpgpool-cmd", ".out");
            Path err = Files.createTempFile("jpgpool-cmd", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (dir != null) {
                    pb.directory(dir.toFile());
                }
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The PostgreSQL client binaries' directory (pgbench, psql), as the cluster kit found them. */
    public static String pgTool(String name) {
        Path p = io.jpgpool.cluster.PgBinaries.find().tool(name);
        if (Files.isExecutable(p)) {
            return p.toString();
        }
        return name;
    }
}
