package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Given jpgpool with its PCP server in front of a primary and two standbys: pcp_stop_pgpool answers, then
 * stops jpgpool; smart waits for connected clients, fast and immediate end them; the PCP port and its Unix
 * socket go away with it.
 */
class PcpStopTest {
    static PgCluster cluster;
    JpgpoolFixture jpgpool;
    PcpFixture pcp;

    @BeforeAll
    static void startCluster() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void start() {
        PcpFixture.assumeRealToolsInstalled();
        jpgpool = JpgpoolFixture.start(cluster);
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterEach
    void stop() {
        try (JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, then jpgpool
        }
    }

    private static int one(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            r.next();
            return r.getInt(1);
        }
    }

    private void assertStoppedEverywhere() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jpgpool.server().stopped().isDone());
        Path socket = jpgpool.dir().resolve(".s.PGSQL." + pcp.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> !socket.toFile().exists());
        Commands.Result after = pcp.real("pcp_node_count");
        assertThat(after.exitCode()).isEqualTo(1);
        assertThat(after.stderr()).isEqualTo("ERROR: connection to host \"127.0.0.1\" failed with error "
                + "\"Connection refused\"\n");
        assertThatThrownBy(() -> jpgpool.connect("postgres").close()).isInstanceOf(SQLException.class);
    }

    @Test
    void fastEndsTheSessionsAndStops() throws SQLException {
        try (Connection c = jpgpool.connect("postgres")) {
            assertThat(one(c)).isEqualTo(1);
            Commands.Result r = pcp.real("pcp_stop_pgpool", "-m", "fast");
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout()).isEqualTo("pcp_stop_pgpool -- Command Successful\n");
            assertStoppedEverywhere();
            assertThatThrownBy(() -> one(c)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void smartWaitsForTheConnectedClient() throws SQLException {
        Connection c = jpgpool.connect("postgres");
        Commands.Result r = pcp.real("pcp_stop_pgpool", "-v", "-s", "cluster");
        assertThat(r.stdout()).isEqualTo("pcp_stop_pgpool -- Command Successful\n");
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> !jpgpool.server().stopped().isDone());
        assertThat(one(c)).as("the connected client keeps working").isEqualTo(1);
        c.close();
        assertStoppedEverywhere();
    }

    @Test
    void immediateStopsToo() {
        Commands.Result r = pcp.jpcp("pcp_stop_pgpool", "-m", "immediate");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).isEqualTo("pcp_stop_pgpool -- Command Successful\n");
        assertStoppedEverywhere();
    }
}
