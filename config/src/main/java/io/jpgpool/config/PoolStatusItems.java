package io.jpgpool.config;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of {@code pcp_pool_status} and {@code SHOW pool_status}: item, value, description, in
 * the order the real 4.3.5 server sends them (PCP_SPEC Appendix A). Password rows are never
 * sent; watchdog rows only for configured watchdog / heartbeat nodes; the per-backend rows for
 * every configured backend.
 */
public final class PoolStatusItems {

    /** pgpool copies descriptions into an 80-byte buffer, values into 512 bytes. */
    static final int MAX_DESCRIPTION = 79;
    static final int MAX_VALUE = 511;

    /** One row. */
    public record Row(String item, String value, String description) {
    }

    /** The values pool_status shows that are not configuration. */
    public interface RuntimeState {

        /** Status name of a backend as in PCP_SPEC §8.1: up, waiting, down, quarantine, unused. */
        String backendStatus(int nodeId);

        /** Last measured replication delay of a backend (bytes). */
        long standbyDelay(int nodeId);

        /** When the query-cache statistics were started (pgpool: its start time). */
        Instant memqcacheStatsStartTime();

        default long memqcacheNoCacheHits() {
            return 0;
        }

        default long memqcacheCacheHits() {
            return 0;
        }

        /** Time zone for {@code memqcache_stats_start_time} (pgpool prints local time). */
        default ZoneId zone() {
            return ZoneId.systemDefault();
        }

        /** This pgpool's watchdog node id; its watchdog rows get the "local" descriptions. */
        default int pgpoolNodeId() {
            return 0;
        }
    }

    // C's ctime(): "Sun Nov 22 01:38:46 2026\n", day of month padded with a space
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private final PgpoolConfig config;
    private final RuntimeState runtime;
    private final List<Row> rows = new ArrayList<>();

