package io.jpgpool.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.BackendConfig;
import io.jpgpool.config.PgpoolConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload of pgpool.conf as Pgpool-II 4.3 applies the backend_* parameters to the node table. */
class BackendReloadTest {
    private static final Instant NOW = Instant.parse("2026-12-02T19:00:00Z");

    /** pgpool.conf of these backends: {@code "db1:5433"}, then its other lines after a {@code |}. */
    private static List<BackendConfig> backends(String... nodes) throws Exception {
        StringBuilder conf = new StringBuilder();
        for (int id = 0; id < nodes.length; id++) {
            String[] parts = nodes[id].split("\\|");
            String[] hostPort = parts[0].split(":");
            conf.append("backend_hostname").append(id).append(" = '").append(hostPort[0]).append("'\n")
                    .append("backend_port").append(id).append(" = ").append(hostPort[1]).append('\n');
            for (int i = 1; i < parts.length; i++) {
                conf.append(parts[i].strip()).append('\n');
            }
        }
        return PgpoolConfig.parse("pgpool.conf", conf.toString()).backends();
    }

    private static BackendNode node(int id, String host, int port, NodeStatus status) {
        return new BackendNode(id, host, port, 1, "/data" + id, "", true, false, status, NOW.minusSeconds(60), 0,
                null, null);
    }

    @Test
    void aNodeConfiguredBeyondTheKnownOnesIsAddedDownWithItsSettings() throws Exception {
        List<BackendConfig> newer = backends("db0:5432 | backend_weight0 = 1 | backend_data_directory0 = '/data0'",
                "db1:5433 | backend_weight1 = 3 | backend_data_directory1 = '/data1'"
                        + " | backend_flag1 = 'DISALLOW_TO_FAILOVER' | backend_application_name1 = 'server1'");
        BackendReload r = BackendReload.plan(List.of(node(0, "db0", 5432, NodeStatus.UP)), newer, 64, NOW);

        assertThat(r.ignored()).isEmpty();
        assertThat(r.nodes()).containsExactly(node(0, "db0", 5432, NodeStatus.UP));
        assertThat(r.added()).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo(1);
            assertThat(n.address()).isEqualTo("db1:5433");
            assertThat(n.status()).isEqualTo(NodeStatus.DOWN); // pgpool: CON_DOWN, for pcp_attach_node
            assertThat(n.weight()).isEqualTo(3);
            assertThat(n.dataDirectory()).isEqualTo("/data1");
            assertThat(n.applicationName()).isEqualTo("server1");
            assertThat(n.allowToFailover()).isFalse();
            assertThat(n.lastStatusChange()).isEqualTo(NOW);
        });
    }

    @Test
    void aKnownNodeKeepsItsHostAndPortButTakesItsWeightFlagsAndApplicationName() throws Exception {
        List<BackendConfig> newer = backends("elsewhere:6432 | backend_weight0 = 5 | backend_data_directory0 = '/data0'"
                + " | backend_flag0 = 'ALWAYS_PRIMARY' | backend_application_name0 = 'renamed'");
        BackendReload r = BackendReload.plan(List.of(node(0, "db0", 5432, NodeStatus.UP)), newer, 64, NOW);

        assertThat(r.added()).isEmpty();
        BackendNode n = r.nodes().get(0);
        assertThat(n.address()).isEqualTo("db0:5432");
        assertThat(n.weight()).isEqualTo(5);
        assertThat(n.alwaysPrimary()).isTrue();
        assertThat(n.applicationName()).isEqualTo("renamed");
        assertThat(n.status()).isEqualTo(NodeStatus.UP);
        assertThat(r.ignored()).containsExactly(
                "backend_hostname0 changed but takes effect only after a restart",
                "backend_port0 changed but takes effect only after a restart");
    }

    @Test
    void theDataDirectoryChangesOnlyWhileTheNodeIsDown() throws Exception {
        List<BackendConfig> newer = backends("db0:5432 | backend_data_directory0 = '/new0'",
                "db1:5433 | backend_data_directory1 = '/new1'");
        BackendReload r = BackendReload.plan(List.of(node(0, "db0", 5432, NodeStatus.UP),
                node(1, "db1", 5433, NodeStatus.DOWN)), newer, 64, NOW);

        assertThat(r.nodes()).extracting(BackendNode::dataDirectory).containsExactly("/data0", "/new1");
        assertThat(r.ignored()).containsExactly(
                "backend_data_directory0 changed but takes effect only while node 0 is down, or after a restart");
    }

    @Test
    void aNodeNoLongerConfiguredStaysUntilARestart() throws Exception {
        BackendReload r = BackendReload.plan(List.of(node(0, "db0", 5432, NodeStatus.UP),
                node(1, "db1", 5433, NodeStatus.UP)), backends("db0:5432 | backend_data_directory0 = '/data0'"), 64, NOW);

        assertThat(r.nodes()).hasSize(2);
        assertThat(r.added()).isEmpty();
        assertThat(r.ignored()).containsExactly("backend_port1 is no longer set: node 1 stays until a restart");
    }

    @Test
    void nodesBeyondTheMostJpgpoolTakesAreIgnored() throws Exception {
        List<BackendConfig> newer = backends("db0:5432 | backend_data_directory0 = '/data0'", "db1:5433", "db2:5434");
        BackendReload r = BackendReload.plan(List.of(node(0, "db0", 5432, NodeStatus.UP)), newer, 2, NOW);

        assertThat(r.added()).extracting(BackendNode::id).containsExactly(1);
        assertThat(r.ignored()).containsExactly("backend_hostname2: jpgpool takes at most 2 nodes");
    }
}
