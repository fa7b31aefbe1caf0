package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Shared checks: what a closed cluster must leave behind (nothing). */
final class ClusterAssertions {
    private ClusterAssertions() {
    }

    /** The postmasters of the cluster and every process below them, taken while it runs. */
    static List<Long> serverPids(PgCluster cluster) {
        List<Long> pids = new ArrayList<>();
        for (PgNode n : cluster.nodes()) {
            n.postmasterPid().ifPresent(pid -> {
                pids.add(pid);
                ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            });
        }
        return pids;
    }

    static void assertNothingLeft(PgCluster cluster, List<Long> pidsBeforeClose) {
        assertThat(pidsBeforeClose.stream().filter(Processes::isAlive).collect(Collectors.toList()))
                .as("server processes still alive after close()")
                .isEmpty();
        assertThat(cluster.baseDir()).doesNotExist();
        ExecResult ps = Exec.check("ps", List.of("ps", "-eo", "pid=,args="), cluster.baseDir().getParent(),
                java.util.Map.of(), java.time.Duration.ofSeconds(10));
        assertThat(ps.output().lines().filter(l -> l.contains(cluster.baseDir().toString())))
                .as("processes mentioning %s", cluster.baseDir())
                .isEmpty();
    }
}