    private PoolStatusItems(PgpoolConfig config, RuntimeState runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    /** The rows for {@code config} (152 with two backends and no watchdog nodes). */
    public static List<Row> rows(PgpoolConfig config, RuntimeState runtime) {
        PoolStatusItems items = new PoolStatusItems(config, runtime);
        items.build();
        return List.copyOf(items.rows);
    }

    private void build() {
        params(Params.BACKEND_CLUSTERING_MODE, Params.LISTEN_ADDRESSES, Params.PORT, Params.SOCKET_DIR,
                Params.PCP_LISTEN_ADDRESSES, Params.PCP_PORT, Params.PCP_SOCKET_DIR, Params.ENABLE_POOL_HBA,
                Params.POOL_PASSWD, Params.AUTHENTICATION_TIMEOUT, Params.ALLOW_CLEAR_TEXT_FRONTEND_AUTH,
                Params.SSL, Params.SSL_KEY, Params.SSL_CERT, Params.SSL_CA_CERT, Params.SSL_CA_CERT_DIR,
                Params.SSL_CRL_FILE, Params.SSL_CIPHERS, Params.SSL_PREFER_SERVER_CIPHERS, Params.SSL_ECDH_CURVE,
                Params.SSL_DH_PARAMS_FILE, Params.SSL_PASSPHRASE_COMMAND,
                Params.NUM_INIT_CHILDREN, Params.LISTEN_BACKLOG_MULTIPLIER, Params.SERIALIZE_ACCEPT,
                Params.RESERVED_CONNECTIONS, Params.MAX_POOL, Params.CHILD_LIFE_TIME, Params.CHILD_MAX_CONNECTIONS,
                Params.CONNECTION_LIFE_TIME, Params.CLIENT_IDLE_LIMIT,
                Params.LOG_DESTINATION, Params.LOG_LINE_PREFIX, Params.LOG_ERROR_VERBOSITY, Params.CLIENT_MIN_MESSAGES,
                Params.LOG_MIN_MESSAGES, Params.LOG_CONNECTIONS, Params.LOG_DISCONNECTIONS, Params.LOG_HOSTNAME,
                Params.LOG_STATEMENT, Params.LOG_PER_NODE_STATEMENT, Params.LOG_CLIENT_MESSAGES,
                Params.LOG_STANDBY_DELAY, Params.SYSLOG_FACILITY, Params.SYSLOG_IDENT,
                Params.PID_FILE_NAME, Params.LOGDIR, Params.CONNECTION_CACHE, Params.RESET_QUERY_LIST,
                Params.REPLICATE_SELECT, Params.INSERT_LOCK, Params.LOBJ_LOCK_TABLE,
                Params.REPLICATION_STOP_ON_MISMATCH, Params.FAILOVER_IF_AFFECTED_TUPLES_MISMATCH,
                Params.LOAD_BALANCE_MODE, Params.IGNORE_LEADING_WHITE_SPACE, Params.READ_ONLY_FUNCTION_LIST,
                Params.WRITE_FUNCTION_LIST, Params.PRIMARY_ROUTING_QUERY_PATTERN_LIST,
                Params.DISABLE_LOAD_BALANCE_ON_WRITE, Params.DML_ADAPTIVE_OBJECT_RELATIONSHIP_LIST,
                Params.STATEMENT_LEVEL_LOAD_BALANCE,
                Params.SR_CHECK_PERIOD, Params.SR_CHECK_USER, Params.SR_CHECK_PASSWORD, Params.SR_CHECK_DATABASE,
                Params.DELAY_THRESHOLD, Params.PREFER_LOWER_DELAY_STANDBY, Params.FOLLOW_PRIMARY_COMMAND,
                Params.DATABASE_REDIRECT_PREFERENCE_LIST, Params.APP_NAME_REDIRECT_PREFERENCE_LIST,
                Params.ALLOW_SQL_COMMENTS,
                Params.HEALTH_CHECK_PERIOD, Params.HEALTH_CHECK_TIMEOUT, Params.HEALTH_CHECK_USER,
                Params.HEALTH_CHECK_PASSWORD, Params.HEALTH_CHECK_DATABASE, Params.HEALTH_CHECK_MAX_RETRIES,
                Params.HEALTH_CHECK_RETRY_DELAY, Params.CONNECT_TIMEOUT,
                Params.FAILOVER_COMMAND, Params.FAILBACK_COMMAND, Params.FAILOVER_ON_BACKEND_ERROR,
                Params.FAILOVER_ON_BACKEND_SHUTDOWN, Params.DETACH_FALSE_PRIMARY, Params.AUTO_FAILBACK,
                Params.AUTO_FAILBACK_INTERVAL,
                Params.RECOVERY_USER, Params.RECOVERY_1ST_STAGE_COMMAND, Params.RECOVERY_2ND_STAGE_COMMAND,
                Params.RECOVERY_TIMEOUT, Params.SEARCH_PRIMARY_NODE_TIMEOUT, Params.CLIENT_IDLE_LIMIT_IN_RECOVERY,
                Params.RELCACHE_EXPIRE, Params.RELCACHE_SIZE, Params.CHECK_TEMP_TABLE, Params.CHECK_UNLOGGED_TABLE,
                Params.ENABLE_SHARED_RELCACHE, Params.RELCACHE_QUERY_TARGET,
                Params.USE_WATCHDOG, Params.WD_IPC_SOCKET_DIR, Params.WD_LIFECHECK_METHOD,
                Params.CLEAR_MEMQCACHE_ON_ESCALATION, Params.WD_ESCALATION_COMMAND, Params.WD_DE_ESCALATION_COMMAND,
                Params.TRUSTED_SERVERS, Params.DELEGATE_IP, Params.WD_PRIORITY, Params.WD_INTERVAL, Params.PING_PATH,
                Params.IF_CMD_PATH, Params.IF_UP_CMD, Params.IF_DOWN_CMD, Params.ARPING_PATH, Params.ARPING_CMD,
                Params.WD_HEARTBEAT_KEEPALIVE, Params.WD_HEARTBEAT_DEADTIME, Params.WD_LIFE_POINT,
                Params.WD_LIFECHECK_QUERY, Params.WD_LIFECHECK_DBNAME, Params.WD_LIFECHECK_USER,
                Params.WD_LIFECHECK_PASSWORD);
        watchdogNodes();
        heartbeats();
        params(Params.WD_MONITORING_INTERFACES_LIST, Params.MEMORY_CACHE_ENABLED, Params.MEMQCACHE_METHOD,
                Params.MEMQCACHE_MEMCACHED_HOST, Params.MEMQCACHE_MEMCACHED_PORT, Params.MEMQCACHE_TOTAL_SIZE,
                Params.MEMQCACHE_MAX_NUM_CACHE, Params.MEMQCACHE_EXPIRE, Params.MEMQCACHE_AUTO_CACHE_INVALIDATION,
                Params.MEMQCACHE_MAXCACHE, Params.MEMQCACHE_CACHE_BLOCK_SIZE);
        // the item is called memqcache_cache_oiddir although the parameter is memqcache_oiddir
        add("memqcache_cache_oiddir", value(Params.MEMQCACHE_OIDDIR, -1), Params.MEMQCACHE_OIDDIR.description());
        add("memqcache_stats_start_time",
                CTIME.format(runtime.memqcacheStatsStartTime().atZone(runtime.zone())) + "\n",
                "Start time of query cache stats");
        add("memqcache_no_cache_hits", Long.toString(runtime.memqcacheNoCacheHits()),
                "Number of SELECTs not hitting query cache");
        add("memqcache_cache_hits", Long.toString(runtime.memqcacheCacheHits()), "Number of SELECTs hitting query cache");
        params(Params.CACHE_SAFE_MEMQCACHE_TABLE_LIST, Params.CACHE_UNSAFE_MEMQCACHE_TABLE_LIST);
        backends();
    }

    private void params(Param<?>... params) {
        for (Param<?> p : params) {
            if (!p.secret()) { // the password rows are compiled out of pgpool (#ifdef NOT_USED)
                add(p.name(), value(p, -1), p.description());
            }
        }
    }

    private String value(Param<?> p, int node) {
        return config.poolStatusValue(p, node);
    }

    private void watchdogNodes() {
        for (int n = 0; n < PgpoolConfig.MAX_BACKENDS; n++) {
            if (config.get(Params.PGPOOL_PORT, n) == 0) {
                continue;
            }
            boolean local = n == runtime.pgpoolNodeId();
            perNode(Params.HOSTNAME, n, local ? "hostname or IP address of local pgpool node" : null);
            perNode(Params.PGPOOL_PORT, n, local ? "local pgpool port number" : null);
            perNode(Params.WD_PORT, n, local ? "local watchdog port number" : null);
        }
    }

    private void heartbeats() {
        for (int n = 0; n < PgpoolConfig.MAX_BACKENDS; n++) {
            if (config.get(Params.HEARTBEAT_PORT, n) == 0) {
                continue;
            }
            boolean local = n == runtime.pgpoolNodeId();
            perNode(Params.HEARTBEAT_HOSTNAME, n, local ? "IP address or hostname for receiving heartbeat" : null);
            perNode(Params.HEARTBEAT_DEVICE, n, local ? "name of NIC device for receiving hearbeat" : null);
            perNode(Params.HEARTBEAT_PORT, n, local ? "port number for receiving heartbeat" : null);
        }
    }

    private void perNode(Param<?> p, int node, String description) {
        add(p.nameFor(node), value(p, node), description != null ? description : p.description(node));
    }

    private void backends() {
        for (BackendConfig b : config.backends()) {
            int n = b.nodeId();
            add(Params.BACKEND_HOSTNAME.nameFor(n), b.hostname(), Params.BACKEND_HOSTNAME.description(n));
            add(Params.BACKEND_PORT.nameFor(n), Integer.toString(b.port()), Params.BACKEND_PORT.description(n));
            double total = config.backends().stream().mapToDouble(BackendConfig::weight).sum();
            // pgpool prints weight / RAND_MAX after normalising to RAND_MAX * w / sum: w / sum with "%f"
            String weight = total == 0 ? "nan" : String.format(Locale.ROOT, "%f", b.weight() / total);
            add(Params.BACKEND_WEIGHT.nameFor(n), weight, Params.BACKEND_WEIGHT.description(n));
            add(Params.BACKEND_DATA_DIRECTORY.nameFor(n), b.dataDirectory(), Params.BACKEND_DATA_DIRECTORY.description(n));
            add("backend_status" + n, runtime.backendStatus(n), "status of backend #" + n);
            add("standby_delay" + n, Long.toUnsignedString(runtime.standbyDelay(n)), "standby delay of backend #" + n);
            add(Params.BACKEND_FLAG.nameFor(n), b.flagText(), Params.BACKEND_FLAG.description(n));
            add(Params.BACKEND_APPLICATION_NAME.nameFor(n), b.applicationName(),
                    Params.BACKEND_APPLICATION_NAME.description(n));
        }
    }

    private void add(String item, String value, String description) {
        rows.add(new Row(item, cut(value, MAX_VALUE), cut(description, MAX_DESCRIPTION)));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
