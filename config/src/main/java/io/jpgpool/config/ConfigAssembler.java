package io.jpgpool.config;

import io.jpgpool.config.ConfigFileReader.Assignment;
import io.jpgpool.config.Param.Scope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns assignments into checked settings: resolves names (aliases, node indexes), parses values,
 * checks the backend numbering and collects warnings. The last assignment of a name wins.
 */
final class ConfigAssembler {

    record Result(Map<String, Setting> settings, List<ConfigWarning> warnings) {
    }

    private record PendingWarning(int seq, ConfigWarning warning) {
    }

    private static final Set<Param<?>> BACKEND_PARAMS = Set.of(Params.BACKEND_HOSTNAME, Params.BACKEND_PORT,
            Params.BACKEND_WEIGHT, Params.BACKEND_DATA_DIRECTORY, Params.BACKEND_FLAG, Params.BACKEND_APPLICATION_NAME);

    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final List<PendingWarning> warnings = new ArrayList<>();
    private final Set<String> warnedNames = new HashSet<>();

    private ConfigAssembler() {
    }

    static Result assemble(List<Assignment> assignments) throws ConfigException {
        ConfigAssembler a = new ConfigAssembler();
        int seq = 0;
        for (Assignment assignment : assignments) {
            a.apply(assignment, seq++);
        }
        a.checkWatchdog();
        a.checkSsl();
        a.checkMemqcache();
        a.checkBackends();
        a.warnUnsupported();
        List<ConfigWarning> sorted = a.warnings.stream()
                .sorted(Comparator.comparingInt(PendingWarning::seq))
                .map(PendingWarning::warning)
                .toList();
        return new Result(Map.copyOf(a.settings), sorted);
    }

    /** Resolves a lower-case name as written, following aliases; empty for unknown names. */
    static Optional<Params.Ref> resolveName(String name) {
        return Params.resolve(Params.DEPRECATED_ALIASES.getOrDefault(name, Params.ALIASES.getOrDefault(name, name)));
    }

    private void apply(Assignment a, int seq) throws ConfigException {
        String name = a.name();
        String obsolete = Params.OBSOLETE.get(name);
        if (obsolete != null) {
            warnOnce(a, seq, name, obsolete);
            return;
        }
        String replacement = Params.DEPRECATED_ALIASES.get(name);
        if (replacement != null) {
            warnOnce(a, seq, name, "deprecated name; read as " + replacement);
        }
        Optional<Params.Ref> resolved = resolveName(name);
        if (resolved.isEmpty()) {
            warnOnce(a, seq, name, "unknown parameter; ignored");
            return;
        }
        Params.Ref ref = resolved.get();
        Param<?> p = ref.param();
        if (ref.index() >= PgpoolConfig.MAX_BACKENDS) {
            throw new ConfigException(a.file(), a.line(), name,
                    "node index " + ref.index() + " is out of range (0.." + (PgpoolConfig.MAX_BACKENDS - 1) + ")");
        }
        if (p.scope() == Scope.PER_NODE && ref.index() < 0) {
            throw new ConfigException(a.file(), a.line(), name,
                    "needs a node index (" + p.nameFor(0) + ", " + p.nameFor(1) + ", ...)");
        }
        Object value;
        try {
            value = p.valueType().parse(a.value(),
                    note -> warnings.add(new PendingWarning(seq, new ConfigWarning(a.file(), a.line(), name, note))));
        } catch (InvalidValueException e) {
            throw new ConfigException(a.file(), a.line(), name, e.getMessage(), e);
        }
        settings.put(ref.key(), new Setting(ref, name, value, a.value(), a.file(), a.line(), seq));
    }

    private void warnOnce(Assignment a, int seq, String name, String message) {
        if (warnedNames.add(name)) {
            warnings.add(new PendingWarning(seq, new ConfigWarning(a.file(), a.line(), name, message)));
        }
    }

