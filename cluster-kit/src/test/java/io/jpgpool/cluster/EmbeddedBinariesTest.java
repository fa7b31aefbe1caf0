package io.jpgpool.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PostgreSQL bundle from the classpath: no pg_basebackup nor pg_rewind, so standbys are cold copies. */
@Timeout(120)
class EmbeddedBinariesTest {

    @Test
    void theBundleIsExtractedOnceWithModesAndSymlinks() {
        PgBinaries embedded = PgBinaries.embedded();

        assertThat(PgBinaries.embedded().bindir()).isEqualTo(embedded.bindir());
        assertThat(embedded.has("postgres")).isTrue();
        assertThat(embedded.has("initdb")).isTrue();
        assertThat(embedded.has("pg_basebackup")).isFalse();
        assertThat(embedded.majorVersion()).isEqualTo(15);
        assertThat(Files.isExecutable(embedded.tool("postgres"))).isTrue();
        Path lib = embedded.bindir().resolveSibling("lib");
        assertThat(Files.isSymbolicLink(lib.resolve("libpq.so"))).isTrue();
        assertThat(lib.resolve("libpq.so")).exists(); // the link resolves
    }

    @Test
    void aPrimaryAndAColdCopiedStandbyRunInAUserNamespaceAndSurviveAFailover() {
        assumeTrue(unshareWorks(), "unshare -U is not permitted here");
        ClusterOptions options = ClusterOptions.builder().binaries(PgBinaries.embedded()).runMode(RunMode.UNSHARE)
                .standbys(1).build();
        List<Long> pids;
        PgCluster cluster = PgCluster.streaming(options);
        try {
            PgNode primary = cluster.node(0);
            PgNode standby = cluster.node(1);
            assertThat(cluster.standbyMethod()).isEqualTo(StandbyMethod.COLD_COPY);
            assertThat(primary.query("SELECT application_name FROM pg_stat_replication"))
                    .containsExactly(List.of("node1"));

            primary.execute("CREATE TABLE bundled AS SELECT version() AS v");
            standby.waitForReplayOf(primary, Duration.ofSeconds(30));

            assertThat(standby.query("SELECT v FROM bundled").get(0).get(0)).startsWith("PostgreSQL 15.");

            // no pg_rewind in the bundle: the old primary comes back as a cold copy of the promoted standby
            primary.stop(StopMode.IMMEDIATE);
            standby.promote();
            standby.execute("INSERT INTO bundled VALUES ('after failover')");
            primary.rebuildAsStandbyOf(standby);
            primary.waitForReplayOf(standby, Duration.ofSeconds(30));

            assertThat(cluster.primary()).isSameAs(standby);
            assertThat(primary.query("SELECT count(*) FROM bundled")).containsExactly(List.of("2"));
            pids = ClusterAssertions.serverPids(cluster);
        } finally {
            cluster.close();
        }
        ClusterAssertions.assertNothingLeft(cluster, pids);
    }

    private static boolean unshareWorks() {
        try {
            return Exec.run(List.of("unshare", "-U", "--", "true"), Path.of("/"), Map.of(), Duration.ofSeconds(10)).ok();
        } catch (ClusterException e) {
            return false;
        }
    }
}
