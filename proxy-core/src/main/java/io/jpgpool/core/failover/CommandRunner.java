package io.jpgpool.core.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's commands (failover/follow/failback with {@code sh -c}, recovery scripts by their path),
 * logging every line they print.
 */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    /** How a command ended: its exit status (-1 if it could not run or was killed) and its last output lines. */
    public record Result(int exitCode, List<String> lastLines) {
    }

    private final Duration timeLimit;

    /** @param timeLimit the command is killed after this long; {@link Duration#ZERO} = no limit */
    public CommandRunner(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** Runs {@code command}; returns its exit status (-1 if it could not run or was killed at the time limit). */
    public int run(String what, String command) {
        LOG.info("execute command: {}", command);
        return run(what, List.of("/bin/sh", "-c", command), null, 0).exitCode();
    }

    /**
     * Runs {@code argv} in {@code dir} (null: jpgpool's own), keeping its last {@code keepLines} lines of output
     * (stdout and stderr together).
     */
    public Result run(String what, List<String> argv, Path dir, int keepLines) {
        ArrayDeque<String> tail = new ArrayDeque<>();
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        LOG.info("{}: {}", what, line);
                        synchronized (tail) {
                            tail.addLast(line);
                            if (tail.size() > keepLines) {
                                tail.removeFirst();
                            }
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "jpgpool-" + what);
            reader.setDaemon(true);
            reader.start();
            boolean ended = timeLimit.isZero() ? waitFor(p) : p.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                LOG.warn("{} did not finish within {} s, killing it", what, timeLimit.toSeconds());
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(-1, lines(tail));
            }
            reader.join(1000); // a daemon it started may keep the output open: do not wait for that
            int rc = p.exitValue();
            if (rc != 0) {
                LOG.warn("{} exited with status {}", what, rc);
            }
            return new Result(rc, lines(tail));
        } catch (IOException e) {
            LOG.warn("could not run {}: {}", what, e.getMessage());
            return new Result(-1, List.of("could not run " + argv.get(0) + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, lines(tail));
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        try {
            p.waitFor();
            return true;
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    private static List<String> lines(ArrayDeque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
