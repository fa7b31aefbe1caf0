package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {

    static PgpoolConfig parse(String text) throws ConfigException {
        return PgpoolConfig.parse("pgpool.conf", text);
    }

    @Test
    void backendsInNodeOrderWithTheirSettings() throws Exception {
        PgpoolConfig c = parse("""
                backend_hostname1 = 'standby'
                backend_port1 = 5433
                backend_weight1 = 2
                backend_flag1 = 'DISALLOW_TO_FAILOVER'
                backend_application_name1 = 'standby1'
                backend_hostname0 = 'primary'
                backend_port0 = 5432
                backend_data_directory0 = '/data/pg0'
                backend_flag0 = 'ALWAYS_PRIMARY|DISALLOW_TO_FAILOVER'
                """);
        List<BackendConfig> b = c.backends();
        assertThat(b).extracting(BackendConfig::nodeId).containsExactly(0, 1);
        assertThat(b.get(0).hostname()).isEqualTo("primary");
        assertThat(b.get(0).port()).isEqualTo(5432);
        assertThat(b.get(0).weight()).isEqualTo(0.0); // pgpool's default weight
        assertThat(b.get(0).dataDirectory()).isEqualTo("/data/pg0");
        assertThat(b.get(0).alwaysPrimary()).isTrue();
        assertThat(b.get(0).disallowToFailover()).isTrue();
        assertThat(b.get(0).flags()).containsExactlyInAnyOrder(BackendFlag.ALWAYS_PRIMARY, BackendFlag.DISALLOW_TO_FAILOVER);
        assertThat(b.get(0).flagText()).isEqualTo("DISALLOW_TO_FAILOVER|ALWAYS_PRIMARY");
        assertThat(b.get(1).allowToFailover()).isFalse();
        assertThat(b.get(1).weight()).isEqualTo(2.0);
        assertThat(b.get(1).applicationName()).isEqualTo("standby1");
        assertThat(c.normalizedWeight(1)).isEqualTo(1.0);
    }

    @Test
    void defaultsOfABackend() throws Exception {
        BackendConfig b = parse("backend_port0 = 5432").backends().get(0);
        assertThat(b.hostname()).isEqualTo("/tmp"); // empty host = PostgreSQL's socket directory, as pgpool
        assertThat(b.isUnixSocket()).isTrue();
        assertThat(b.flags()).containsExactly(BackendFlag.ALLOW_TO_FAILOVER);
        assertThat(b.flagText()).isEqualTo("ALLOW_TO_FAILOVER");
        assertThat(b.allowToFailover()).isTrue();
        assertThat(b.applicationName()).isEmpty();
    }

    @Test
    void gapsInTheNumberingAreErrors() {
        assertThatThrownBy(() -> parse("""
                backend_hostname0 = a
                backend_port0 = 5432
                backend_hostname2 = c
                backend_port2 = 5432
                """)).hasMessage("pgpool.conf:4: backend_port2: backend 1 is missing (no backend_port1); "
                + "backends must be numbered from 0 without gaps");
        assertThatThrownBy(() -> parse("""
                backend_hostname0 = a
                backend_hostname1 = b
                backend_port1 = 5432
                """)).hasMessage("pgpool.conf:3: backend_port1: backend 0 has no backend_port0; "
                + "backends must be numbered from 0 without gaps");
    }

    @Test
    void aBackendWithoutPortIsIgnoredWithAWarningAsPgpoolIgnoresIt() throws Exception {
        PgpoolConfig c = parse("""
                backend_hostname0 = a
                backend_port0 = 5432
                backend_hostname1 = b
                backend_weight1 = 1
                """);
        assertThat(c.backends()).hasSize(1);
        assertThat(c.warnings()).extracting(ConfigWarning::toString)
                .containsExactly("pgpool.conf:3: backend_hostname1: backend 1 has no backend_port1 and is ignored");
    }

    @Test
    void nodeIndexesAreLimitedTo127() throws Exception {
        assertThat(parse("backend_hostname127 = x").warnings()).hasSize(1);
        assertThatThrownBy(() -> parse("backend_hostname128 = x"))
                .hasMessage("pgpool.conf:1: backend_hostname128: node index 128 is out of range (0..127)");
        assertThatThrownBy(() -> parse("health_check_period99999 = 1"))
                .hasMessage("pgpool.conf:1: health_check_period99999: node index 99999 is out of range (0..127)");
        assertThatThrownBy(() -> parse("backend_hostname = x"))
                .hasMessage("pgpool.conf:1: backend_hostname: needs a node index (backend_hostname0, backend_hostname1, ...)");
    }

    @Test
    void badFlags() {
        assertThatThrownBy(() -> parse("backend_flag0 = 'ALLOW_TO_FAILOVER|DISALLOW_TO_FAILOVER'"))
                .hasMessage("pgpool.conf:1: backend_flag0: invalid value \"ALLOW_TO_FAILOVER|DISALLOW_TO_FAILOVER\": "
                        + "cannot set ALLOW_TO_FAILOVER and DISALLOW_TO_FAILOVER at the same time");
        assertThatThrownBy(() -> parse("backend_flag0 = 'ALLOW_TO_FAILOVER|MAGIC'"))
                .hasMessage("pgpool.conf:1: backend_flag0: invalid value \"ALLOW_TO_FAILOVER|MAGIC\": unknown backend "
                        + "flag \"MAGIC\" (expected ALLOW_TO_FAILOVER, DISALLOW_TO_FAILOVER or ALWAYS_PRIMARY)");
    }

    @Test
    void perNodeHealthCheckValuesOverrideGlobalOnes() throws Exception {
        PgpoolConfig c = parse("""
                health_check_period = 10
                health_check_timeout = 20s
                health_check_user = 'hc'
                health_check_password = 'global-secret'
                health_check_max_retries = 3
                connect_timeout = 5s
                backend_hostname0 = a
                backend_port0 = 5432
                backend_hostname1 = b
                backend_port1 = 5432
                health_check_period1 = 1min
                health_check_user1 = 'hc1'
                health_check_password1 = 'node1-secret'
                health_check_database1 = 'template1'
                health_check_retry_delay1 = 3
                connect_timeout1 = 250
                """);
        assertThat(c.backends().get(0).healthCheck())
                .isEqualTo(new HealthCheckSettings(10, 20, "hc", "global-secret", "postgres", 3, 1, 5000));
        assertThat(c.backends().get(1).healthCheck())
                .isEqualTo(new HealthCheckSettings(60, 20, "hc1", "node1-secret", "template1", 3, 3, 250));
        assertThat(c.healthCheck(1).enabled()).isTrue();
        assertThat(c.get(Params.HEALTH_CHECK_PERIOD, 0)).isEqualTo(10);
        assertThat(c.get(Params.HEALTH_CHECK_PERIOD, 1)).isEqualTo(60);
        assertThat(c.get(Params.HEALTH_CHECK_PERIOD)).isEqualTo(10);
        assertThat(c.backends().get(1).healthCheck().toString()).doesNotContain("secret");
    }

    @Test
    void healthCheckDefaults() throws Exception {
        HealthCheckSettings hc = parse("backend_port0 = 5432").backends().get(0).healthCheck();
        assertThat(hc).isEqualTo(new HealthCheckSettings(0, 20, "nobody", "", "postgres", 0, 1, 10000));
        assertThat(hc.enabled()).isFalse();
        assertThat(parse("backend_port0 = 5432\nhealth_check_database = ''").healthCheck(0).database())
                .isEqualTo("postgres");
    }

    @Test
    void genericAccessOfPerNodeParameters() throws Exception {
        PgpoolConfig c = parse("backend_port0 = 5432");
        assertThat(c.get(Params.BACKEND_PORT, 0)).isEqualTo(5432);
        assertThat(c.get(Params.BACKEND_PORT, 5)).isEqualTo(0);
        assertThat(c.get(Params.PORT, 3)).isEqualTo(9999);
        assertThatThrownBy(() -> c.get(Params.BACKEND_PORT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.get(Params.BACKEND_PORT, 128)).isInstanceOf(IllegalArgumentException.class);
    }
}
