package io.jpgpool.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external command with a time limit.
 *
 * <p>Output goes to a temp file rather than a pipe: {@code pg_ctl start} leaves a daemon behind, and a
 * daemon that inherited our pipe would keep a reader blocked forever. On time-out the whole process tree
 * is killed, so nothing is left behind.
 */
final class Exec {
    private static final Logger LOG = LoggerFactory.getLogger(Exec.class);
    private static final int MAX_OUTPUT_CHARS = 64 * 1024;

    private Exec() {
    }

    static ExecResult run(List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        long start = System.nanoTime();
        Path out = null;
        Process process = null;
        try {
            out = Files.createTempFile("jpgpool-exec-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> environment = pb.environment();
            // libpq and pg_ctl read PGHOST, PGPORT, PGDATA...: the caller's shell must not steer our servers
            environment.keySet().removeIf(k -> k.startsWith("PG"));
            environment.put("LC_ALL", "C");
            environment.putAll(env);
            process = pb.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
            }
            ExecResult r = new ExecResult(List.copyOf(command), finished ? process.exitValue() : -1, !finished,
                    readTail(out), Duration.ofNanos(System.nanoTime() - start));
            LOG.debug("{}", r.summary());
            return r;
        } catch (IOException e) {
            throw new ClusterException("could not run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                killTree(process);
            }
            throw new ClusterException("interrupted while running `" + String.join(" ", command) + "`", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a stray temp file is not worth failing a test over
                }
            }
        }
    }

    /** Runs the command and throws, with its output, unless it exits with 0. */
    static ExecResult check(String what, List<String> command, Path workDir, Map<String, String> env,
            Duration timeout) {
        ExecResult r = run(command, workDir, env, timeout);
        if (!r.ok()) {
            throw new ClusterException(what + " failed: " + r.describe());
        }
        return r;
    }

    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readTail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        return s.length() <= MAX_OUTPUT_CHARS ? s : "..." + s.substring(s.length() - MAX_OUTPUT_CHARS);
    }
}
