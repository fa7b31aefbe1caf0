package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class LifecycleTest {

    @Test
    void closeStopsEveryServerAndDeletesTheBaseDirectory() {
        PgCluster cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        List<Long> pids;
        try {
            assertThat(cluster.nodes()).allMatch(PgNode::isRunning);
            assertThat(cluster.node(0).logFile()).exists();
            pids = ClusterAssertions.serverPids(cluster);
            assertThat(pids).hasSizeGreaterThan(2); // postmasters and their children
        } finally {
            cluster.close();
        }

        ClusterAssertions.assertNothingLeft(cluster, pids);
        cluster.close(); // a second close is harmless
    }

    @Test
    void aServerThatCannotStartFailsWithItsLogAndLeavesNothingBehind(@TempDir Path tmp) {
        Path base = tmp.resolve("broken");
        ClusterOptions options = ClusterOptions.builder().servers(1).baseDir(base)
                .extraConf("no_such_setting = 1").build();

        assertThatThrownBy(() -> PgCluster.independent(options))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("node0: pg_ctl start failed")
                .hasMessageContaining(base.resolve("node0/postgresql.log").toString())
                .hasMessageContaining("no_such_setting");
        assertThat(base).doesNotExist();
    }

    @Test
    void aGivenBaseDirectoryMustBeEmpty(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("something"), "x");

        assertThatThrownBy(() -> PgCluster.independent(ClusterOptions.builder().servers(1).baseDir(tmp).build()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("is not empty");
        assertThat(tmp.resolve("something")).exists();
    }
}
