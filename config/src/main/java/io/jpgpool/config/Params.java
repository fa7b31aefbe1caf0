package io.jpgpool.config;

import static io.jpgpool.config.Context.RELOAD;
import static io.jpgpool.config.Context.RESTART;
import static io.jpgpool.config.Context.SESSION;

import io.jpgpool.config.Param.Scope;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every pgpool.conf parameter of Pgpool-II 4.3 (PGPOOL_PARAMS.md, SEMANTICS Appendix 2), in the
 * groups of PGPOOL_PARAMS. Descriptions are the pool_status texts of PCP_SPEC Appendix A.
 */
public final class Params {

    private static final Map<String, Param<?>> REGISTRY = new LinkedHashMap<>();

    /**
     * The parameters jpgpool acts on. Others are parsed and validated, and a warning says they are
     * ignored when set to anything but their default. Adding a name here is all it takes to flip one.
     */
    private static final Set<String> SUPPORTED = Set.of(
            "listen_addresses", "port", "socket_dir", "pcp_listen_addresses", "pcp_port", "pcp_socket_dir",
            "backend_clustering_mode", "backend_hostname", "backend_port", "backend_weight",
            "backend_data_directory", "backend_flag", "backend_application_name",
            "load_balance_mode", "statement_level_load_balance", "disable_load_balance_on_write",
            "write_function_list", "read_only_function_list", "primary_routing_query_pattern_list",
            "database_redirect_preference_list", "app_name_redirect_preference_list",
            "allow_sql_comments", "ignore_leading_white_space", "check_temp_table", "check_unlogged_table",
            "sr_check_period", "sr_check_user", "sr_check_password", "sr_check_database",
            "delay_threshold", "prefer_lower_delay_standby", "log_standby_delay",
            "log_per_node_statement", "log_connections", "log_disconnections",
            "num_init_children", "reserved_connections", "max_pool",
            "connection_cache", "reset_query_list", "connection_life_time", "client_idle_limit",
            "authentication_timeout", "pool_passwd", "allow_clear_text_frontend_auth", "logdir", "pid_file_name",
            "health_check_period", "health_check_timeout", "health_check_user", "health_check_password",
            "health_check_database", "health_check_max_retries", "health_check_retry_delay", "connect_timeout",
            "failover_command", "follow_primary_command", "failback_command", "failover_on_backend_error",
            "search_primary_node_timeout", "detach_false_primary",
            "auto_failback", "auto_failback_interval", "recovery_timeout",
            // online recovery
            "recovery_user", "recovery_password", "recovery_1st_stage_command", "recovery_2nd_stage_command",
            "client_idle_limit_in_recovery",
            // only "off": PgpoolConfig rejects use_watchdog = on
            "use_watchdog",
            // TLS to clients and to backends (issue 16)
            "ssl", "ssl_cert", "ssl_key", "ssl_ca_cert", "ssl_ca_cert_dir", "ssl_crl_file", "ssl_ciphers",
            "ssl_prefer_server_ciphers", "ssl_ecdh_curve", "ssl_dh_params_file", "ssl_passphrase_command",
            "backend_sslmode",
            // query cache (memqcache_method = memcached is refused when the cache is on)
            "memory_cache_enabled", "memqcache_method", "memqcache_total_size", "memqcache_max_num_cache",
            "memqcache_expire", "memqcache_auto_cache_invalidation", "memqcache_maxcache",
            "memqcache_cache_block_size", "cache_safe_memqcache_table_list", "cache_unsafe_memqcache_table_list",
            // logging (launcher's PgpoolLogging)
            "log_min_messages", "log_line_prefix", "log_error_verbosity", "log_destination",
            "logging_collector", "log_directory", "log_filename", "log_client_messages", "log_statement",
            // dml_adaptive
            "dml_adaptive_object_relationship_list",
            // pool_hba.conf client authentication (issue 16)
            "enable_pool_hba",
            // native replication mode (SEMANTICS B)
            "replication_stop_on_mismatch", "failover_if_affected_tuples_mismatch", "replicate_select",
            "insert_lock",
            // metrics: the Prometheus endpoint (jpgpool's own parameters)
            "metrics_listen_addresses", "metrics_port",
            // clients beyond num_init_children wait in jpgpool's queue (jpgpool's own parameter)
            "connection_queue_timeout", "listen_backlog_multiplier");

    private static final int MAX = Integer.MAX_VALUE;

