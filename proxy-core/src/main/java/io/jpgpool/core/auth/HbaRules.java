package io.jpgpool.core.auth;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.ConfigWarning;
import io.jpgpool.config.HbaMatch;
import io.jpgpool.config.HbaRequest;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.config.PoolHba;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool_hba.conf rules in force (SEMANTICS E.3): read at the start when {@code enable_pool_hba} is on (a bad
 * file stops the start), read again on every reload that has it on (a bad file is refused and the rules in force
 * stay), and matched for each client once its StartupMessage is in. Rules with host names need DNS: those are
 * matched on threads of their own, never on an event loop.
 */
public final class HbaRules implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HbaRules.class);
    /** pgpool's errors for enable_pool_hba = on without rules (hba_getauthmethod failed). */
    public static final String MISSING_DETAIL = "missing or erroneous pool_hba.conf file";

    private final Path file;
    private volatile PoolHba rules;
    private volatile ExecutorService dns;

    private HbaRules(Path file, PoolHba rules) {
        this.file = file;
        this.rules = rules;
    }

    /**
     * The rules for a starting server: {@code file} is {@code -a}'s, or null for the one beside pgpool.conf. Read
     * only when {@code enable_pool_hba} is on.
     *
     * @throws ConfigException {@code file:line: reason} for a file that cannot be used
     */
    public static HbaRules start(PgpoolConfig config, Path file) throws ConfigException {
        Path f = file != null ? file.toAbsolutePath() : config.defaultPoolHbaFile();
        HbaRules r = new HbaRules(f, null);
        if (config.enablePoolHba()) {
            r.rules = read(f, config.ssl());
            LOG.info("client authentication by {} ({} lines)", f, r.rules.lines().size());
        }
        return r;
    }

    /** No pool_hba.conf (tests and tools that start a server without one). */
    public static HbaRules none() {
        return new HbaRules(null, null);
    }

    private static PoolHba read(Path f, boolean ssl) throws ConfigException {
        PoolHba hba = PoolHba.load(f, ssl);
        for (ConfigWarning w : hba.warnings()) {
            LOG.warn("{}", w);
        }
        return hba;
    }

    /** Reads the file again for a reload with enable_pool_hba on; a bad file leaves the rules as they are. */
    public void reload(PgpoolConfig newer) {
        if (!newer.enablePoolHba() || file == null) {
            return;
        }
        try {
            rules = read(file, newer.ssl());
            LOG.info("pool_hba.conf reloaded from {} ({} lines)", file, rules.lines().size());
        } catch (ConfigException e) {
            LOG.warn("pool_hba.conf not reloaded, the rules in force stay: {}", e.getMessage());
        }
    }

    public Path file() {
        return file;
    }

    /**
     * The rule for a client. Empty when there are no rules (enable_pool_hba was turned on by a reload whose file
     * was bad): then, as in pgpool, nobody is let in ({@link #MISSING_DETAIL}).
     */
    public CompletionStage<Optional<HbaMatch>> match(HbaRequest request) {
        PoolHba r = rules;
        if (r == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        if (!r.needsDns()) {
            return CompletableFuture.completedFuture(Optional.of(r.match(request)));
        }
        return CompletableFuture.supplyAsync(() -> Optional.of(r.match(request)), dnsExecutor());
    }

    private ExecutorService dnsExecutor() {
        ExecutorService e = dns;
        if (e == null) {
            synchronized (this) {
                if (dns == null) {
                    // a few threads: a slow resolver delays logins, it never blocks a session's event loop
                    ThreadPoolExecutor t = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread th = new Thread(r, "jpgpool-hba-dns");
                                th.setDaemon(true);
                                return th;
                            });
                    t.allowCoreThreadTimeOut(true);
                    dns = t;
                }
                e = dns;
            }
        }
        return e;
    }

    @Override
    public void close() {
        ExecutorService e = dns;
        if (e != null) {
            e.shutdownNow();
        }
    }
}
