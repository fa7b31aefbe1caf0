package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarningsTest {

    static PgpoolConfig parse(String text) throws ConfigException {
        return PgpoolConfig.parse("pgpool.conf", text);
    }

    @Test
    void oneWarningPerUnknownName() throws Exception {
        PgpoolConfig c = parse("""
                no_such_thing = 1
                no_such_thing = 2
                backend_colour0 = red
                """);
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "pgpool.conf:1: no_such_thing: unknown parameter; ignored",
                "pgpool.conf:3: backend_colour0: unknown parameter; ignored");
        assertThat(c.warnings().get(0)).isEqualTo(new ConfigWarning("pgpool.conf", 1, "no_such_thing",
                "unknown parameter; ignored"));
    }

    @Test
    void unsupportedParametersWarnOnlyWhenNotAtTheirDefault() throws Exception {
        PgpoolConfig c = parse("""
                serialize_accept = off
                child_life_time = 300
                memory_cache_enabled = off
                log_destination = 'stderr'
                serialize_accept = on
                child_life_time = 5min
                lobj_lock_table = 'lobj'
                dml_adaptive_object_relationship_list = ''
                wd_port0 = 9000
                """);
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "pgpool.conf:5: serialize_accept: not supported by jpgpool yet; the value is ignored",
                "pgpool.conf:7: lobj_lock_table: not supported by jpgpool yet; the value is ignored",
                "pgpool.conf:9: wd_port0: not supported by jpgpool yet; the value is ignored");
        // unsupported values are still read and checked
        assertThat(c.get(Params.SERIALIZE_ACCEPT)).isTrue();
    }

    @Test
    void deprecatedNamesAreReadAsTheirNewNames() throws Exception {
        PgpoolConfig c = parse("""
                fail_over_on_backend_error = off
                black_function_list = 'nextval,setval'
                white_function_list = 'now'
                black_query_pattern_list = '.*FOR UPDATE.*'
                follow_master_command = '/bin/follow.sh'
                white_memqcache_table_list = 'v1'
                black_memqcache_table_list = 't1'
                unix_socket_directories = '/run/pgpool'
                """);
        assertThat(c.failoverOnBackendError()).isFalse();
        assertThat(c.writeFunctionList()).extracting(p -> p.pattern()).containsExactly("^nextval$", "^setval$");
        assertThat(c.readOnlyFunctionList()).extracting(p -> p.pattern()).containsExactly("^now$");
        assertThat(c.primaryRoutingQueryPatternList()).hasSize(1);
        assertThat(c.followPrimaryCommand()).isEqualTo("/bin/follow.sh");
        assertThat(c.socketDir()).isEqualTo("/run/pgpool");
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "pgpool.conf:1: fail_over_on_backend_error: deprecated name; read as failover_on_backend_error",
                "pgpool.conf:2: black_function_list: deprecated name; read as write_function_list",
                "pgpool.conf:3: white_function_list: deprecated name; read as read_only_function_list",
                "pgpool.conf:4: black_query_pattern_list: deprecated name; read as primary_routing_query_pattern_list",
                "pgpool.conf:5: follow_master_command: deprecated name; read as follow_primary_command",
                "pgpool.conf:6: white_memqcache_table_list: deprecated name; read as cache_safe_memqcache_table_list",
                "pgpool.conf:7: black_memqcache_table_list: deprecated name; read as cache_unsafe_memqcache_table_list");
    }

    @Test
    void removedModeSwitchesAreAcceptedWithAWarning() throws Exception {
        PgpoolConfig c = parse("""
                master_slave_mode = on
                master_slave_sub_mode = 'stream'
                replication_mode = off
                """);
        assertThat(c.backendClusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "pgpool.conf:1: master_slave_mode: was removed in Pgpool-II 4.2 and is ignored; use backend_clustering_mode",
                "pgpool.conf:2: master_slave_sub_mode: was removed in Pgpool-II 4.2 and is ignored; use backend_clustering_mode",
                "pgpool.conf:3: replication_mode: has no effect since Pgpool-II 4.2; use backend_clustering_mode");
    }

    @Test
    void alwaysMasterFlagIsReadAsAlwaysPrimary() throws Exception {
        PgpoolConfig c = parse("backend_hostname0 = h\nbackend_port0 = 5432\nbackend_flag0 = 'ALWAYS_MASTER'");
        assertThat(c.backends().get(0).alwaysPrimary()).isTrue();
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "pgpool.conf:3: backend_flag0: flag ALWAYS_MASTER is deprecated; use ALWAYS_PRIMARY");
    }
}