    // ---------------------------------------------------------------------------------------
    // CACHE_CONFIG
    public static final Param<List<Pattern>> CACHE_SAFE_MEMQCACHE_TABLE_LIST =
            patterns("cache_safe_memqcache_table_list", ',', RELOAD, "tables to memqcache");
    public static final Param<List<Pattern>> CACHE_UNSAFE_MEMQCACHE_TABLE_LIST =
            patterns("cache_unsafe_memqcache_table_list", ',', RELOAD, "tables not to memqcache");
    public static final Param<Boolean> ENABLE_SHARED_RELCACHE =
            bool("enable_shared_relcache", true, RESTART, "If true, relation cache stored in memory cache");
    public static final Param<Boolean> MEMORY_CACHE_ENABLED = bool("memory_cache_enabled", false, RESTART,
            "If true, use the memory cache functionality, false by default");
    public static final Param<Boolean> MEMQCACHE_AUTO_CACHE_INVALIDATION = bool("memqcache_auto_cache_invalidation", true,
            RELOAD, "If true, invalidation of query cache is triggered by corresponding DDL/DML/DCL(");
    public static final Param<Integer> MEMQCACHE_CACHE_BLOCK_SIZE = integer("memqcache_cache_block_size", 1048576, 512, MAX,
            Unit.BYTES, RESTART, "Cache block size in bytes. 8192 by default");
    public static final Param<Integer> MEMQCACHE_EXPIRE = integer("memqcache_expire", 0, 0, MAX, Unit.SECONDS, RESTART,
            "Memory cache entry life time specified in seconds. 60 by default");
    public static final Param<Integer> MEMQCACHE_MAX_NUM_CACHE = integer("memqcache_max_num_cache", 1000000, 0, MAX,
            Unit.NONE, RESTART, "Total number of cache entries");
    public static final Param<Integer> MEMQCACHE_MAXCACHE = integer("memqcache_maxcache", 409600, 0, MAX, Unit.BYTES,
            RESTART, "Maximum SELECT result size in bytes");
    public static final Param<String> MEMQCACHE_MEMCACHED_HOST = string("memqcache_memcached_host", "localhost", RESTART,
            "Memcached host name. Mandatory if memqcache_method=memcached");
    public static final Param<Integer> MEMQCACHE_MEMCACHED_PORT = integer("memqcache_memcached_port", 11211, 0, MAX,
            Unit.NONE, RESTART, "Memcached port number. Mandatory if memqcache_method=memcached");
    public static final Param<MemqcacheMethod> MEMQCACHE_METHOD = enumeration("memqcache_method", MemqcacheMethod.class,
            MemqcacheMethod.SHMEM, Map.of(), RESTART,
            "Cache store method. either shmem(shared memory) or Memcached. shmem by default");
    public static final Param<String> MEMQCACHE_OIDDIR = string("memqcache_oiddir", "/var/log/pgpool/oiddir", RESTART,
            "Temporary work directory to record table oids");
    public static final Param<Long> MEMQCACHE_TOTAL_SIZE = longParam("memqcache_total_size", 67108864L, Unit.BYTES,
            RESTART, "Total memory size in bytes for storing memory cache. Mandatory if memqcache_met");
    public static final Param<Long> RELCACHE_EXPIRE = longParam("relcache_expire", 0L, Unit.SECONDS, RESTART,
            "relation cache expiration time in seconds");
    public static final Param<Integer> RELCACHE_SIZE = integer("relcache_size", 256, 0, MAX, Unit.NONE, RESTART,
            "number of relation cache entry");

    // ---------------------------------------------------------------------------------------
    // CONNECTION_CONFIG
    public static final Param<Integer> AUTHENTICATION_TIMEOUT = integer("authentication_timeout", 60, 0, MAX,
            Unit.SECONDS, RESTART, "maximum time in seconds to complete client authentication");
    public static final Param<String> BACKEND_APPLICATION_NAME = perNode(string("backend_application_name", "", RELOAD,
            "application_name for backend #N"));
    public static final Param<String> BACKEND_DATA_DIRECTORY = perNode(string("backend_data_directory", "", RELOAD,
            "data directory for backend #N"));
    public static final Param<java.util.Set<BackendFlag>> BACKEND_FLAG = perNode(define("backend_flag",
            ValueTypes.BackendFlagsType.INSTANCE, "ALLOW_TO_FAILOVER", RELOAD, "backend #N flag", false));
    public static final Param<String> BACKEND_HOSTNAME = perNode(string("backend_hostname", "", RELOAD,
            "backend #N hostname"));
    public static final Param<Integer> BACKEND_PORT = perNode(integer("backend_port", 0, 1024, 65535, Unit.NONE, RELOAD,
            "backend #N port number"));
    public static final Param<Double> BACKEND_WEIGHT = perNode(define("backend_weight",
            new ValueTypes.DoubleType(0.0, 100000000.0), 0.0, "0", RELOAD, "weight of backend #N", false));
    public static final Param<Boolean> ENABLE_POOL_HBA = bool("enable_pool_hba", false, RELOAD,
            "if true, use pool_hba.conf for client authentication");
    public static final Param<String> LISTEN_ADDRESSES = string("listen_addresses", "localhost", RESTART,
            "host name(s) or IP address(es) to listen on");
    public static final Param<Integer> LISTEN_BACKLOG_MULTIPLIER = integer("listen_backlog_multiplier", 2, 1, MAX,
            Unit.NONE, RESTART, "determines the size of the queue for pending connections");
    public static final Param<String> PCP_LISTEN_ADDRESSES = string("pcp_listen_addresses", "localhost", RESTART,
            "host name(s) or IP address(es) for pcp process to listen on");
    public static final Param<Integer> PCP_PORT = integer("pcp_port", 9898, 1024, 65535, Unit.NONE, RESTART,
            "PCP port # to bind");
    public static final Param<String> PCP_SOCKET_DIR = string("pcp_socket_dir", "/tmp", RESTART, "PCP socket directory");
    public static final Param<Integer> PORT = integer("port", 9999, 1024, 65535, Unit.NONE, RESTART,
            "pgpool accepting port number");
    public static final Param<Boolean> SERIALIZE_ACCEPT = bool("serialize_accept", false, RESTART,
            "whether to serialize accept() call");
    /** 4.4+ calls it {@code unix_socket_directories}; both names are accepted. */
    public static final Param<String> SOCKET_DIR = string("socket_dir", "/tmp", RESTART, "pgpool socket directory");
    public static final Param<String> WD_IPC_SOCKET_DIR = string("wd_ipc_socket_dir", "/tmp", RESTART,
            "watchdog ipc socket directory");

