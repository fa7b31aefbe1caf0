package io.jpgpool.core.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.core.cluster.BackendNode;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.cluster.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The failover commands' placeholders (SEMANTICS C.5) and pgpool_status (C.1). */
class PlaceholdersTest {
    private static ClusterSnapshot cluster(NodeStatus... statuses) {
        List<BackendNode> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            nodes.add(new BackendNode(i, "host" + i, 5432 + i, 1, "/data/" + i, "node" + i, true, false,
                    statuses[i], Instant.now(), 0, null, null));
        }
        return new ClusterSnapshot(ClusteringMode.STREAMING_REPLICATION, nodes, 1, 0);
    }

    @Test
    void everyPlaceholderOfSection5IsReplaced() {
        ClusterSnapshot c = cluster(NodeStatus.DOWN, NodeStatus.UP, NodeStatus.UP);
        Placeholders p = new Placeholders(c, 0, 1, 0, 0);
        assertThat(p.expand("f.sh %d %h %p %D %m %H %M %P %r %R %N %S %%"))
                .isEqualTo("f.sh 0 host0 5432 /data/0 1 host1 0 0 5433 /data/1 host0 5432 %");
    }

    @Test
    void unknownPlaceholdersVanishAndMissingNodesGiveEmptyStrings() {
        ClusterSnapshot c = cluster(NodeStatus.DOWN, NodeStatus.DOWN);
        Placeholders p = new Placeholders(c, 1, -1, 0, 0);
        assertThat(p.expand("x %q %m [%H] [%r] [%R] end%")).isEqualTo("x  -1 [] [] [] end%");
    }

    @Test
    void pgpoolStatusKeepsDownNodesAndIsNotWrittenWhenAllAreDown(@TempDir Path dir) throws Exception {
        StatusFile f = new StatusFile(dir);
        assertThat(f.read()).isEmpty();
        f.write(cluster(NodeStatus.DOWN, NodeStatus.UP, NodeStatus.CONNECT_WAIT));
        assertThat(Files.readString(f.path())).isEqualTo("down\nup\nup\n");
        assertThat(f.read()).contains(List.of(NodeStatus.DOWN, NodeStatus.CONNECT_WAIT, NodeStatus.CONNECT_WAIT));

        f.write(cluster(NodeStatus.DOWN, NodeStatus.DOWN, NodeStatus.DOWN));
        assertThat(Files.readString(f.path())).as("the last set that had the data stays").isEqualTo("down\nup\nup\n");

        Files.writeString(f.path(), "down\ndown\n");
        assertThat(f.read()).as("a file with no node up is bogus").isEmpty();
    }
}
