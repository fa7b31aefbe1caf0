package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgBinaries;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.RunMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.RoutingLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given a primary and two standbys behind jpgpool, with a failover_command that promotes the new main node:
 * {@code pcp_promote_node -s 1} (a real switchover) makes node 1 the primary in PostgreSQL and in jpgpool's
 * routing, and writes through jpgpool land on node 1.
 */
class PcpPromoteTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() throws IOException {
        PcpFixture.assumeRealToolsInstalled();
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        JpgpoolFixture prepared = JpgpoolFixture.prepare(cluster);
        Path script = prepared.dir().resolve("failover.sh");
        try (InputStream in = PcpPromoteTest.class.getResourceAsStream("/pcp/failover.sh")) {
            Files.copy(in, script);
        }
        PgBinaries binaries = PgBinaries.find();
        String runner = String.join(" ", RunMode.detect(binaries).wrap(List.of()));
        prepared.appendConf("failover_command = '/bin/sh " + script + " %d %P %m %R " + binaries.tool("pg_ctl")
                + " " + runner + "'", "search_primary_node_timeout = 60");
        prepared.startServer();
        jpgpool = prepared;
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    @Test
    void switchoverMakesNode1ThePrimaryForPostgresAndForRouting() throws Exception {
        assertThat(pcp.real("pcp_node_info", "0").stdout()).contains(" primary ");
        assertThat(cluster.node(1).isInRecovery()).isTrue();

        Commands.Result promote = pcp.real("pcp_promote_node", "-s", "1");
        assertThat(promote.exitCode()).as(promote.all()).isZero();
        assertThat(promote.stdout()).isEqualTo("pcp_promote_node -- Command Successful\n");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(cluster.node(1).isInRecovery()).as("node 1 left recovery").isFalse();
            List<String> nodes = pcp.real("pcp_node_info").stdout().lines().toList();
            assertThat(nodes.get(0)).as("the old primary").contains(" 3 0.333333 down ");
            assertThat(nodes.get(1)).as("the new primary").matches(".* (waiting|up) \\w+ primary .*");
        });

        try (RoutingLog log = RoutingLog.capture(); Connection c = jpgpool.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE after_switchover (id int)");
            s.execute("INSERT INTO after_switchover VALUES (1)");
            assertThat(log.nodesOf("INSERT INTO after_switchover")).containsOnly(1);
        }
        assertThat(cluster.node(1).query("SELECT count(*) FROM after_switchover")).containsExactly(List.of("1"));
    }
}