    // ---------------------------------------------------------------------------------------
    // CONNECTION_POOL_CONFIG
    public static final Param<Integer> CHILD_LIFE_TIME = integer("child_life_time", 300, 0, MAX, Unit.SECONDS, RESTART,
            "if idle for this seconds, child exits");
    public static final Param<Integer> CHILD_MAX_CONNECTIONS = integer("child_max_connections", 0, 0, MAX, Unit.NONE,
            RESTART, "if max_connections received, child exits");
    public static final Param<Integer> CLIENT_IDLE_LIMIT = integer("client_idle_limit", 0, 0, MAX, Unit.SECONDS, SESSION,
            "if idle for this seconds, child connection closes");
    public static final Param<Boolean> CONNECTION_CACHE = bool("connection_cache", true, RESTART,
            "if true, cache connection pool");
    public static final Param<Integer> CONNECTION_LIFE_TIME = integer("connection_life_time", 0, 0, MAX, Unit.SECONDS,
            RESTART, "if idle for this seconds, connection closes");
    public static final Param<Integer> MAX_POOL = integer("max_pool", 4, 0, MAX, Unit.NONE, RESTART,
            "max # of connection pool per child");
    public static final Param<Integer> NUM_INIT_CHILDREN = integer("num_init_children", 32, 1, MAX, Unit.NONE, RESTART,
            "# of children initially pre-forked");
    /** {@code ;}-separated; {@code \;} keeps a semicolon inside a pattern. */
    public static final Param<List<Pattern>> PRIMARY_ROUTING_QUERY_PATTERN_LIST = patterns(
            "primary_routing_query_pattern_list", ';', RELOAD, "query patterns that should be sent to primary node");
    public static final Param<List<Pattern>> READ_ONLY_FUNCTION_LIST = patterns("read_only_function_list", ',', RELOAD,
            "functions those do not write to database");
    public static final Param<Integer> RESERVED_CONNECTIONS = integer("reserved_connections", 0, 0, MAX, Unit.NONE,
            RESTART, "number of reserved connections");
    public static final Param<List<String>> RESET_QUERY_LIST = define("reset_query_list",
            new ValueTypes.StringListType(';'), "ABORT;DISCARD ALL", RELOAD, "queries issued at the end of session", false);
    public static final Param<List<Pattern>> WRITE_FUNCTION_LIST = patterns("write_function_list", ',', RELOAD,
            "functions those write to database");

    // ---------------------------------------------------------------------------------------
    // FAILOVER_CONFIG
    public static final Param<Boolean> ALLOW_MULTIPLE_FAILOVER_REQUESTS_FROM_NODE =
            bool("allow_multiple_failover_requests_from_node", false, RESTART, "");
    public static final Param<Boolean> AUTO_FAILBACK = bool("auto_failback", false, RELOAD, "auto_failback");
    public static final Param<Integer> AUTO_FAILBACK_INTERVAL = integer("auto_failback_interval", 60, 0, MAX,
            Unit.SECONDS, RELOAD, "auto_failback_interval");
    public static final Param<Boolean> DETACH_FALSE_PRIMARY = bool("detach_false_primary", false, RELOAD,
            "detach false primary");
    public static final Param<Boolean> ENABLE_CONSENSUS_WITH_HALF_VOTES =
            bool("enable_consensus_with_half_votes", false, RESTART, "");
    public static final Param<String> FAILBACK_COMMAND = string("failback_command", "", RELOAD, "failback command");
    public static final Param<String> FAILOVER_COMMAND = string("failover_command", "", RELOAD, "failover command");
    /** Also read under its old name {@code fail_over_on_backend_error} (with a warning). */
    public static final Param<Boolean> FAILOVER_ON_BACKEND_ERROR = bool("failover_on_backend_error", true, RELOAD,
            "failover on backend error");
    public static final Param<Boolean> FAILOVER_ON_BACKEND_SHUTDOWN = bool("failover_on_backend_shutdown", false, RELOAD,
            "failover on backend shutdown");
    public static final Param<Boolean> FAILOVER_REQUIRE_CONSENSUS = bool("failover_require_consensus", true, RESTART, "");
    public static final Param<Boolean> FAILOVER_WHEN_QUORUM_EXISTS = bool("failover_when_quorum_exists", true, RESTART, "");
    public static final Param<String> FOLLOW_PRIMARY_COMMAND = string("follow_primary_command", "", RELOAD,
            "follow primary command");
    public static final Param<Integer> SEARCH_PRIMARY_NODE_TIMEOUT = integer("search_primary_node_timeout", 300, 0, MAX,
            Unit.SECONDS, RELOAD, "max time in seconds to search for primary node after failover");

    // ---------------------------------------------------------------------------------------
    // FILE_LOCATION_CONFIG
    public static final Param<String> PID_FILE_NAME = string("pid_file_name", "/var/run/pgpool/pgpool.pid", RESTART,
            "path to pid file");
    /** Relative to the directory of pgpool.conf; empty disables pool_passwd (SEMANTICS §E.5). */
    public static final Param<String> POOL_PASSWD = string("pool_passwd", "pool_passwd", RESTART,
            "file name of pool_passwd for md5 authentication");

