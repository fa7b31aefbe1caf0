package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ParamValuesTest {

    static PgpoolConfig one(String line) throws ConfigException {
        return PgpoolConfig.parse("/etc/pgpool.conf", line);
    }

    static void rejects(String line, String message) {
        assertThatThrownBy(() -> PgpoolConfig.parse("/etc/pgpool.conf", "# first line\n" + line))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/pgpool.conf:2: " + message);
    }

    @ParameterizedTest
    @CsvSource({"on,true", "off,false", "ON,true", "Off,false", "of,false", "true,true", "t,true", "TRU,true",
            "false,false", "f,false", "yes,true", "y,true", "no,false", "n,false", "1,true", "0,false"})
    void booleans(String text, boolean expected) throws Exception {
        assertThat(one("load_balance_mode = '" + text + "'").loadBalanceMode()).isEqualTo(expected);
    }

    @Test
    void badBooleans() {
        rejects("load_balance_mode = o",
                "load_balance_mode: invalid value \"o\": must be a boolean (on/off, true/false, yes/no, 1/0)");
        rejects("log_connections = maybe",
                "log_connections: invalid value \"maybe\": must be a boolean (on/off, true/false, yes/no, 1/0)");
        rejects("log_connections = 2",
                "log_connections: invalid value \"2\": must be a boolean (on/off, true/false, yes/no, 1/0)");
    }

    @Test
    void integersAndRanges() throws Exception {
        assertThat(one("num_init_children = 100").numInitChildren()).isEqualTo(100);
        assertThat(one("port = '0x2710'").port()).isEqualTo(10000);
        assertThat(one("log_file_mode = 0640").get(Params.LOG_FILE_MODE)).isEqualTo(0640);
        assertThat(one("client_idle_limit_in_recovery = -1").get(Params.CLIENT_IDLE_LIMIT_IN_RECOVERY)).isEqualTo(-1);
        rejects("port = 99999", "port: invalid value \"99999\": must be between 1024 and 65535");
        rejects("port = 1023", "port: invalid value \"1023\": must be between 1024 and 65535");
        rejects("num_init_children = 0", "num_init_children: invalid value \"0\": must be between 1 and 2147483647");
        rejects("max_pool = abc", "max_pool: invalid value \"abc\": must be an integer");
        rejects("max_pool = 1.5", "max_pool: invalid value \"1.5\": must be an integer");
        rejects("max_pool = 4k", "max_pool: invalid value \"4k\": this parameter does not take a unit");
        rejects("max_pool = 99999999999999999999",
                "max_pool: invalid value \"99999999999999999999\": must be between 0 and 2147483647");
        rejects("log_file_mode = 0680", "log_file_mode: invalid value \"0680\": must be an integer (a leading 0 means octal)");
        rejects("sr_check_period = 1e999999999",
                "sr_check_period: invalid value \"1e999999999\": must be between 0 and 2147483647 s");
    }

    @ParameterizedTest
    @CsvSource({
            "health_check_period, 10s, 10",
            "health_check_period, 2min, 120",
            "health_check_period, 1h, 3600",
            "health_check_period, 1d, 86400",
            "health_check_period, 5000ms, 5",
            "health_check_period, 1.5min, 90",
            "health_check_period, 7, 7",
            "connect_timeout, 10s, 10000",
            "connect_timeout, 500ms, 500",
            "connect_timeout, 2000us, 2",
            "connect_timeout, 250, 250",
            "memqcache_total_size, 64MB, 67108864",
            "memqcache_total_size, 2048kB, 2097152",
            "memqcache_total_size, 1GB, 1073741824",
            "memqcache_total_size, 2TB, 2199023255552",
            "memqcache_total_size, 1048576B, 1048576",
            "delay_threshold, 10MB, 10485760",
            "log_rotation_size, 10MB, 10240",
            "log_rotation_age, 1d, 1440",
            "relcache_expire, 1h, 3600",
    })
    void unitsConvertToTheParametersOwnUnit(String name, String text, long expected) throws Exception {
        Param<?> p = Params.byName(name).orElseThrow();
        Object v = one(name + " = '" + text + "'").get(p);
        assertThat(((Number) v).longValue()).isEqualTo(expected);
    }

    @Test
    void unitsThatDoNotFit() {
        rejects("memqcache_total_size = 10s", "memqcache_total_size: invalid value \"10s\": valid units for this "
                + "parameter are \"B\", \"kB\", \"MB\", \"GB\" and \"TB\"");
        rejects("health_check_period = 1MB", "health_check_period: invalid value \"1MB\": valid units for this "
                + "parameter are \"us\", \"ms\", \"s\", \"min\", \"h\" and \"d\"");
        rejects("health_check_period = 500ms", "health_check_period: invalid value \"500ms\": not a whole number of seconds");
        rejects("connect_timeout = 1500us", "connect_timeout: invalid value \"1500us\": not a whole number of milliseconds");
        rejects("log_rotation_size = 1B", "log_rotation_size: invalid value \"1B\": not a whole number of kilobytes");
        rejects("health_check_period = 10S", "health_check_period: invalid value \"10S\": valid units for this "
                + "parameter are \"us\", \"ms\", \"s\", \"min\", \"h\" and \"d\"");
        rejects("port = 10s", "port: invalid value \"10s\": this parameter does not take a unit");
        rejects("health_check_period = -1s", "health_check_period: invalid value \"-1s\": must be between 0 and 2147483647 s");
        rejects("health_check_period = 1.5", "health_check_period: invalid value \"1.5\": not a whole number of seconds");
    }

    @Test
    void doubles() throws Exception {
        PgpoolConfig c = one("backend_hostname0 = h\nbackend_port0 = 5432\nbackend_weight0 = 0.5");
        assertThat(c.backends().get(0).weight()).isEqualTo(0.5);
        rejects("backend_weight0 = -1", "backend_weight0: invalid value \"-1\": must be between 0 and 100000000");
        rejects("backend_weight0 = heavy", "backend_weight0: invalid value \"heavy\": must be a number");
        rejects("backend_weight0 = NaN", "backend_weight0: invalid value \"NaN\": must be a number");
    }

    @Test
    void enums() throws Exception {
        assertThat(one("backend_clustering_mode = 'native_replication'").backendClusteringMode())
                .isEqualTo(ClusteringMode.NATIVE_REPLICATION);
        assertThat(one("backend_clustering_mode = RAW").backendClusteringMode()).isEqualTo(ClusteringMode.RAW);
        assertThat(one("disable_load_balance_on_write = dml_adaptive").disableLoadBalanceOnWrite())
                .isEqualTo(DisableLoadBalanceOnWrite.DML_ADAPTIVE);
        assertThat(one("check_temp_table = on").checkTempTable()).isEqualTo(CheckTempTable.CATALOG);
        assertThat(one("check_temp_table = off").checkTempTable()).isEqualTo(CheckTempTable.NONE);
        assertThat(one("check_temp_table = trace").checkTempTable()).isEqualTo(CheckTempTable.TRACE);
        assertThat(one("log_standby_delay = always").logStandbyDelay()).isEqualTo(LogStandbyDelay.ALWAYS);
        assertThat(one("client_min_messages = debug").clientMinMessages()).isEqualTo(MessageLevel.DEBUG2);
        assertThat(one("log_min_messages = LOG").logMinMessages()).isEqualTo(MessageLevel.LOG);
        assertThat(one("syslog_facility = local3").get(Params.SYSLOG_FACILITY)).isEqualTo(SyslogFacility.LOCAL3);
        assertThat(one("log_error_verbosity = verbose").get(Params.LOG_ERROR_VERBOSITY))
                .isEqualTo(LogErrorVerbosity.VERBOSE);
        assertThat(one("memqcache_method = memcached").get(Params.MEMQCACHE_METHOD)).isEqualTo(MemqcacheMethod.MEMCACHED);
        assertThat(one("wd_lifecheck_method = query").get(Params.WD_LIFECHECK_METHOD)).isEqualTo(WdLifecheckMethod.QUERY);
        assertThat(one("relcache_query_target = load_balance_node").get(Params.RELCACHE_QUERY_TARGET))
                .isEqualTo(RelcacheQueryTarget.LOAD_BALANCE_NODE);
        rejects("backend_clustering_mode = 'master_slave'", "backend_clustering_mode: invalid value \"master_slave\": "
                + "must be one of streaming_replication, native_replication, logical_replication, slony, raw, "
                + "snapshot_isolation");
        rejects("log_min_messages = verbose", "log_min_messages: invalid value \"verbose\": must be one of debug5, "
                + "debug4, debug3, debug2, debug1, log, info, notice, warning, error, fatal, panic");
    }

    @Test
    void resetQueryListSplitsTrimsAndDropsEmpties() throws Exception {
        assertThat(one("reset_query_list = ' ABORT ;; DISCARD ALL;SET x = 1 ;'").resetQueryList())
                .containsExactly("ABORT", "DISCARD ALL", "SET x = 1");
        assertThat(one("reset_query_list = ''").resetQueryList()).isEmpty();
    }

    @Test
    void useWatchdogOnlyOff() throws Exception {
        assertThat(one("use_watchdog = off").useWatchdog()).isFalse();
        rejects("use_watchdog = on",
                "use_watchdog: invalid value \"on\": the watchdog is not supported by jpgpool; set use_watchdog = off");
    }

    @Test
    void registryKnowsTypesDefaultsRangesAndContexts() {
        assertThat(Params.PORT.type()).isEqualTo(ParamType.INT);
        assertThat(Params.PORT.min()).contains(1024);
        assertThat(Params.PORT.max()).contains(65535);
        assertThat(Params.PORT.context()).isEqualTo(Context.RESTART);
        assertThat(Params.PORT.description()).isEqualTo("pgpool accepting port number");
        assertThat(Params.PORT.supported()).isTrue();
        assertThat(Params.CONNECT_TIMEOUT.unit()).isEqualTo(Unit.MILLISECONDS);
        assertThat(Params.CONNECT_TIMEOUT.scope()).isEqualTo(Param.Scope.GLOBAL_AND_PER_NODE);
        assertThat(Params.BACKEND_PORT.scope()).isEqualTo(Param.Scope.PER_NODE);
        assertThat(Params.BACKEND_PORT.description(3)).isEqualTo("backend #3 port number");
        assertThat(Params.CLIENT_MIN_MESSAGES.context()).isEqualTo(Context.SESSION);
        assertThat(Params.USE_WATCHDOG.supported()).isTrue();
        assertThat(Params.WD_LIFECHECK_METHOD.supported()).isFalse();
        assertThat(Params.DELAY_THRESHOLD.valueClass()).isEqualTo(Long.class);
        assertThat(Params.DATABASE_REDIRECT_PREFERENCE_LIST.defaultText()).isEmpty();
        assertThat(Params.byName("DELEGATE_IP")).containsSame(Params.DELEGATE_IP);
        assertThat(Params.DELEGATE_IP.name()).isEqualTo("delegate_IP");
        // every parameter of PGPOOL_PARAMS.md except the alias fail_over_on_backend_error, and jpgpool's
        // own backend_sslmode, metrics_listen_addresses and metrics_port
        assertThat(Params.all()).hasSize(171);
        assertThat(Params.all()).filteredOn(Param::supported).hasSize(111);
    }
}
