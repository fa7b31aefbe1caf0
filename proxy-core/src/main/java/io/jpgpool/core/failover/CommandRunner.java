package io.jpgpool.core.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator's failover/follow/failback commands with {@code sh -c}, logging every line they print. */
public final class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final Duration timeLimit;

    public CommandRunner(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    /** Runs {@code command}; returns its exit status (-1 if it could not run or was killed at the time limit). */
    public int run(String what, String command) {
        LOG.info("execute command: {}", command);
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        LOG.info("{}: {}", what, line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "jpgpool-" + what);
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} did not finish within {} s, killing it", what, timeLimit.toSeconds());
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return -1;
            }
            reader.join(1000);
            int rc = p.exitValue();
            if (rc != 0) {
                LOG.warn("{} exited with status {}", what, rc);
            }
            return rc;
        } catch (IOException e) {
            LOG.warn("could not run {}: {}", what, e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