    // ---------------------------------------------------------------------------------------
    // GENERAL_CONFIG
    public static final Param<Boolean> ALLOW_CLEAR_TEXT_FRONTEND_AUTH = bool("allow_clear_text_frontend_auth", false,
            RELOAD, "allow to use clear text password auth when pool_passwd does not contain passwor");
    public static final Param<CheckTempTable> CHECK_TEMP_TABLE = enumeration("check_temp_table", CheckTempTable.class,
            CheckTempTable.CATALOG, Map.of("on", CheckTempTable.CATALOG, "off", CheckTempTable.NONE), RELOAD,
            "enable temporary table check");
    public static final Param<Boolean> CHECK_UNLOGGED_TABLE = bool("check_unlogged_table", true, SESSION,
            "enable unlogged table check");

    // ---------------------------------------------------------------------------------------
    // HEALTH_CHECK_CONFIG: global value plus per-node overrides (SEMANTICS §C.2)
    public static final Param<Integer> CONNECT_TIMEOUT = globalAndPerNode(integer("connect_timeout", 10000, 0, MAX,
            Unit.MILLISECONDS, RELOAD, "connect timeout"));
    public static final Param<String> HEALTH_CHECK_DATABASE = globalAndPerNode(string("health_check_database", "postgres",
            RELOAD, "health check database"));
    public static final Param<Integer> HEALTH_CHECK_MAX_RETRIES = globalAndPerNode(integer("health_check_max_retries", 0,
            0, MAX, Unit.NONE, RELOAD, "health check max retries"));
    public static final Param<String> HEALTH_CHECK_PASSWORD = globalAndPerNode(secret(string("health_check_password", "",
            RELOAD, "health check password")));
    public static final Param<Integer> HEALTH_CHECK_PERIOD = globalAndPerNode(integer("health_check_period", 0, 0, MAX,
            Unit.SECONDS, RELOAD, "health check period"));
    public static final Param<Integer> HEALTH_CHECK_RETRY_DELAY = globalAndPerNode(integer("health_check_retry_delay", 1,
            0, MAX, Unit.SECONDS, RELOAD, "health check retry delay"));
    public static final Param<Boolean> HEALTH_CHECK_TEST = bool("health_check_test", false, RESTART, "");
    public static final Param<Integer> HEALTH_CHECK_TIMEOUT = globalAndPerNode(integer("health_check_timeout", 20, 0, MAX,
            Unit.SECONDS, RELOAD, "health check timeout"));
    public static final Param<String> HEALTH_CHECK_USER = globalAndPerNode(string("health_check_user", "nobody", RELOAD,
            "health check user"));

    // ---------------------------------------------------------------------------------------
    // LOAD_BALANCE_CONFIG
    public static final Param<Boolean> ALLOW_SQL_COMMENTS = bool("allow_sql_comments", false, SESSION,
            "allow SQL comments");
    public static final Param<DisableLoadBalanceOnWrite> DISABLE_LOAD_BALANCE_ON_WRITE = enumeration(
            "disable_load_balance_on_write", DisableLoadBalanceOnWrite.class, DisableLoadBalanceOnWrite.TRANSACTION,
            Map.of(), RELOAD, "Load balance behavior when write query is received");
    public static final Param<Boolean> IGNORE_LEADING_WHITE_SPACE = bool("ignore_leading_white_space", true, RELOAD,
            "ignore leading white spaces");
    public static final Param<Boolean> LOAD_BALANCE_MODE = bool("load_balance_mode", true, RESTART,
            "non 0 if operating in load balancing mode");
    public static final Param<RelcacheQueryTarget> RELCACHE_QUERY_TARGET = enumeration("relcache_query_target",
            RelcacheQueryTarget.class, RelcacheQueryTarget.PRIMARY, Map.of(), RELOAD, "Target node to send relcache queries");
    public static final Param<Boolean> STATEMENT_LEVEL_LOAD_BALANCE = bool("statement_level_load_balance", false, RELOAD,
            "statement level load balancing");

