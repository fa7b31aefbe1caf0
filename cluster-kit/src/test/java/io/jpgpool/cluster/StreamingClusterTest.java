package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Given a primary with two streaming standbys made by pg_basebackup. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class StreamingClusterTest {
    private static final Duration REPLAY = Duration.ofSeconds(30);
    private PgCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).initDatabase("test").build());
    }

    /** Tests stop and restart nodes; the next one starts again from every standby streaming. */
    @AfterEach
    void everyStandbyStreamsAgain() {
        cluster.node(1).waitForStreamingFrom(cluster.node(0), REPLAY);
        cluster.node(2).waitForStreamingFrom(cluster.node(0), REPLAY);
    }

    @AfterAll
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void node0IsThePrimaryAndTheStandbysReportTheirNodeNames() {
        assertThat(cluster.nodes()).extracting(PgNode::name).containsExactly("node0", "node1", "node2");
        assertThat(cluster.nodes()).extracting(PgNode::port).doesNotHaveDuplicates();
        assertThat(cluster.primary()).isSameAs(cluster.node(0));
        assertThat(cluster.node(1).isInRecovery()).isTrue();
        assertThat(cluster.node(2).isInRecovery()).isTrue();

        List<List<String>> replication = cluster.node(0).query(
                "SELECT application_name, client_addr FROM pg_stat_replication ORDER BY 1");

        assertThat(replication).containsExactly(List.of("node1", "127.0.0.1"), List.of("node2", "127.0.0.1"));
    }

    @Test
    void aWriteOnThePrimaryIsReadOnBothStandbys() {
        PgNode primary = cluster.node(0);
        primary.execute("CREATE TABLE replicated(id int PRIMARY KEY, v text)");
        primary.execute("INSERT INTO replicated VALUES (1, 'one'), (2, 'two')");

        for (PgNode standby : List.of(cluster.node(1), cluster.node(2))) {
            standby.waitForReplayOf(primary, REPLAY);
            assertThat(standby.query("SELECT v FROM replicated ORDER BY id"))
                    .containsExactly(List.of("one"), List.of("two"));
            assertThat(standby.query("SELECT datname FROM pg_database WHERE datname = 'test'")).hasSize(1);
        }
    }

    @Test
    void currentLsnCoversAnAsynchronousCommitStillInTheWalBuffers() {
        PgNode primary = cluster.node(0);
        primary.execute("CREATE TABLE IF NOT EXISTS async_commits(x int)");
        primary.execute("INSERT INTO async_commits VALUES (1)"); // synchronous_commit = off: not flushed yet
        String inserted = primary.query("SELECT pg_current_wal_insert_lsn()").get(0).get(0);

        String current = primary.currentLsn();

        assertThat(primary.query("SELECT '" + current + "'::pg_lsn >= '" + inserted + "'::pg_lsn"))
                .containsExactly(List.of("t"));
    }

    @Test
    void aStandbyStoppedImmediatelyComesBackOnItsPortAndCatchesUp() {
        PgNode primary = cluster.node(0);
        PgNode standby = cluster.node(2);
        int port = standby.port();

        standby.stop(StopMode.IMMEDIATE);
        assertThat(standby.isRunning()).isFalse();
        primary.execute("CREATE TABLE while_down AS SELECT 42 AS answer");
        standby.start();

        assertThat(standby.isRunning()).isTrue();
        assertThat(standby.port()).isEqualTo(port);
        standby.waitForReplayOf(primary, REPLAY);
        assertThat(standby.query("SELECT answer FROM while_down")).containsExactly(List.of("42"));
    }

    @Test
    void aRestartedPrimaryKeepsItsStandbys() {
        PgNode primary = cluster.node(0);
        primary.restart();
        primary.execute("CREATE TABLE after_restart AS SELECT 'yes'::text AS ok");

        cluster.node(1).waitForReplayOf(primary, REPLAY);
        assertThat(cluster.node(1).query("SELECT ok FROM after_restart")).containsExactly(List.of("yes"));
    }
}
