package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A test JVM that is terminated (SIGTERM) with a cluster open must not leave postgres running. */
@Timeout(120)
class ShutdownHookTest {

    /** Run in a child JVM: start a cluster, report it, wait to be terminated without closing it. */
    public static void main(String[] args) throws Exception {
        PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(0).build());
        System.out.println("BASE " + cluster.baseDir());
        System.out.println("PID " + cluster.node(0).postmasterPid().orElseThrow());
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void aTerminatedJvmStopsItsClustersOnTheWayOut(@TempDir Path tmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = tmp.resolve("child.out"); // a file, not a pipe: the child must never block on logging
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ShutdownHookTest.class.getName()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Path base;
        long pid;
        try {
            pid = Long.parseLong(awaitLine(output, "PID ", child));
            base = Path.of(awaitLine(output, "BASE ", child));
            assertThat(Processes.isAlive(pid)).isTrue();

            child.destroy(); // SIGTERM: shutdown hooks run
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            if (child.isAlive()) {
                Exec.killTree(child);
            }
        }

        assertThat(Processes.isAlive(pid)).as("postmaster %s after the JVM exited", pid).isFalse();
        assertThat(base).doesNotExist();
    }

    private static String awaitLine(Path output, String prefix, Process child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(output) ? Files.readAllLines(output) : List.of();
            Optional<String> line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get().substring(prefix.length()).strip();
            }
            if (!child.isAlive()) {
                throw new AssertionError("child JVM exited early:\n" + String.join("\n", lines));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("child JVM did not print " + prefix + ":\n" + Files.readString(output));
    }
}