    // ---------------------------------------------------------------------------------------
    // LOGGING_CONFIG
    public static final Param<MessageLevel> CLIENT_MIN_MESSAGES = enumeration("client_min_messages", MessageLevel.class,
            MessageLevel.NOTICE, Map.of("debug", MessageLevel.DEBUG2), SESSION,
            "controls which message should be sent to client");
    public static final Param<Boolean> LOG_CLIENT_MESSAGES = bool("log_client_messages", false, SESSION,
            "if non 0, logs any client messages");
    public static final Param<Boolean> LOG_CONNECTIONS = bool("log_connections", false, RELOAD,
            "if true, print incoming connections to the log");
    public static final Param<String> LOG_DESTINATION = define("log_destination",
            new ValueTypes.CheckedStringType(LogDestination::parseList), "stderr", "stderr", RELOAD,
            "logging destination", false);
    public static final Param<String> LOG_DIRECTORY = string("log_directory", "/tmp/pgpool_logs", RESTART, "");
    public static final Param<Boolean> LOG_DISCONNECTIONS = bool("log_disconnections", false, RELOAD,
            "if true, print closing connections to the log");
    public static final Param<LogErrorVerbosity> LOG_ERROR_VERBOSITY = enumeration("log_error_verbosity",
            LogErrorVerbosity.class, LogErrorVerbosity.DEFAULT, Map.of(), SESSION,
            "controls how much detail about error should be emitted");
    public static final Param<Integer> LOG_FILE_MODE = define("log_file_mode",
            ValueTypes.WholeType.ofInt(0, MAX, Unit.NONE), 0600, "0600", RESTART, "", false);
    public static final Param<String> LOG_FILENAME = string("log_filename", "pgpool-%Y-%m-%d_%H%M%S.log", RESTART, "");
    public static final Param<Boolean> LOG_HOSTNAME = bool("log_hostname", false, RELOAD,
            "if true, resolve hostname for ps and log print");
    public static final Param<String> LOG_LINE_PREFIX = string("log_line_prefix", "%m: %a pid %p: ", RELOAD,
            "printf-style string to output at beginning of each log line");
    public static final Param<MessageLevel> LOG_MIN_MESSAGES = enumeration("log_min_messages", MessageLevel.class,
            MessageLevel.WARNING, Map.of("debug", MessageLevel.DEBUG2), SESSION,
            "controls which message should be emitted to server log");
    public static final Param<Boolean> LOG_PER_NODE_STATEMENT = bool("log_per_node_statement", false, SESSION,
            "if non 0, logs all SQL statements on each node");
    public static final Param<Integer> LOG_ROTATION_AGE = integer("log_rotation_age", 1440, 0, MAX, Unit.MINUTES, RESTART, "");
    public static final Param<Integer> LOG_ROTATION_SIZE = integer("log_rotation_size", 10240, 0, MAX / 1024,
            Unit.KILOBYTES, RESTART, "");
    public static final Param<Boolean> LOG_STATEMENT = bool("log_statement", false, SESSION,
            "if non 0, logs all SQL statements");
    public static final Param<Boolean> LOG_TRUNCATE_ON_ROTATION = bool("log_truncate_on_rotation", false, RESTART, "");
    public static final Param<String> LOGDIR = string("logdir", "/tmp", RESTART, "PgPool status file logging directory");
    public static final Param<Boolean> LOGGING_COLLECTOR = bool("logging_collector", false, RESTART, "");
    public static final Param<Boolean> NOTICE_PER_NODE_STATEMENT = bool("notice_per_node_statement", false, SESSION, "");
    /** Still in 4.3's table but without effect since 4.2 (backend_clustering_mode replaced it). */
    public static final Param<Boolean> REPLICATION_MODE = bool("replication_mode", false, RESTART, "");
    public static final Param<SyslogFacility> SYSLOG_FACILITY = enumeration("syslog_facility", SyslogFacility.class,
            SyslogFacility.LOCAL0, Map.of(), RELOAD, "syslog local facility");
    public static final Param<String> SYSLOG_IDENT = string("syslog_ident", "pgpool", RELOAD,
            "syslog program ident string");

    // ---------------------------------------------------------------------------------------
    // MAIN_REPLICA_CONFIG
    public static final Param<ClusteringMode> BACKEND_CLUSTERING_MODE = enumeration("backend_clustering_mode",
            ClusteringMode.class, ClusteringMode.STREAMING_REPLICATION, Map.of(), RESTART, "clustering mode");
    public static final Param<LogStandbyDelay> LOG_STANDBY_DELAY = enumeration("log_standby_delay",
            LogStandbyDelay.class, LogStandbyDelay.IF_OVER_THRESHOLD, Map.of(), RELOAD, "how to log standby delay");

    // ---------------------------------------------------------------------------------------
    // RECOVERY_CONFIG
    public static final Param<Integer> CLIENT_IDLE_LIMIT_IN_RECOVERY = integer("client_idle_limit_in_recovery", 0, -1, MAX,
            Unit.SECONDS, SESSION, "if idle for this seconds, child connection closes in recovery 2nd stage");
    public static final Param<String> RECOVERY_1ST_STAGE_COMMAND = string("recovery_1st_stage_command", "", RELOAD,
            "execute a command in first stage.");
    public static final Param<String> RECOVERY_2ND_STAGE_COMMAND = string("recovery_2nd_stage_command", "", RELOAD,
            "execute a command in second stage.");
    public static final Param<String> RECOVERY_PASSWORD = secret(string("recovery_password", "", RELOAD, ""));
    public static final Param<Integer> RECOVERY_TIMEOUT = integer("recovery_timeout", 90, 0, MAX, Unit.SECONDS, RELOAD,
            "max time in seconds to wait for the recovering node's postmaster");
    public static final Param<String> RECOVERY_USER = string("recovery_user", "nobody", RELOAD, "online recovery user");

    // ---------------------------------------------------------------------------------------
    // REPLICATION_CONFIG
    public static final Param<Boolean> FAILOVER_IF_AFFECTED_TUPLES_MISMATCH = bool("failover_if_affected_tuples_mismatch",
            false, RELOAD, "failover if affected tuples are mismatch");
    public static final Param<Boolean> INSERT_LOCK = bool("insert_lock", true, RELOAD, "insert lock");
    public static final Param<String> LOBJ_LOCK_TABLE = string("lobj_lock_table", "", RELOAD,
            "table name used for large object replication control");
    public static final Param<Boolean> REPLICATE_SELECT = bool("replicate_select", false, RELOAD,
            "non 0 if SELECT statement is replicated");
    public static final Param<Boolean> REPLICATION_STOP_ON_MISMATCH = bool("replication_stop_on_mismatch", false, RELOAD,
            "stop replication mode on fatal error");

