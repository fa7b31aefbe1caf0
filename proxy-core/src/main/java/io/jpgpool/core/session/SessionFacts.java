package io.jpgpool.core.session;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.cache.Cacheability;
import io.jpgpool.core.routing.CatalogFacts;
import io.jpgpool.core.routing.Router;
import io.jpgpool.core.routing.StatementFacts;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session must know about the catalog before a statement runs: the facts its route depends on (which
 * functions write, which relations are temporary or unlogged), those the query cache asks for, and, in native
 * replication mode, the table a write is rewritten for. Facts come from the shared catalog cache; what is
 * missing is looked up ({@link CatalogLookup}) while the session's inbox waits.
 */
final class SessionFacts {
    private static final Logger LOG = LoggerFactory.getLogger(SessionFacts.class);

    private final ClientSession session;
    private final ProxyRuntime rt;
    private final PgpoolConfig cfg;
    private final Router router;
    private final StartupMessage backendStartup;
    private final String database;
    private final StatementFacts facts;
    private boolean pending;

    SessionFacts(ClientSession session, ProxyRuntime rt, PgpoolConfig cfg, Router router,
            StartupMessage backendStartup, String database) {
        this.session = session;
        this.rt = rt;
        this.cfg = cfg;
        this.router = router;
        this.backendStartup = backendStartup;
        this.database = database;
        this.facts = new StatementFacts(rt.catalog().forDatabase(database));
    }

    /** The facts routing reads, for the statement just checked by {@link #known}. */
    CatalogFacts facts() {
        return facts;
    }

    /** A lookup is running (on the main node's connection, when it was idle): the inbox waits for it. */
    boolean pending() {
        return pending;
    }

    /** True when every fact the statement needs is known; otherwise starts the lookups and returns false. */
    boolean known(Statement st) {
        facts.forget();
        Router.Missing routingFacts = router.missingFacts(st, facts);
        QualifiedName target = session.isNative() ? NativeRewrites.target(st) : null;
        // native replication rewrites writes with their table's clock defaults and locks its sequences
        Router.Missing missing = target != null && rt.catalog().table(database, target) == null
                ? routingFacts.withTable(target) : routingFacts;
        SessionCache cache = session.cache();
        Cacheability.Missing cacheMissing = cache == null ? Cacheability.Missing.NONE : cache.missingFacts(st);
        if (missing.isEmpty() && cacheMissing.isEmpty()) {
            return true;
        }
        pending = true;
        int main = session.paramNode();
        BackendConnection own = session.backends().get(main);
        BackendConnection idleOwn = own != null && !session.queue().owes(main) ? own : null;
        CatalogLookup.run(rt, session.loop(), backendStartup, session.user(), database, session.credentials(),
                session.proof(), idleOwn, main, missing, cacheMissing, cfg)
                .whenComplete((ok, err) -> session.onLoop(() -> {
                    pending = false;
                    if (err != null) {
                        LOG.warn("session {}: catalog lookup failed, treating unknown functions as writing: {}",
                                session.id(), err.toString());
                        CatalogLookup.recordUnknownAsUnsafe(rt, database, missing);
                        if (cache != null) {
                            cache.factsFailed(st);
                        }
                    }
                    session.resume();
                }));
        return false;
    }
}
