package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The pgpool.conf of shared/tools, used with a real Pgpool-II 4.3.5 (copied into test resources). */
class RealConfigTest {

    static Path resource(String name) throws Exception {
        return Path.of(RealConfigTest.class.getResource("/" + name).toURI());
    }

    @Test
    void loadsWithoutErrors() throws Exception {
        PgpoolConfig c = PgpoolConfig.load(resource("tools-pgpool.conf"));
        assertThat(c.backendClusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
        assertThat(c.port()).isEqualTo(59999);
        assertThat(c.socketDir()).isEqualTo("/tmp/anchor-check/pgpool");
        assertThat(c.pcpPort()).isEqualTo(59898);
        assertThat(c.numInitChildren()).isEqualTo(16);
        assertThat(c.srCheckPeriod()).isEqualTo(5);
        assertThat(c.searchPrimaryNodeTimeout()).isEqualTo(10);
        assertThat(c.backends()).hasSize(3);
        assertThat(c.backends()).extracting(BackendConfig::port).containsExactly(55432, 55433, 55434);
        assertThat(c.backends()).extracting(BackendConfig::applicationName)
                .containsExactly("primary", "standby1", "standby2");
        assertThat(c.backends().get(2).healthCheck())
                .isEqualTo(new HealthCheckSettings(5, 10, "postgres", "", "postgres", 0, 1, 10000));
        assertThat(c.normalizedWeight(0)).isEqualTo(1.0 / 3);
        assertThat(c.poolPasswdPath()).contains(Path.of("/tmp/anchor-check/pgpool/pool_passwd"));
        // only the two unsupported directories that differ from their defaults
        assertThat(c.warnings()).extracting(ConfigWarning::parameter)
                .containsExactly("wd_ipc_socket_dir", "memqcache_oiddir");
    }
}
