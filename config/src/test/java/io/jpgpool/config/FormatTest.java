package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** PGPOOL SHOW and pool_status formatting of single values. */
class FormatTest {

    final PgpoolConfig c = PgpoolConfig.parse("pgpool.conf", """
            port = 9999
            load_balance_mode = off
            health_check_period = 120
            connect_timeout = 10000
            memqcache_total_size = 64MB
            client_min_messages = warning
            backend_clustering_mode = native_replication
            syslog_facility = LOCAL4
            health_check_password = 'secret'
            write_function_list = 'nextval, setval'
            backend_hostname0 = a
            backend_port0 = 5432
            backend_weight0 = 2.5
            backend_flag0 = 'DISALLOW_TO_FAILOVER'
            health_check_period0 = 60
            """);

    FormatTest() throws ConfigException {
    }

    @Test
    void pgpoolShowFormat() {
        assertThat(c.format("port")).isEqualTo("9999");
        assertThat(c.format("load_balance_mode")).isEqualTo("off");
        assertThat(c.format("health_check_period")).isEqualTo("2min");
        assertThat(c.format("health_check_timeout")).isEqualTo("20s");
        assertThat(c.format("connect_timeout")).isEqualTo("10s");
        assertThat(c.format("memqcache_total_size")).isEqualTo("64MB");
        assertThat(c.format("memqcache_maxcache")).isEqualTo("400kB");
        assertThat(c.format("log_rotation_age")).isEqualTo("1d");
        assertThat(c.format("health_check_max_retries")).isEqualTo("0");
        assertThat(c.format("client_min_messages")).isEqualTo("warning");
        assertThat(c.format("backend_clustering_mode")).isEqualTo("native_replication");
        assertThat(c.format("health_check_password")).isEqualTo("*****");
        assertThat(c.format("health_check_password0")).isEqualTo("*****");
        assertThat(c.format("write_function_list")).isEqualTo("nextval, setval");
        assertThat(c.format("reset_query_list")).isEqualTo("ABORT;DISCARD ALL");
        assertThat(c.format("database_redirect_preference_list")).isEmpty();
        assertThat(c.format("backend_weight0")).isEqualTo("2");
        assertThat(c.format("backend_flag0")).isEqualTo("DISALLOW_TO_FAILOVER");
        assertThat(c.format("health_check_period0")).isEqualTo("60");
        assertThat(c.format("health_check_timeout0")).isEqualTo("20");
        assertThat(c.format("Delegate_IP")).isEmpty();
        assertThatThrownBy(() -> c.format("nope")).hasMessage("config variable \"nope\" not found");
        assertThatThrownBy(() -> c.format("backend_port")).hasMessage("config variable \"backend_port\" not found");
    }

    @Test
    void poolStatusFormat() {
        assertThat(c.formatPoolStatus("load_balance_mode")).isEqualTo("0");
        assertThat(c.formatPoolStatus("health_check_period")).isEqualTo("120");
        assertThat(c.formatPoolStatus("client_min_messages")).isEqualTo("19");
        assertThat(c.formatPoolStatus("backend_clustering_mode")).isEqualTo("2");
        assertThat(c.formatPoolStatus("syslog_facility")).isEqualTo("LOCAL4");
        assertThat(c.formatPoolStatus("write_function_list")).isEqualTo("nextval,setval");
        assertThat(c.formatPoolStatus("database_redirect_preference_list")).isEqualTo("(null)");
        assertThat(c.formatPoolStatus("dml_adaptive_object_relationship_list")).isEqualTo("(null)");
        assertThat(c.formatPoolStatus("memqcache_total_size")).isEqualTo("67108864");
        assertThat(c.formatPoolStatus("backend_weight0")).isEqualTo("2.500000");
    }
}
