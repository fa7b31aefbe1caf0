package io.jpgpool.core.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.jpgpool.core.cache.CacheCatalog;
import io.jpgpool.core.cache.FunctionFacts;
import io.jpgpool.core.cache.RelationFacts;
import io.jpgpool.core.routing.CatalogFacts;
import io.jpgpool.sql.QualifiedName;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Catalog facts per database. pg_catalog functions are known from a table generated from PostgreSQL 15
 * (so {@code now()} or {@code nextval()} never need a lookup); user functions and table persistence are
 * learnt by lookups and kept for {@code relcache_expire} seconds (0 = for ever, as in pgpool). Facts about
 * objects that did not exist when looked up expire quickly, since they may be created any moment.
 */
public final class CatalogCache {
    private static final Map<String, Boolean> PG_CATALOG_VOLATILE = loadBuiltins();

    private final Cache<Key, Boolean> facts;
    private final Cache<Key, Boolean> missing;
    /** The query cache's facts (FunctionFacts, RelationFacts); those of missing objects expire quickly too. */
    private final Cache<Key, Object> queryCacheFacts;
    /** Tables written to in native replication mode; a DDL through jpgpool drops its database's. */
    private final Cache<Key, TableFacts> tables = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<String, Boolean> insertLockTables = Caffeine.newBuilder().maximumSize(1_000)
            .executor(Runnable::run).expireAfterWrite(Duration.ofMinutes(10)).build();

    public CatalogCache(long relcacheExpireSeconds) {
        Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run);
        if (relcacheExpireSeconds > 0) {
            b.expireAfterWrite(Duration.ofSeconds(relcacheExpireSeconds));
        }
        this.facts = b.build();
        this.missing = Caffeine.newBuilder().maximumSize(10_000).executor(Runnable::run)
                .expireAfterWrite(Duration.ofSeconds(5)).build();
        this.queryCacheFacts = Caffeine.newBuilder().maximumSize(100_000).executor(Runnable::run)
                .expireAfter(new MissingExpireSooner(relcacheExpireSeconds)).build();
    }

    /** The facts of one database, as routing reads them. */
    public CatalogFacts forDatabase(String database) {
        return new CatalogFacts() {
            @Override
            public Boolean isVolatileFunction(QualifiedName f) {
                if (f.schema() == null || f.schema().equals("pg_catalog")) {
                    Boolean builtin = PG_CATALOG_VOLATILE.get(f.name());
                    if (builtin != null && (f.schema() != null || builtin)) {
                        return builtin;
                    }
                }
                return lookup(functionKey(database, f));
            }

            @Override
            public Boolean isUnloggedTable(QualifiedName r) {
                return lookup(relationKey(database, r));
            }
        };
    }

    private Boolean lookup(Key key) {
        Boolean b = facts.getIfPresent(key);
        return b != null ? b : missing.getIfPresent(key);
    }

    public void recordFunction(String database, QualifiedName f, boolean isVolatile, boolean exists) {
        (exists ? facts : missing).put(functionKey(database, f), isVolatile);
    }

    public void recordRelation(String database, QualifiedName r, boolean unlogged, boolean exists) {
        (exists ? facts : missing).put(relationKey(database, r), unlogged);
    }

    public void invalidateAll() {
        facts.invalidateAll();
        missing.invalidateAll();
        queryCacheFacts.invalidateAll();
        tables.invalidateAll();
        insertLockTables.invalidateAll();
    }

    /** Native replication's facts of a table written to; null while a look-up is still due. */
    public TableFacts table(String database, QualifiedName table) {
        return tables.getIfPresent(relationKey(database, table));
    }

    public void recordTable(String database, QualifiedName table, TableFacts t) {
        tables.put(relationKey(database, table), t);
    }

    /** Whether the database has pgpool's {@code pgpool_catalog.insert_lock} table; null while unknown. */
    public Boolean hasInsertLockTable(String database) {
        return insertLockTables.getIfPresent(database);
    }

    public void recordInsertLockTable(String database, boolean exists) {
        insertLockTables.put(database, exists);
    }

    /** The query cache's facts of one database (SEMANTICS F.3); null where a look-up is still due. */
    public CacheCatalog queryCacheFacts(String database) {
        return new CacheCatalog() {
            @Override
            public FunctionFacts function(QualifiedName f) {
                return (FunctionFacts) queryCacheFacts.getIfPresent(functionKey(database, f));
            }

            @Override
            public RelationFacts relation(QualifiedName r) {
                return (RelationFacts) queryCacheFacts.getIfPresent(relationKey(database, r));
            }
        };
    }

    public void recordQueryCacheFunctions(String database, Map<QualifiedName, FunctionFacts> found) {
        found.forEach((f, v) -> queryCacheFacts.put(functionKey(database, f), v));
    }

    public void recordQueryCacheRelations(String database, Map<QualifiedName, RelationFacts> found) {
        found.forEach((r, v) -> queryCacheFacts.put(relationKey(database, r), v));
    }

    /**
     * Forgets what is known of one database, after DDL through jpgpool changed its catalog (a table became a
     * view, a function another volatility): the next statements look it up again.
     */
    public void invalidateDatabase(String database) {
        facts.asMap().keySet().removeIf(k -> k.database().equals(database));
        missing.asMap().keySet().removeIf(k -> k.database().equals(database));
        queryCacheFacts.asMap().keySet().removeIf(k -> k.database().equals(database));
        tables.asMap().keySet().removeIf(k -> k.database().equals(database));
        insertLockTables.invalidate(database);
    }

    /** relcache_expire for what exists (0 = for ever), a few seconds for what did not exist when looked up. */
    private record MissingExpireSooner(long relcacheExpireSeconds) implements Expiry<Key, Object> {
        private static final long MISSING_NANOS = Duration.ofSeconds(5).toNanos();

        @Override
        public long expireAfterCreate(Key key, Object value, long currentTime) {
            if (value instanceof FunctionFacts f && !f.exists() || value instanceof RelationFacts r && !r.exists()) {
                return MISSING_NANOS;
            }
            return relcacheExpireSeconds > 0 ? Duration.ofSeconds(relcacheExpireSeconds).toNanos() : Long.MAX_VALUE;
        }

        @Override
        public long expireAfterUpdate(Key key, Object value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /** A fact's name: a function or a relation of one database (a record: no string building per lookup). */
    private record Key(String database, boolean function, QualifiedName name) {
    }

    private static Key functionKey(String db, QualifiedName f) {
        return new Key(db, true, f);
    }

    private static Key relationKey(String db, QualifiedName r) {
        return new Key(db, false, r);
    }

    private static Map<String, Boolean> loadBuiltins() {
        Map<String, Boolean> m = new HashMap<>();
        try (InputStream in = CatalogCache.class.getResourceAsStream(
                "/io/jpgpool/core/routing/pg_catalog_volatility.txt")) {
            if (in == null) {
                return m;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                m.put(line.substring(0, sp), line.charAt(sp + 1) == 'v');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