    // ---------------------------------------------------------------------------------------
    // SSL_CONFIG
    public static final Param<Boolean> SSL = bool("ssl", false, RESTART, "SSL support");
    public static final Param<String> SSL_CA_CERT = string("ssl_ca_cert", "", RESTART,
            "single PEM format file containing CA root certificate(s)");
    public static final Param<String> SSL_CA_CERT_DIR = string("ssl_ca_cert_dir", "", RESTART,
            "directory containing CA root certificate(s)");
    public static final Param<String> SSL_CERT = string("ssl_cert", "", RESTART, "SSL public certificate file");
    public static final Param<String> SSL_CIPHERS = string("ssl_ciphers", "HIGH:MEDIUM:+3DES:!aNULL", RESTART,
            "allowed SSL ciphers");
    public static final Param<String> SSL_CRL_FILE = string("ssl_crl_file", "", RESTART,
            "SSL certificate revocation list file");
    public static final Param<String> SSL_DH_PARAMS_FILE = string("ssl_dh_params_file", "", RESTART,
            "path to the Diffie-Hellman parameters contained file");
    public static final Param<String> SSL_ECDH_CURVE = string("ssl_ecdh_curve", "prime256v1", RESTART,
            "the curve to use in ECDH key exchange");
    public static final Param<String> SSL_KEY = string("ssl_key", "", RESTART, "SSL private key file");
    public static final Param<String> SSL_PASSPHRASE_COMMAND = string("ssl_passphrase_command", "", RESTART,
            "external command to be invoked when a passphrase for decrypting an SSL file suc");
    public static final Param<Boolean> SSL_PREFER_SERVER_CIPHERS = bool("ssl_prefer_server_ciphers", false, RESTART,
            "Use server's SSL cipher preferences");
    /** jpgpool's own: TLS policy for connections to backends while ssl = on (Pgpool-II 4.3 always "prefers"). */
    public static final Param<BackendSslMode> BACKEND_SSLMODE = enumeration("backend_sslmode", BackendSslMode.class,
            BackendSslMode.PREFER, Map.of(), RESTART, "TLS to backends: disable, prefer, require, verify-ca, verify-full");

    // ---------------------------------------------------------------------------------------
    // STREAMING_REPLICATION_CONFIG
    public static final Param<List<RedirectRule>> APP_NAME_REDIRECT_PREFERENCE_LIST = define(
            "app_name_redirect_preference_list", ValueTypes.RedirectListType.INSTANCE, null, RELOAD,
            "redirect by application name", false);
    public static final Param<List<RedirectRule>> DATABASE_REDIRECT_PREFERENCE_LIST = define(
            "database_redirect_preference_list", ValueTypes.RedirectListType.INSTANCE, null, RELOAD,
            "redirect by database name", false);
    public static final Param<Long> DELAY_THRESHOLD = longParam("delay_threshold", 0L, Unit.BYTES, RELOAD,
            "standby delay threshold");
    public static final Param<String> DML_ADAPTIVE_OBJECT_RELATIONSHIP_LIST = define(
            "dml_adaptive_object_relationship_list", new ValueTypes.CheckedStringType(ObjectRelationship::parseList),
            null, null, RELOAD, "list of relationships between objects", false);
    public static final Param<Boolean> PREFER_LOWER_DELAY_STANDBY = bool("prefer_lower_delay_standby", false, RELOAD,
            "load balancing considering streaming delay");
    public static final Param<String> SR_CHECK_DATABASE = string("sr_check_database", "postgres", RELOAD,
            "sr check database");
    public static final Param<String> SR_CHECK_PASSWORD = secret(string("sr_check_password", "", RELOAD,
            "sr check password"));
    public static final Param<Integer> SR_CHECK_PERIOD = integer("sr_check_period", 10, 0, MAX, Unit.SECONDS, RELOAD,
            "sr check period");
    public static final Param<String> SR_CHECK_USER = string("sr_check_user", "nobody", RELOAD, "sr check user");