    private void checkWatchdog() throws ConfigException {
        Setting s = settings.get(Params.USE_WATCHDOG.key());
        if (s != null && Boolean.TRUE.equals(s.value())) {
            // running two jpgpools that each believe they are coordinated would double every failover
            throw new ConfigException(s.file(), s.line(), s.writtenName(),
                    "invalid value \"" + s.raw() + "\": the watchdog is not supported by jpgpool; set use_watchdog = off");
        }
    }

    /** The TLS curve names Java and BoringSSL both know, by their OpenSSL and IANA spellings (lower case). */
    static final Set<String> ECDH_CURVES = Set.of("prime256v1", "secp256r1", "p-256", "secp384r1", "p-384",
            "secp521r1", "p-521", "x25519", "x448");

    /** What pgpool would find out only at the first TLS handshake, or never: found at load time here. */
    private void checkSsl() throws ConfigException {
        Setting curve = settings.get(Params.SSL_ECDH_CURVE.key());
        if (curve != null && !ECDH_CURVES.contains(((String) curve.value()).toLowerCase(java.util.Locale.ROOT))) {
            throw new ConfigException(curve.file(), curve.line(), curve.writtenName(), "invalid value \""
                    + curve.raw() + "\": ECDH: unrecognized curve name (use prime256v1, secp384r1, secp521r1 or X25519)");
        }
        Setting mode = settings.get(Params.BACKEND_SSLMODE.key());
        if (mode == null) {
            return;
        }
        BackendSslMode m = (BackendSslMode) mode.value();
        Setting ssl = settings.get(Params.SSL.key());
        if (m.required() && (ssl == null || !Boolean.TRUE.equals(ssl.value()))) {
            throw new ConfigException(mode.file(), mode.line(), mode.writtenName(), "invalid value \"" + mode.raw()
                    + "\": TLS to backends needs ssl = on");
        }
        if (m.verifiesCertificate() && isBlank(Params.SSL_CA_CERT) && isBlank(Params.SSL_CA_CERT_DIR)) {
            throw new ConfigException(mode.file(), mode.line(), mode.writtenName(), "invalid value \"" + mode.raw()
                    + "\": verifying backend certificates needs ssl_ca_cert or ssl_ca_cert_dir");
        }
    }

    private boolean isBlank(Param<String> p) {
        Setting s = settings.get(p.key());
        return s == null || ((String) s.value()).isBlank();
    }

    /**
     * The query cache's start-up checks. pgpool sizes its shared memory when {@code memory_cache_enabled} or
     * {@code enable_shared_relcache} is on (pool_memqcache.c, pool_shared_memory_cache_size, pool_hash_init) and
     * refuses what would not fit; jpgpool has no memcached client, so that method is refused when the cache is on.
     */
    private void checkMemqcache() throws ConfigException {
        boolean enabled = value(Params.MEMORY_CACHE_ENABLED);
        if (enabled && value(Params.MEMQCACHE_METHOD) == MemqcacheMethod.MEMCACHED) {
            Setting s = settings.get(Params.MEMQCACHE_METHOD.key());
            throw new ConfigException(s.file(), s.line(), s.writtenName(), "invalid value \"" + s.raw()
                    + "\": memcached is not supported by jpgpool; set memqcache_method = 'shmem' (the cache then "
                    + "lives in jpgpool's own memory)");
        }
        if (!(enabled || value(Params.ENABLE_SHARED_RELCACHE)) || value(Params.MEMQCACHE_METHOD) != MemqcacheMethod.SHMEM) {
            return;
        }
        int blockSize = value(Params.MEMQCACHE_CACHE_BLOCK_SIZE);
        int maxcache = value(Params.MEMQCACHE_MAXCACHE);
        long totalSize = value(Params.MEMQCACHE_TOTAL_SIZE);
        if (maxcache > blockSize) {
            throw memqcacheError(Params.MEMQCACHE_MAXCACHE, Params.MEMQCACHE_CACHE_BLOCK_SIZE,
                    "memqcache_cache_block_size " + blockSize + " should be greater or equal to memqcache_maxcache "
                            + maxcache);
        }
        if (totalSize / blockSize == 0) {
            throw memqcacheError(Params.MEMQCACHE_TOTAL_SIZE, Params.MEMQCACHE_CACHE_BLOCK_SIZE,
                    "memqcache_total_size " + totalSize + " should be greater or equal to memqcache_cache_block_size "
                            + blockSize);
        }
        if (value(Params.MEMQCACHE_MAX_NUM_CACHE) <= 0) {
            throw memqcacheError(Params.MEMQCACHE_MAX_NUM_CACHE, Params.MEMQCACHE_MAX_NUM_CACHE,
                    "invalid number of elements: " + value(Params.MEMQCACHE_MAX_NUM_CACHE));
        }
    }

