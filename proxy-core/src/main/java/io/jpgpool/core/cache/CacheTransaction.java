package io.jpgpool.core.cache;

import io.jpgpool.sql.SetCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The transaction a session is in, as the cache follows it (an explicit one, or the implicit one of a Query or of
 * the messages up to a Sync): what its statements that succeeded will invalidate, the results waiting for its
 * commit (SEMANTICS F.4), and whether the cache is still usable in it.
 */
final class CacheTransaction {
    /** A transaction keeps at most this many results until it commits (pgpool keeps all). */
    static final int MAX_PENDING = 128;

    private record Pending(CacheKey key, CachedResult result, boolean fromStandby) {
    }

    private final QueryCache.Snapshot snapshot;
    private Effects effects = Effects.NONE;
    private final List<Pending> pending = new ArrayList<>();
    final List<SetCommand> settingChanges = new ArrayList<>();
    private long selects;
    /** A write was sent in it: no lookups and no new results for the rest of it. */
    boolean wrote;
    /** ALTER... or a SET that changes answers was sent in it: the same. */
    boolean noCache;
    /** An error happened in it: nothing it read is registered. */
    boolean failed;

    CacheTransaction(QueryCache.Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** A statement of it succeeded; {@code complete}: all its rows were read. */
    void succeeded(CacheHandle.Unit u, boolean complete) {
        effects = effects.plus(u.effects());
        if (u.select()) {
            selects++;
        }
        if (u.collector() != null && complete && pending.size() < MAX_PENDING) {
            CachedResult r = u.collector().result();
            if (r != null) {
                pending.add(new Pending(u.collector().key(), r, u.fromStandby()));
            }
        }
    }

    /** PREPARE TRANSACTION: what it read may not be registered, its writes commit later (or never). */
    void dropResults() {
        pending.clear();
    }

    /** It committed: invalidate what it wrote, then register what it read that is still true. */
    void commit(QueryCache store, QueryCacheSettings s, String database, Consumer<String> catalogChanged,
            SessionSettings sessionSettings) {
        Effects e = effects;
        if (e.all()) {
            store.invalidateAll();
        } else if (s.autoInvalidation()) {
            if (e.droppedDatabase() != null) {
                store.invalidateDatabase(e.droppedDatabase());
            }
            if (e.database()) {
                store.invalidateDatabase(database);
            } else if (!e.tables().isEmpty()) {
                store.invalidateTables(database, e.tables());
            }
        }
        if (e.catalogChanged()) {
            catalogChanged.accept(database);
        }
        settingChanges.forEach(sessionSettings::apply);
        if (!failed && !noCache && !e.all() && !e.database()) {
            for (Pending p : pending) {
                if (Collections.disjoint(p.result().tables(), e.tables())) {
                    store.register(p.key(), p.result(), snapshot, p.fromStandby());
                }
            }
        }
        store.countSelects(selects);
    }
}
