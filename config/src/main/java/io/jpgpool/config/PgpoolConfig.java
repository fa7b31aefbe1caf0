package io.jpgpool.config;

import io.jpgpool.config.ConfigFileReader.Assignment;
import io.jpgpool.config.Param.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A pgpool.conf, read and checked: typed, immutable settings. Values are read with the typed
 * getters ({@link #port()}, {@link #backends()}...) or generically with {@link #get(Param)}.
 *
 * <p>Durations and sizes are returned in the parameter's own unit ({@link Param#unit()}), as pgpool
 * names them: {@code health_check_period} in seconds, {@code connect_timeout} in milliseconds,
 * {@code delay_threshold} in bytes.
 */
public final class PgpoolConfig {

    /** pgpool's MAX_NUM_BACKENDS (and MAX_WATCHDOG_NUM): node indexes are 0..127. */
    public static final int MAX_BACKENDS = 128;

    /** What pgpool uses for an empty {@code backend_hostnameN}: PostgreSQL's default socket directory. */
    static final String DEFAULT_SOCKET_DIR = "/tmp";

    private final Path file;
    private final List<Assignment> source;
    private final Map<String, Setting> settings;
    private final List<ConfigWarning> warnings;
    private final List<BackendConfig> backends;
    /** Read for every client message, so read once. */
    private final boolean logStatement;

    private PgpoolConfig(Path file, List<Assignment> source) throws ConfigException {
        this.file = file;
        this.source = List.copyOf(source);
        ConfigAssembler.Result result = ConfigAssembler.assemble(this.source);
        this.settings = result.settings();
        this.warnings = result.warnings();
        this.backends = buildBackends();
        this.logStatement = get(Params.LOG_STATEMENT);
    }

    // --- construction ----------------------------------------------------------------------

    /** Reads a pgpool.conf; {@code include} paths are relative to its directory. */
    public static PgpoolConfig load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not read configuration file: " + e, e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return new PgpoolConfig(file, ConfigFileReader.read(file.toString(), ConfigFileReader.decode(bytes), dir));
    }

    /** Reads pgpool.conf text; {@code fileName} is used in messages and to resolve {@code include}. */
    public static PgpoolConfig parse(String fileName, String text) throws ConfigException {
        Path dir;
        try {
            dir = Path.of(fileName).toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            dir = null;
        }
        return new PgpoolConfig(null, ConfigFileReader.read(fileName, text, dir));
    }

    /** Every parameter at its default; no backends. */
    public static PgpoolConfig defaults() {
        try {
            return new PgpoolConfig(null, List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds a configuration from name/value pairs, as if each were a pgpool.conf line (for tests). */
    public static Builder builder() {
        return new Builder();
    }

    /** Name/value pairs in order; the last value of a name wins. */
    public static final class Builder {
        private final List<Assignment> assignments = new ArrayList<>();

        private Builder() {
        }

        /** {@code value} is the text after {@code =}, without quotes. */
        public Builder set(String name, String value) {
            assignments.add(new Assignment(name.strip().toLowerCase(Locale.ROOT), value, null, 0));
            return this;
        }

        public PgpoolConfig build() throws ConfigException {
            return new PgpoolConfig(null, assignments);
        }
    }

    /**
     * This configuration with one more value, checked like a line of the file. Unlike a line in a
     * file, an unknown name is an error. For tests and for {@code PGPOOL SET}; see also
     * {@link #withSessionOverride}.
     */
    public PgpoolConfig withOverride(String name, String value) throws ConfigException {
        String key = name.strip().toLowerCase(Locale.ROOT);
        if (ConfigAssembler.resolveName(key).isEmpty()) {
            throw new ConfigException(null, 0, key, "unrecognized configuration parameter");
        }
        List<Assignment> more = new ArrayList<>(source);
        more.add(new Assignment(key, value, null, 0));
        return new PgpoolConfig(file, more);
    }

    /** Like {@link #withOverride} but only for parameters that {@code PGPOOL SET} may change (context session). */
    public PgpoolConfig withSessionOverride(String name, String value) throws ConfigException {
        String key = name.strip().toLowerCase(Locale.ROOT);
        Optional<Params.Ref> ref = ConfigAssembler.resolveName(key);
        if (ref.isPresent() && ref.get().param().context() != Context.SESSION) {
            throw new ConfigException(null, 0, key, "cannot be changed with PGPOOL SET");
        }
        return withOverride(name, value);
    }

    // --- generic access --------------------------------------------------------------------

    /** The file this was loaded from, if {@link #load} was used. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Warnings in file order; each prints as {@code file:line: parameter: message}. */
    public List<ConfigWarning> warnings() {
        return warnings;
    }

    /** The value of a global parameter (the default if not set). */
    public <T> T get(Param<T> p) {
        if (p.scope() == Scope.PER_NODE) {
            throw new IllegalArgumentException(p.name() + " is a per-node parameter; use get(param, node)");
        }
        Setting s = settings.get(p.key());
        return s == null ? p.defaultValue() : p.cast(s.value());
    }

    /**
     * The value of a per-node parameter for {@code node}. For the health-check parameters the
     * per-node value overrides the global one; a global parameter ignores {@code node}.
     */
    public <T> T get(Param<T> p, int node) {
        checkNode(node);
        if (p.scope() == Scope.GLOBAL) {
            return get(p);
        }
        Setting s = settings.get(p.key() + node);
        if (s != null) {
            return p.cast(s.value());
        }
        return p.scope() == Scope.GLOBAL_AND_PER_NODE ? get(p) : p.defaultValue();
    }

    /** True if the file (or an override) sets this name ({@code port}, {@code backend_port1}). */
    public boolean isSet(String name) {
        return ConfigAssembler.resolveName(name.toLowerCase(Locale.ROOT))
                .map(r -> settings.containsKey(r.key())).orElse(false);
    }

    /**
     * A value as {@code PGPOOL SHOW name} prints it: booleans {@code on}/{@code off}, enums by name,
     * numbers with the largest fitting unit ({@code 10s}), passwords as {@code *****}.
     *
     * @param name a parameter name, with an index for per-node forms ({@code backend_port0})
     * @throws IllegalArgumentException {@code config variable "x" not found}
     */
    public String format(String name) {
        Params.Ref ref = refForFormat(name);
        Param<?> p = ref.param();
        if (p.secret()) {
            return "*****";
        }
        Object value = ref.index() < 0 ? get(p) : get(p, ref.index());
        if (ref.index() >= 0 && value instanceof Integer i) {
            // pgpool prints per-node numbers with a plain "%d"
            return Integer.toString(i);
        }
        return show(p, value, rawText(ref));
    }

    /** A value as pool_status prints it (PCP_SPEC Appendix A: booleans 1/0, enums as numbers). */
    public String formatPoolStatus(String name) {
        Params.Ref ref = refForFormat(name);
        return poolStatusValue(ref.param(), ref.index());
    }

    String poolStatusValue(Param<?> p, int index) {
        Object value = index < 0 ? get(p) : get(p, index);
        return status(p, value, rawText(new Params.Ref(p, index)));
    }

    private Params.Ref refForFormat(String name) {
        Optional<Params.Ref> ref = ConfigAssembler.resolveName(name.strip().toLowerCase(Locale.ROOT));
        if (ref.isEmpty() || ref.get().index() >= MAX_BACKENDS
                || ref.get().index() < 0 && ref.get().param().scope() == Scope.PER_NODE) {
            throw new IllegalArgumentException("config variable \"" + name + "\" not found");
        }
        return ref.get();
    }

    private String rawText(Params.Ref ref) {
        Setting s = settings.get(ref.key());
        if (s == null && ref.index() >= 0 && ref.param().scope() == Scope.GLOBAL_AND_PER_NODE) {
            s = settings.get(ref.param().key());
        }
        return s == null ? ref.param().rawDefault() : s.raw();
    }

    private static <T> String show(Param<T> p, Object value, String raw) {
        return p.valueType().show(p.cast(value), raw);
    }

    private static <T> String status(Param<T> p, Object value, String raw) {
        return p.valueType().status(p.cast(value), raw);
    }

    // --- reload ----------------------------------------------------------------------------

    /**
     * What changes if {@code newer} replaces this configuration: which changed parameters a reload
     * applies and which need a restart (by {@link Param#context()}).
     */
    public ReloadDiff diffForReload(PgpoolConfig newer) {
        List<String> reloadable = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (Param<?> p : Params.all()) {
            List<String> changed = new ArrayList<>();
            if (p.scope() != Scope.PER_NODE && !sameValue(p, get(p), newer.get(p))) {
                changed.add(p.name());
            }
            if (p.perNode()) {
                Set<Integer> nodes = new TreeSet<>();
                nodes.addAll(explicitNodes(p));
                nodes.addAll(newer.explicitNodes(p));
                for (int node : nodes) {
                    // compare what is written for the node: a health-check override that goes away is a change
                    if (!sameValue(p, explicitOrDefault(p, node), newer.explicitOrDefault(p, node))) {
                        changed.add(p.nameFor(node));
                    }
                }
            }
            (p.context().reloadable() ? reloadable : restart).addAll(changed);
        }
        return new ReloadDiff(reloadable, restart);
    }

    private Set<Integer> explicitNodes(Param<?> p) {
        Set<Integer> nodes = new TreeSet<>();
        for (Setting s : settings.values()) {
            if (s.ref().param() == p && s.ref().index() >= 0) {
                nodes.add(s.ref().index());
            }
        }
        return nodes;
    }

    private Object explicitOrDefault(Param<?> p, int node) {
        Setting s = settings.get(p.key() + node);
        return s != null ? s.value() : p.scope() == Scope.PER_NODE ? p.defaultValue() : null;
    }

    private static <T> boolean sameValue(Param<T> p, Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(p.valueType().key(p.cast(a)), p.valueType().key(p.cast(b)));
    }

    // --- backends --------------------------------------------------------------------------

    private List<BackendConfig> buildBackends() {
        List<BackendConfig> list = new ArrayList<>();
        for (int node = 0; settings.containsKey(Params.BACKEND_PORT.key() + node); node++) {
            String host = get(Params.BACKEND_HOSTNAME, node);
            list.add(new BackendConfig(
                    node,
                    host.isEmpty() ? DEFAULT_SOCKET_DIR : host,
                    get(Params.BACKEND_PORT, node),
                    get(Params.BACKEND_WEIGHT, node),
                    get(Params.BACKEND_DATA_DIRECTORY, node),
                    get(Params.BACKEND_FLAG, node),
                    get(Params.BACKEND_APPLICATION_NAME, node),
                    healthCheck(node)));
        }
        return List.copyOf(list);
    }

    /** The configured backends; the list index is the node id. */
    public List<BackendConfig> backends() {
        return backends;
    }

    /**
     * {@code backend_weightN} divided by the sum of all configured weights: the load-balance share
     * pgpool shows as {@code lb_weight} (SEMANTICS §A.6). 0 when every weight is 0 (pgpool prints nan).
     */
    public double normalizedWeight(int nodeId) {
        double total = 0;
        for (BackendConfig b : backends) {
            total += b.weight();
        }
        return total == 0 ? 0 : backends.get(nodeId).weight() / total;
    }

    /** Health-check settings of a node: per-node values over global ones (SEMANTICS §C.2). */
    public HealthCheckSettings healthCheck(int node) {
        String database = get(Params.HEALTH_CHECK_DATABASE, node);
        return new HealthCheckSettings(
                get(Params.HEALTH_CHECK_PERIOD, node),
                get(Params.HEALTH_CHECK_TIMEOUT, node),
                get(Params.HEALTH_CHECK_USER, node),
                get(Params.HEALTH_CHECK_PASSWORD, node),
                // SEMANTICS §C.2: an empty database means postgres
                database.isEmpty() ? "postgres" : database,
                get(Params.HEALTH_CHECK_MAX_RETRIES, node),
                get(Params.HEALTH_CHECK_RETRY_DELAY, node),
                get(Params.CONNECT_TIMEOUT, node));
    }

    private static void checkNode(int node) {
        if (node < 0 || node >= MAX_BACKENDS) {
            throw new IllegalArgumentException("node index " + node + " is out of range (0.." + (MAX_BACKENDS - 1) + ")");
        }
    }

    // --- typed getters of the supported parameters -----------------------------------------

    public String listenAddresses() {
        return get(Params.LISTEN_ADDRESSES);
    }

    public int port() {
        return get(Params.PORT);
    }

    /** {@code socket_dir} (4.4+: {@code unix_socket_directories}). */
    public String socketDir() {
        return get(Params.SOCKET_DIR);
    }

    public String pcpListenAddresses() {
        return get(Params.PCP_LISTEN_ADDRESSES);
    }

    public int pcpPort() {
        return get(Params.PCP_PORT);
    }

    /** The Prometheus endpoint's addresses (jpgpool's own {@code metrics_listen_addresses}). */
    public String metricsListenAddresses() {
        return get(Params.METRICS_LISTEN_ADDRESSES);
    }

    /** The Prometheus endpoint's port; 0 = no endpoint (jpgpool's own {@code metrics_port}). */
    public int metricsPort() {
        return get(Params.METRICS_PORT);
    }

    public String pcpSocketDir() {
        return get(Params.PCP_SOCKET_DIR);
    }

    public ClusteringMode backendClusteringMode() {
        return get(Params.BACKEND_CLUSTERING_MODE);
    }

    public boolean loadBalanceMode() {
        return get(Params.LOAD_BALANCE_MODE);
    }

    public boolean statementLevelLoadBalance() {
        return get(Params.STATEMENT_LEVEL_LOAD_BALANCE);
    }

    public DisableLoadBalanceOnWrite disableLoadBalanceOnWrite() {
        return get(Params.DISABLE_LOAD_BALANCE_ON_WRITE);
    }

    /** Anchored, case-insensitive patterns (SEMANTICS §A.5). */
    public List<Pattern> writeFunctionList() {
        return get(Params.WRITE_FUNCTION_LIST);
    }

    /** Anchored, case-insensitive patterns; when non-empty it wins over write_function_list (SEMANTICS §A.5). */
    public List<Pattern> readOnlyFunctionList() {
        return get(Params.READ_ONLY_FUNCTION_LIST);
    }

    public List<Pattern> primaryRoutingQueryPatternList() {
        return get(Params.PRIMARY_ROUTING_QUERY_PATTERN_LIST);
    }

    public List<RedirectRule> databaseRedirectPreferenceList() {
        return get(Params.DATABASE_REDIRECT_PREFERENCE_LIST);
    }

    public List<RedirectRule> appNameRedirectPreferenceList() {
        return get(Params.APP_NAME_REDIRECT_PREFERENCE_LIST);
    }

    public boolean allowSqlComments() {
        return get(Params.ALLOW_SQL_COMMENTS);
    }

    public boolean ignoreLeadingWhiteSpace() {
        return get(Params.IGNORE_LEADING_WHITE_SPACE);
    }

    public CheckTempTable checkTempTable() {
        return get(Params.CHECK_TEMP_TABLE);
    }

    public boolean checkUnloggedTable() {
        return get(Params.CHECK_UNLOGGED_TABLE);
    }

    /** Seconds; 0 = no replication-delay / false-primary check. */
    public int srCheckPeriod() {
        return get(Params.SR_CHECK_PERIOD);
    }

    public String srCheckUser() {
        return get(Params.SR_CHECK_USER);
    }

    /** Empty = look it up in pool_passwd. */
    public String srCheckPassword() {
        return get(Params.SR_CHECK_PASSWORD);
    }

    public String srCheckDatabase() {
        return get(Params.SR_CHECK_DATABASE);
    }

    /** Bytes of WAL; 0 = off. */
    public long delayThreshold() {
        return get(Params.DELAY_THRESHOLD);
    }

    public boolean preferLowerDelayStandby() {
        return get(Params.PREFER_LOWER_DELAY_STANDBY);
    }

    public LogStandbyDelay logStandbyDelay() {
        return get(Params.LOG_STANDBY_DELAY);
    }

    public boolean logPerNodeStatement() {
        return get(Params.LOG_PER_NODE_STATEMENT);
    }

    public boolean logConnections() {
        return get(Params.LOG_CONNECTIONS);
    }

    public boolean logDisconnections() {
        return get(Params.LOG_DISCONNECTIONS);
    }

    /** The logging parameters. */
    public LogSettings logging() {
        return LogSettings.of(this);
    }

    /** {@code dml_adaptive_object_relationship_list}, parsed (SEMANTICS A.9). */
    public List<ObjectRelationship> dmlAdaptiveObjectRelationshipList() {
        try {
            return ObjectRelationship.parseList(get(Params.DML_ADAPTIVE_OBJECT_RELATIONSHIP_LIST));
        } catch (InvalidValueException e) {
            throw new IllegalStateException("dml_adaptive_object_relationship_list was checked when it was read", e);
        }
    }

    public MessageLevel logMinMessages() {
        return get(Params.LOG_MIN_MESSAGES);
    }

    public MessageLevel clientMinMessages() {
        return get(Params.CLIENT_MIN_MESSAGES);
    }

    /** log_statement: every statement is logged as it runs. */
    public boolean logStatement() {
        return logStatement;
    }

    public int numInitChildren() {
        return get(Params.NUM_INIT_CHILDREN);
    }

    public int reservedConnections() {
        return get(Params.RESERVED_CONNECTIONS);
    }

    public int maxPool() {
        return get(Params.MAX_POOL);
    }

    public boolean connectionCache() {
        return get(Params.CONNECTION_CACHE);
    }

    /** Split on {@code ;}, trimmed, empty entries dropped. */
    public List<String> resetQueryList() {
        return get(Params.RESET_QUERY_LIST);
    }

    /** Seconds; 0 = never. */
    public int connectionLifeTime() {
        return get(Params.CONNECTION_LIFE_TIME);
    }

    /** Seconds; 0 = off. */
    public int clientIdleLimit() {
        return get(Params.CLIENT_IDLE_LIMIT);
    }

    /** Seconds. */
    public int authenticationTimeout() {
        return get(Params.AUTHENTICATION_TIMEOUT);
    }

    /** As written; empty = no pool_passwd. See {@link #poolPasswdPath()}. */
    public String poolPasswd() {
        return get(Params.POOL_PASSWD);
    }

    /** pool_passwd resolved against the directory of the loaded pgpool.conf; empty if disabled. */
    public Optional<Path> poolPasswdPath() {
        return poolPasswd().isEmpty() ? Optional.empty() : configPath(Params.POOL_PASSWD);
    }

    public boolean allowClearTextFrontendAuth() {
        return get(Params.ALLOW_CLEAR_TEXT_FRONTEND_AUTH);
    }

    /** Directory of the {@code pgpool_status} file (SEMANTICS §C.1). */
    public String logdir() {
        return get(Params.LOGDIR);
    }

    public String pidFileName() {
        return get(Params.PID_FILE_NAME);
    }

    /** The global health-check values (nodes may override them: see {@link BackendConfig#healthCheck()}). */
    public int healthCheckPeriod() {
        return get(Params.HEALTH_CHECK_PERIOD);
    }

    public int healthCheckTimeout() {
        return get(Params.HEALTH_CHECK_TIMEOUT);
    }

    public String healthCheckUser() {
        return get(Params.HEALTH_CHECK_USER);
    }

    public String healthCheckPassword() {
        return get(Params.HEALTH_CHECK_PASSWORD);
    }

    public String healthCheckDatabase() {
        return get(Params.HEALTH_CHECK_DATABASE);
    }

    public int healthCheckMaxRetries() {
        return get(Params.HEALTH_CHECK_MAX_RETRIES);
    }

    public int healthCheckRetryDelay() {
        return get(Params.HEALTH_CHECK_RETRY_DELAY);
    }

    /** Milliseconds; also bounds ordinary backend connects (SEMANTICS §C.2). */
    public int connectTimeout() {
        return get(Params.CONNECT_TIMEOUT);
    }

    public String failoverCommand() {
        return get(Params.FAILOVER_COMMAND);
    }

    public String followPrimaryCommand() {
        return get(Params.FOLLOW_PRIMARY_COMMAND);
    }

    public String failbackCommand() {
        return get(Params.FAILBACK_COMMAND);
    }

    public boolean failoverOnBackendError() {
        return get(Params.FAILOVER_ON_BACKEND_ERROR);
    }

    public boolean failoverOnBackendShutdown() {
        return get(Params.FAILOVER_ON_BACKEND_SHUTDOWN);
    }

    /** Seconds; 0 = wait forever. */
    public int searchPrimaryNodeTimeout() {
        return get(Params.SEARCH_PRIMARY_NODE_TIMEOUT);
    }

    public boolean detachFalsePrimary() {
        return get(Params.DETACH_FALSE_PRIMARY);
    }

    public boolean autoFailback() {
        return get(Params.AUTO_FAILBACK);
    }

    /** Seconds. */
    public int autoFailbackInterval() {
        return get(Params.AUTO_FAILBACK_INTERVAL);
    }

    /** Seconds. */
    public int recoveryTimeout() {
        return get(Params.RECOVERY_TIMEOUT);
    }

    /** PostgreSQL superuser that runs the recovery functions (4.3 default {@code nobody}). */
    public String recoveryUser() {
        return get(Params.RECOVERY_USER);
    }

    /** Empty = look it up in pool_passwd. */
    public String recoveryPassword() {
        return get(Params.RECOVERY_PASSWORD);
    }

    /** A script file name in the primary/main node's data directory; empty = no first stage. */
    public String recovery1stStageCommand() {
        return get(Params.RECOVERY_1ST_STAGE_COMMAND);
    }

    /** Native replication (and snapshot isolation) mode only; empty = no second stage. */
    public String recovery2ndStageCommand() {
        return get(Params.RECOVERY_2ND_STAGE_COMMAND);
    }

    /** Seconds; -1 = end every session at once in the second stage, 0 = off. */
    public int clientIdleLimitInRecovery() {
        return get(Params.CLIENT_IDLE_LIMIT_IN_RECOVERY);
    }

    /**
     * pgpool's check of the online recovery settings (SEMANTICS D.1): with a stage command set, every node needs
     * {@code backend_data_directoryN}. pgpool refuses to start on it and only warns at a reload; so does jpgpool.
     */
    public Optional<ConfigException> recoveryConfigProblem() {
        Param<String> stage = !recovery1stStageCommand().isEmpty() ? Params.RECOVERY_1ST_STAGE_COMMAND
                : !recovery2ndStageCommand().isEmpty() ? Params.RECOVERY_2ND_STAGE_COMMAND : null;
        if (stage == null) {
            return Optional.empty();
        }
        for (BackendConfig b : backends) {
            if (b.dataDirectory().isEmpty()) {
                Setting s = settings.get(stage.key());
                return Optional.of(new ConfigException(s == null ? null : s.file(), s == null ? 0 : s.line(),
                        s == null ? stage.name() : s.writtenName(), "invalid configuration, "
                        + "recovery_1st_stage_command and recovery_2nd_stage_command requires backend_data_directory "
                        + "to be set (" + Params.BACKEND_DATA_DIRECTORY.nameFor(b.nodeId()) + " is empty)"));
            }
        }
        return Optional.empty();
    }

    public boolean replicateSelect() {
        return get(Params.REPLICATE_SELECT);
    }

    public boolean insertLock() {
        return get(Params.INSERT_LOCK);
    }

    public boolean replicationStopOnMismatch() {
        return get(Params.REPLICATION_STOP_ON_MISMATCH);
    }

    public boolean failoverIfAffectedTuplesMismatch() {
        return get(Params.FAILOVER_IF_AFFECTED_TUPLES_MISMATCH);
    }

    // --- TLS and pool_hba (SEMANTICS §E.3, §E.6) ----------------------------------------------

    /** {@code ssl}: TLS for clients that ask and for connections to backends. */
    public boolean ssl() {
        return get(Params.SSL);
    }

    /** {@code ssl_cert}, relative to the directory of pgpool.conf as in pgpool; empty if unset. */
    public Optional<Path> sslCert() {
        return configPath(Params.SSL_CERT);
    }

    public Optional<Path> sslKey() {
        return configPath(Params.SSL_KEY);
    }

    /** CA certificates clients' (and backends') certificates are checked against. */
    public Optional<Path> sslCaCert() {
        return configPath(Params.SSL_CA_CERT);
    }

    /** A directory of CA certificates; pgpool reads it beside {@code ssl_ca_cert}. */
    public Optional<Path> sslCaCertDir() {
        return configPath(Params.SSL_CA_CERT_DIR);
    }

    public Optional<Path> sslCrlFile() {
        return configPath(Params.SSL_CRL_FILE);
    }

    /** An OpenSSL cipher string ({@code HIGH:MEDIUM:+3DES:!aNULL}); it applies to TLS 1.2 and older. */
    public String sslCiphers() {
        return get(Params.SSL_CIPHERS);
    }

    public boolean sslPreferServerCiphers() {
        return get(Params.SSL_PREFER_SERVER_CIPHERS);
    }

    /** One of the curves of {@code ConfigAssembler.ECDH_CURVES} (checked at load). */
    public String sslEcdhCurve() {
        return get(Params.SSL_ECDH_CURVE);
    }

    public Optional<Path> sslDhParamsFile() {
        return configPath(Params.SSL_DH_PARAMS_FILE);
    }

    /** A shell command printing the key's passphrase; {@code %p} is the prompt. Empty: none. */
    public String sslPassphraseCommand() {
        return get(Params.SSL_PASSPHRASE_COMMAND);
    }

    /** TLS policy towards backends; only while {@link #ssl()} is on, {@link BackendSslMode#DISABLE} otherwise. */
    public BackendSslMode backendSslMode() {
        return ssl() ? get(Params.BACKEND_SSLMODE) : BackendSslMode.DISABLE;
    }

    /** {@code enable_pool_hba}: authenticate clients by pool_hba.conf. */
    public boolean enablePoolHba() {
        return get(Params.ENABLE_POOL_HBA);
    }

    /** pgpool's default pool_hba.conf: beside pgpool.conf ({@code -a} overrides it). */
    public Path defaultPoolHbaFile() {
        return configDir().map(d -> d.resolve("pool_hba.conf")).orElse(Path.of("/etc/pgpool2/pool_hba.conf"));
    }

    private Optional<Path> configDir() {
        return file == null ? Optional.empty() : Optional.ofNullable(file.toAbsolutePath().getParent());
    }

    /** A file-name parameter: empty if blank, else resolved against the directory of pgpool.conf. */
    private Optional<Path> configPath(Param<String> p) {
        String name = get(p).strip();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(name);
        return Optional.of(path.isAbsolute() ? path : configDir().map(d -> d.resolve(path)).orElse(path));
    }

    // ---------------------------------------------------------------- query cache (SEMANTICS F.1)

    public boolean memoryCacheEnabled() {
        return get(Params.MEMORY_CACHE_ENABLED);
    }

    /** Always {@code SHMEM} while the cache is on: {@code memcached} is rejected then. */
    public MemqcacheMethod memqcacheMethod() {
        return get(Params.MEMQCACHE_METHOD);
    }

    /** Bytes the cached results may take in all. */
    public long memqcacheTotalSize() {
        return get(Params.MEMQCACHE_TOTAL_SIZE);
    }

    /** The most results kept at once (pgpool's hash table holds this rounded up to a power of 2). */
    public int memqcacheMaxNumCache() {
        return get(Params.MEMQCACHE_MAX_NUM_CACHE);
    }

    /** Seconds a result is kept; 0 = until it is invalidated. */
    public int memqcacheExpire() {
        return get(Params.MEMQCACHE_EXPIRE);
    }

    public boolean memqcacheAutoCacheInvalidation() {
        return get(Params.MEMQCACHE_AUTO_CACHE_INVALIDATION);
    }

    /** Bytes: a larger result is not cached. */
    public int memqcacheMaxcache() {
        return get(Params.MEMQCACHE_MAXCACHE);
    }

    /** Bytes; only checked against memqcache_maxcache and memqcache_total_size, jpgpool has no blocks. */
    public int memqcacheCacheBlockSize() {
        return get(Params.MEMQCACHE_CACHE_BLOCK_SIZE);
    }

    /** Anchored, case-insensitive regexes of views and unlogged tables whose results may be cached. */
    public List<Pattern> cacheSafeMemqcacheTableList() {
        return get(Params.CACHE_SAFE_MEMQCACHE_TABLE_LIST);
    }

    /** Anchored, case-insensitive regexes of tables whose results are never cached; wins over the safe list. */
    public List<Pattern> cacheUnsafeMemqcacheTableList() {
        return get(Params.CACHE_UNSAFE_MEMQCACHE_TABLE_LIST);
    }

    /** Always false: {@code use_watchdog = on} is rejected. */
    public boolean useWatchdog() {
        return get(Params.USE_WATCHDOG);
    }

    @Override
    public String toString() {
        return "PgpoolConfig[" + (file != null ? file : "text") + ", " + settings.size() + " settings, "
                + backends.size() + " backends]";
    }
}