    // ---------------------------------------------------------------------------------------
    // WATCHDOG_CONFIG (known, not supported)
    public static final Param<String> ARPING_CMD = string("arping_cmd",
            "/usr/bin/sudo /usr/sbin/arping -U $_IP_$ -w 1 -I eth0", RESTART, "send ARP REQUEST to neighbour host");
    public static final Param<String> ARPING_PATH = string("arping_path", "/usr/sbin", RESTART, "path to arping command");
    public static final Param<Boolean> CLEAR_MEMQCACHE_ON_ESCALATION = bool("clear_memqcache_on_escalation", true, RELOAD,
            "If true, clear all the query caches in shared memory when escalation occurs");
    public static final Param<String> DELEGATE_IP = string("delegate_IP", "", RESTART,
            "delegate IP address of leader pgpool");
    public static final Param<String> HOSTNAME = perNode(string("hostname", "localhost", RELOAD,
            "hostname or IP address of pgpool node #N"));
    public static final Param<String> IF_CMD_PATH = string("if_cmd_path", "/sbin", RESTART,
            "path to interface up/down command");
    public static final Param<String> IF_DOWN_CMD = string("if_down_cmd",
            "/usr/bin/sudo /sbin/ip addr del $_IP_$/24 dev eth0", RESTART,
            "virtual interface down command with full parameters");
    public static final Param<String> IF_UP_CMD = string("if_up_cmd",
            "/usr/bin/sudo /sbin/ip addr add $_IP_$/24 dev eth0 label eth0:0", RESTART,
            "virtual interface up command with full parameters");
    public static final Param<Integer> PGPOOL_PORT = perNode(integer("pgpool_port", 0, 1024, 65535, Unit.NONE, RELOAD,
            "pgpool port number of pgpool node #N"));
    public static final Param<String> PING_PATH = string("ping_path", "/bin", RESTART, "path to ping command");
    public static final Param<String> TRUSTED_SERVERS = string("trusted_servers", "", RESTART,
            "upper server list to observe connection");
    public static final Param<Boolean> USE_WATCHDOG = bool("use_watchdog", false, RESTART,
            "non 0 if operating in use_watchdog");
    public static final Param<String> WD_AUTHKEY = secret(string("wd_authkey", "", RELOAD, ""));
    public static final Param<String> WD_DE_ESCALATION_COMMAND = string("wd_de_escalation_command", "", RELOAD,
            "command executed when leader pgpool resigns occurs");
    public static final Param<String> WD_ESCALATION_COMMAND = string("wd_escalation_command", "", RELOAD,
            "command executed when escalation occurs");
    public static final Param<Integer> WD_HEARTBEAT_DEADTIME = integer("wd_heartbeat_deadtime", 30, 1, MAX, Unit.SECONDS,
            RESTART, "deadtime interval for heartbeat signal (sec)");
    public static final Param<Integer> WD_HEARTBEAT_KEEPALIVE = integer("wd_heartbeat_keepalive", 2, 1, MAX,
            Unit.SECONDS, RESTART, "interval time of sending heartbeat signal (sec)");
    public static final Param<Integer> WD_INTERVAL = integer("wd_interval", 10, 0, MAX, Unit.SECONDS, RESTART,
            "life check interval (second)");
    public static final Param<Integer> WD_LIFE_POINT = integer("wd_life_point", 3, 0, MAX, Unit.NONE, RESTART,
            "retry times of life check");
    public static final Param<String> WD_LIFECHECK_DBNAME = string("wd_lifecheck_dbname", "template1", RELOAD,
            "database name connected for lifecheck");
    public static final Param<WdLifecheckMethod> WD_LIFECHECK_METHOD = enumeration("wd_lifecheck_method",
            WdLifecheckMethod.class, WdLifecheckMethod.HEARTBEAT, Map.of(), RESTART, "method of watchdog lifecheck");
    public static final Param<String> WD_LIFECHECK_PASSWORD = secret(string("wd_lifecheck_password", "", RELOAD,
            "password for watchdog user in lifecheck"));
    public static final Param<String> WD_LIFECHECK_QUERY = string("wd_lifecheck_query", "SELECT 1", RESTART,
            "lifecheck query to pgpool from watchdog");
    public static final Param<String> WD_LIFECHECK_USER = string("wd_lifecheck_user", "nobody", RELOAD,
            "watchdog user monitoring pgpools in lifecheck");
    public static final Param<Integer> WD_LOST_NODE_REMOVAL_TIMEOUT = integer("wd_lost_node_removal_timeout", 0, 0, MAX,
            Unit.SECONDS, RELOAD, "");
    public static final Param<List<String>> WD_MONITORING_INTERFACES_LIST = define("wd_monitoring_interfaces_list",
            new ValueTypes.StringListType(','), "", RESTART, "interfaces to monitor by watchdog", false);
    public static final Param<Integer> WD_NO_SHOW_NODE_REMOVAL_TIMEOUT = integer("wd_no_show_node_removal_timeout", 0, 0,
            MAX, Unit.SECONDS, RELOAD, "");
    public static final Param<Integer> WD_PORT = perNode(integer("wd_port", 0, 1024, 65535, Unit.NONE, RELOAD,
            "watchdog port number of pgpool node #N"));
    public static final Param<Integer> WD_PRIORITY = integer("wd_priority", 1, 0, MAX, Unit.NONE, RESTART,
            "watchdog priority");
    public static final Param<Boolean> WD_REMOVE_SHUTDOWN_NODES = bool("wd_remove_shutdown_nodes", false, RELOAD, "");

    // ---------------------------------------------------------------------------------------
    // WATCHDOG_LIFECHECK (known, not supported)
    public static final Param<String> HEARTBEAT_DEVICE = perNode(string("heartbeat_device", "", RELOAD,
            "name of NIC device for sending hearbeat to pgpool node #N"));
    public static final Param<String> HEARTBEAT_HOSTNAME = perNode(string("heartbeat_hostname", "", RELOAD,
            "destination IP address or hostname for sending heartbeat to pgpool node #N"));
    public static final Param<Integer> HEARTBEAT_PORT = perNode(integer("heartbeat_port", 0, 1024, 65535, Unit.NONE,
            RELOAD, "destination port for sending heartbeat to pgpool node #N"));

    // ---------------------------------------------------------------------------------------
    // METRICS (jpgpool's own): the Prometheus endpoint, off while metrics_port is 0
    public static final Param<String> METRICS_LISTEN_ADDRESSES = string("metrics_listen_addresses", "localhost",
            RESTART, "host name(s) or IP address(es) the metrics endpoint listens on");
    public static final Param<Integer> METRICS_PORT = integer("metrics_port", 0, 0, 65535, Unit.NONE, RESTART,
            "port of the Prometheus metrics endpoint (/metrics); 0 = off");
    public static final Param<Integer> CONNECTION_QUEUE_TIMEOUT = integer("connection_queue_timeout", 60, 0, MAX,
            Unit.SECONDS, RELOAD, "how long a client beyond num_init_children waits for a free slot; 0 = no limit");

    // ---------------------------------------------------------------------------------------
    // Names that are not parameters of their own.