    /** pgpool's FATAL "invalid memory cache configuration", at whichever of the two settings the file has. */
    private ConfigException memqcacheError(Param<?> first, Param<?> second, String detail) {
        Setting s = settings.get(first.key());
        if (s == null) {
            s = settings.get(second.key());
        }
        return new ConfigException(s.file(), s.line(), s.writtenName(),
                "invalid memory cache configuration: " + detail);
    }

    private <T> T value(Param<T> p) {
        Setting s = settings.get(p.key());
        return s == null ? p.defaultValue() : p.cast(s.value());
    }

    /** Backends exist where backend_portN is set and must be numbered 0..N-1 (pgpool: port 0 = unused slot). */
    private void checkBackends() throws ConfigException {
        TreeMap<Integer, Setting> firstSetting = new TreeMap<>();
        for (Setting s : settings.values()) {
            if (BACKEND_PARAMS.contains(s.ref().param())) {
                firstSetting.merge(s.ref().index(), s, (x, y) -> x.seq() <= y.seq() ? x : y);
            }
        }
        int last = -1;
        for (int node : firstSetting.keySet()) {
            if (settings.containsKey(Params.BACKEND_PORT.key() + node)) {
                last = node;
            }
        }
        for (int node = 0; node < last; node++) {
            if (!settings.containsKey(Params.BACKEND_PORT.key() + node)) {
                int after = node + 1;
                while (!settings.containsKey(Params.BACKEND_PORT.key() + after)) {
                    after++;
                }
                Setting s = settings.get(Params.BACKEND_PORT.key() + after);
                String what = firstSetting.containsKey(node)
                        ? "backend " + node + " has no " + Params.BACKEND_PORT.nameFor(node)
                        : "backend " + node + " is missing (no " + Params.BACKEND_PORT.nameFor(node) + ")";
                throw new ConfigException(s.file(), s.line(), s.writtenName(),
                        what + "; backends must be numbered from 0 without gaps");
            }
        }
        for (Map.Entry<Integer, Setting> e : firstSetting.tailMap(last, false).entrySet()) {
            Setting s = e.getValue();
            // pgpool silently treats a backend without a port as an unused slot; say so
            warnings.add(new PendingWarning(s.seq(), new ConfigWarning(s.file(), s.line(), s.writtenName(),
                    "backend " + e.getKey() + " has no " + Params.BACKEND_PORT.nameFor(e.getKey())
                            + " and is ignored")));
        }
    }

    private void warnUnsupported() {
        for (Setting s : settings.values()) {
            Param<?> p = s.ref().param();
            if (!p.supported() && !isDefault(p, s.value())) {
                warnings.add(new PendingWarning(s.seq(), new ConfigWarning(s.file(), s.line(), s.writtenName(),
                        "not supported by jpgpool yet; the value is ignored")));
            }
        }
    }

    private static <T> boolean isDefault(Param<T> p, Object value) {
        T def = p.defaultValue();
        // '' for an unset string (dml_adaptive_object_relationship_list = '') is as good as unset
        return def == null ? value == null || "".equals(value)
                : Objects.equals(p.valueType().key(def), p.valueType().key(p.cast(value)));
    }
}