    /** Old names read as the new ones, with a warning (SEMANTICS Appendix 2). */
    static final Map<String, String> DEPRECATED_ALIASES = Map.of(
            "fail_over_on_backend_error", "failover_on_backend_error",
            "white_function_list", "read_only_function_list",
            "black_function_list", "write_function_list",
            "black_query_pattern_list", "primary_routing_query_pattern_list",
            "follow_master_command", "follow_primary_command",
            "white_memqcache_table_list", "cache_safe_memqcache_table_list",
            "black_memqcache_table_list", "cache_unsafe_memqcache_table_list");

    /** Newer spellings accepted silently. */
    static final Map<String, String> ALIASES = Map.of("unix_socket_directories", "socket_dir");

    /** Names removed before 4.3 that are accepted and ignored with a warning. */
    static final Map<String, String> OBSOLETE = Map.of(
            "replication_mode", "has no effect since Pgpool-II 4.2; use backend_clustering_mode",
            "master_slave_mode", "was removed in Pgpool-II 4.2 and is ignored; use backend_clustering_mode",
            "master_slave_sub_mode", "was removed in Pgpool-II 4.2 and is ignored; use backend_clustering_mode");

    private static final Pattern INDEXED = Pattern.compile("([a-z_]+?)(\\d+)");

    private Params() {
    }

    /** Every parameter, in the order of PGPOOL_PARAMS. */
    public static Collection<Param<?>> all() {
        return Collections.unmodifiableCollection(REGISTRY.values());
    }

    /** A parameter by its name (any case), without index; old names are not resolved. */
    public static Optional<Param<?>> byName(String name) {
        return Optional.ofNullable(REGISTRY.get(name.toLowerCase(Locale.ROOT)));
    }

    /** A parameter name with its node index (-1 for the global form). */
    record Ref(Param<?> param, int index) {
        String key() {
            return index < 0 ? param.key() : param.key() + index;
        }
    }

    /**
     * Resolves a lower-case name as written in pgpool.conf ({@code port}, {@code backend_port1},
     * {@code health_check_period0}) after alias mapping. The index may be out of range; the caller checks.
     */
    static Optional<Ref> resolve(String name) {
        Param<?> p = REGISTRY.get(name);
        if (p != null) {
            return Optional.of(new Ref(p, -1));
        }
        Matcher m = INDEXED.matcher(name);
        if (m.matches()) {
            Param<?> base = REGISTRY.get(m.group(1));
            if (base != null && base.perNode() && m.group(2).length() <= 9) {
                return Optional.of(new Ref(base, Integer.parseInt(m.group(2))));
            }
        }
        return Optional.empty();
    }

    // --- definitions -----------------------------------------------------------------------

    private static <T> Param<T> define(String name, ValueType<T> type, T defaultValue, String defaultText,
                                       Context context, String description, boolean secret) {
        Param<T> p = new Param<>(name, type, defaultText, defaultValue, context, description,
                SUPPORTED.contains(name), Scope.GLOBAL, secret);
        REGISTRY.put(p.key(), p);
        return p;
    }

    /** A parameter whose default is given as pgpool.conf text (lists, flags); null = unset. */
    private static <T> Param<T> define(String name, ValueType<T> type, String defaultText, Context context,
                                       String description, boolean secret) {
        T value;
        try {
            value = defaultText == null ? type.parse("", w -> { }) : type.parse(defaultText, w -> { });
        } catch (InvalidValueException e) {
            throw new IllegalStateException("bad default for " + name, e);
        }
        return define(name, type, value, defaultText, context, description, secret);
    }

    private static Param<Boolean> bool(String name, boolean def, Context context, String description) {
        return define(name, ValueTypes.BoolType.INSTANCE, def, def ? "on" : "off", context, description, false);
    }

    private static Param<Integer> integer(String name, int def, int min, int max, Unit unit, Context context,
                                          String description) {
        return define(name, ValueTypes.WholeType.ofInt(min, max, unit), def, Integer.toString(def), context,
                description, false);
    }

    private static Param<Long> longParam(String name, long def, Unit unit, Context context, String description) {
        return define(name, ValueTypes.WholeType.ofLong(0, Long.MAX_VALUE, unit), def, Long.toString(def), context,
                description, false);
    }

    private static Param<String> string(String name, String def, Context context, String description) {
        return define(name, ValueTypes.StringType.INSTANCE, def, def, context, description, false);
    }

    private static Param<List<Pattern>> patterns(String name, char sep, Context context, String description) {
        // only primary_routing_query_pattern_list lets "\;" escape its separator (pgpool does the same)
        return define(name, new ValueTypes.PatternListType(sep, sep == ';'), "", context, description, false);
    }

    private static <E extends Enum<E> & PgpoolEnum> Param<E> enumeration(String name, Class<E> type, E def,
                                                                         Map<String, E> aliases, Context context,
                                                                         String description) {
        return define(name, new ValueTypes.EnumType<>(type, aliases), def, def.pgpoolName(), context, description,
                false);
    }

    private static <T> Param<T> perNode(Param<T> p) {
        return rescope(p, Scope.PER_NODE, p.secret());
    }

    private static <T> Param<T> globalAndPerNode(Param<T> p) {
        return rescope(p, Scope.GLOBAL_AND_PER_NODE, p.secret());
    }

    private static <T> Param<T> secret(Param<T> p) {
        return rescope(p, p.scope(), true);
    }

    private static <T> Param<T> rescope(Param<T> p, Scope scope, boolean secret) {
        Param<T> q = new Param<>(p.name(), p.valueType(), p.rawDefault(), p.defaultValue(), p.context(),
                p.description(), p.supported(), scope, secret);
        REGISTRY.put(q.key(), q);
        return q;
    }
}
