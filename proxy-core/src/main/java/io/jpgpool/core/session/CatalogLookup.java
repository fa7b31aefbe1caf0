package io.jpgpool.core.session;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.core.auth.Credentials;
import io.jpgpool.core.auth.ReuseProof;
import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.backend.ConnectionPool;
import io.jpgpool.core.backend.CredentialSource;
import io.jpgpool.core.backend.PoolKey;
import io.jpgpool.core.cache.CacheCatalogQueries;
import io.jpgpool.core.cache.Cacheability;
import io.jpgpool.core.catalog.CatalogCache;
import io.jpgpool.core.catalog.TableFacts;
import io.jpgpool.core.routing.Router;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.Query;
import io.jpgpool.protocol.frontend.StartupMessage;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.TimestampRewriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the primary what routing needs to know about functions and tables it has not seen yet (SEMANTICS A.4,
 * A.5). Like Pgpool-II, it asks on the session's own connection when that is idle, so that it sees what the
 * client sees (its search_path, its temporary tables); otherwise on a connection of the same user and database
 * from the pool (given back afterwards) or a new one (closed afterwards, so that a lookup never leaves a second
 * connection of the session's key in the pool). Everything learnt goes into the shared {@link CatalogCache}.
 */
final class CatalogLookup implements BackendListener {
    private final ProxyRuntime rt;
    private final String database;
    private final Router.Missing missing;
    /** What the query cache still needs (SEMANTICS F.3), asked next to routing's. */
    private final Cacheability.Missing cacheMissing;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private final ConnectionPool pool;
    /** The session, when the lookup runs on its own connection: it gets the connection back. */
    private BackendListener borrowedFrom;
    private boolean fromPool;
    private final List<List<String>> functionRows = new ArrayList<>();
    private final List<List<String>> relationRows = new ArrayList<>();
    private final List<List<String>> tableRows = new ArrayList<>();
    private final List<List<String>> insertLockRows = new ArrayList<>();
    private final List<List<String>> cacheFunctionRows = new ArrayList<>();
    private final List<List<String>> cacheRelationRows = new ArrayList<>();
    /** Where each result set's rows go, in the order the queries were sent. */
    private final List<List<List<String>>> resultSets = new ArrayList<>();
    private int readyPending;
    private int resultSet;
    private ErrorResponse error;

    private CatalogLookup(ProxyRuntime rt, String database, Router.Missing missing,
            Cacheability.Missing cacheMissing, ConnectionPool pool) {
        this.rt = rt;
        this.database = database;
        this.missing = missing;
        this.cacheMissing = cacheMissing;
        this.pool = pool;
    }

    static CompletableFuture<Void> run(ProxyRuntime rt, EventLoop loop, StartupMessage startup, String user,
            String database, Credentials credentials, ReuseProof proof, BackendConnection idleOwn, int primary,
            Router.Missing missing, Cacheability.Missing cacheMissing, PgpoolConfig cfg) {
        ConnectionPool pool = rt.pool(loop);
        CatalogLookup lookup = new CatalogLookup(rt, database, missing, cacheMissing, pool);
        if (idleOwn != null) {
            lookup.borrowedFrom = idleOwn.listener();
            lookup.start(idleOwn);
            return lookup.result;
        }
        PoolKey key = new PoolKey(primary, user, database, startup.parameters());
        BackendConnection pooled = pool.checkout(key);
        if (pooled != null) {
            lookup.fromPool = true;
            lookup.start(pooled);
        } else {
            rt.connector().connect(loop, rt.cluster().snapshot().node(primary), startup, key,
                    CredentialSource.of(credentials), cfg.connectTimeout()).whenComplete((c, err) -> {
                        if (err != null) {
                            lookup.result.completeExceptionally(err);
                        } else {
                            c.reuseProof(proof != null ? proof : ReuseProof.TRUST);
                            lookup.start(c);
                        }
                    });
        }
        return lookup.result;
    }

    /** When the catalog cannot be asked: unknown functions count as writing, unknown tables as unlogged. */
    static void recordUnknownAsUnsafe(ProxyRuntime rt, String database, Router.Missing missing) {
        missing.functions().forEach(f -> rt.catalog().recordFunction(database, f, true, false));
        missing.relations().forEach(r -> rt.catalog().recordRelation(database, r, true, false));
        missing.tables().forEach(t -> rt.catalog().recordTable(database, t, TableFacts.NONE));
    }

    private void start(BackendConnection c) {
        c.listener(this);
        if (!missing.functions().isEmpty()) {
            send(c, functionQuery(missing.functions()), functionRows);
        }
        if (!missing.relations().isEmpty()) {
            send(c, relationQuery(missing.relations()), relationRows);
        }
        if (!missing.tables().isEmpty()) {
            send(c, tableQuery(missing.tables()), tableRows);
            if (rt.catalog().hasInsertLockTable(database) == null) {
                send(c, "SELECT pg_catalog.to_regclass('pgpool_catalog.insert_lock') IS NOT NULL /* jpgpool */",
                        insertLockRows);
            }
        }
        if (!cacheMissing.functions().isEmpty()) {
            send(c, CacheCatalogQueries.functionQuery(cacheMissing.functions()), cacheFunctionRows);
        }
        if (!cacheMissing.relations().isEmpty()) {
            send(c, CacheCatalogQueries.relationQuery(cacheMissing.relations()), cacheRelationRows);
        }
        c.flush();
    }

    private void send(BackendConnection c, String sql, List<List<String>> rows) {
        ByteBuf out = c.channel().alloc().buffer();
        new Query(sql).encode(out);
        c.write(out);
        readyPending++;
        resultSets.add(rows);
    }

    /**
     * For each table written to in native replication mode: its oid and every live column with its default
     * (SEMANTICS B.7, B.8), resolved as the session would through its search_path; one row of NULLs for a
     * table that does not exist.
     */
    static String tableQuery(List<QualifiedName> tables) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < tables.size(); i++) {
            QualifiedName t = tables.get(i);
            String q = (t.schema() == null ? "" : ident(t.schema()) + ".") + ident(t.name());
            v.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(literal(q)).append(')');
        }
        return "SELECT v.i, c.oid, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity"
                + " FROM (VALUES " + v + ") AS v(i, q)"
                + " LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(v.q)"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum"
                + " ORDER BY v.i, a.attnum /* jpgpool */";
    }

    /** For each function: does any function of that name exist, and is any of them VOLATILE. */
    static String functionQuery(List<QualifiedName> functions) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < functions.size(); i++) {
            QualifiedName f = functions.get(i);
            v.append(i == 0 ? "" : ", ").append('(').append(i).append(", ")
                    .append(f.schema() == null ? "NULL::text" : literal(f.schema())).append(", ")
                    .append(literal(f.name())).append(')');
        }
        return "SELECT v.i, EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE p.proname = v.name AND (v.schema IS NULL OR n.nspname = v.schema)),"
                + " EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE p.proname = v.name AND (v.schema IS NULL OR n.nspname = v.schema)"
                + " AND p.provolatile = 'v') FROM (VALUES " + v + ") AS v(i, schema, name) /* jpgpool */";
    }

    /** For each relation (resolved as the session would, through its search_path): its persistence. */
    static String relationQuery(List<QualifiedName> relations) {
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < relations.size(); i++) {
            QualifiedName r = relations.get(i);
            String q = (r.schema() == null ? "" : ident(r.schema()) + ".") + ident(r.name());
            v.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(literal(q)).append(')');
        }
        return "SELECT v.i, c.relpersistence FROM (VALUES " + v + ") AS v(i, q)"
                + " LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(v.q) /* jpgpool */";
    }

    private static String literal(String s) {
        return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String ident(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    @Override
    public void onMessage(BackendConnection c, ByteBuf frame) {
        try {
            byte tag = frame.getByte(frame.readerIndex());
            if (borrowedFrom != null && (tag == BackendTag.NOTIFICATION_RESPONSE || tag == BackendTag.NOTICE_RESPONSE
                    || tag == BackendTag.PARAMETER_STATUS)) {
                borrowedFrom.onMessage(c, frame.retain()); // the session's own business, not the lookup's
                return;
            }
            switch (tag) {
                case BackendTag.DATA_ROW -> resultSets.get(Math.min(resultSet, resultSets.size() - 1)).add(row(frame));
                case BackendTag.ERROR_RESPONSE -> error = ErrorResponse.decode(frame);
                case BackendTag.READY_FOR_QUERY -> {
                    c.txStatus(ReadyForQuery.status(frame));
                    resultSet++;
                    if (--readyPending == 0) {
                        finish(c);
                    }
                }
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    private void finish(BackendConnection c) {
        if (borrowedFrom != null) {
            c.listener(borrowedFrom);
        } else if (fromPool && c.txStatus() == ReadyForQuery.IDLE) {
            pool.release(c);
        } else {
            c.terminate();
        }
        if (error != null) {
            result.completeExceptionally(new IllegalStateException("catalog lookup failed: " + error));
            return;
        }
        CatalogCache cache = rt.catalog();
        for (List<String> r : functionRows) {
            QualifiedName f = missing.functions().get(Integer.parseInt(r.get(0)));
            boolean exists = "t".equals(r.get(1));
            cache.recordFunction(database, f, !exists || "t".equals(r.get(2)), exists);
        }
        for (List<String> r : relationRows) {
            QualifiedName rel = missing.relations().get(Integer.parseInt(r.get(0)));
            String persistence = r.get(1);
            cache.recordRelation(database, rel, "u".equals(persistence), persistence != null);
        }
        recordTables(cache);
        for (List<String> r : insertLockRows) {
            cache.recordInsertLockTable(database, "t".equals(r.get(0)));
        }
        if (!cacheMissing.functions().isEmpty()) {
            cache.recordQueryCacheFunctions(database,
                    CacheCatalogQueries.functions(cacheMissing.functions(), cacheFunctionRows));
        }
        if (!cacheMissing.relations().isEmpty()) {
            cache.recordQueryCacheRelations(database,
                    CacheCatalogQueries.relations(cacheMissing.relations(), cacheRelationRows));
        }
        result.complete(null);
    }

    /** Rows of {@link #tableQuery}: (i, oid, column, default, identity), ordered by table and column. */
    private void recordTables(CatalogCache cache) {
        for (int i = 0; i < missing.tables().size(); i++) {
            long oid = 0;
            List<String> columns = new ArrayList<>();
            List<TimestampRewriter.ClockDefault> clock = new ArrayList<>();
            boolean sequence = false;
            for (List<String> r : tableRows) {
                if (Integer.parseInt(r.get(0)) != i || r.get(1) == null) {
                    continue;
                }
                oid = Long.parseLong(r.get(1));
                String column = r.get(2);
                String defaultExpr = r.get(3);
                if (column == null) {
                    continue;
                }
                if (defaultExpr != null && TimestampRewriter.readsClock(defaultExpr)) {
                    clock.add(new TimestampRewriter.ClockDefault(column, columns.size(), defaultExpr));
                }
                sequence |= defaultExpr != null && defaultExpr.contains("nextval(")
                        || r.get(4) != null && !r.get(4).isEmpty();
                columns.add(column);
            }
            cache.recordTable(database, missing.tables().get(i), oid == 0 ? TableFacts.NONE
                    : new TableFacts(oid, new TimestampRewriter.TableClock(columns, clock), sequence));
        }
    }

    private static List<String> row(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        int n = b.readUnsignedShort();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = b.readInt();
            if (len < 0) {
                values.add(null);
            } else {
                values.add(b.readCharSequence(len, StandardCharsets.UTF_8).toString());
            }
        }
        return values;
    }

    @Override
    public void onClosed(BackendConnection c, Throwable cause) {
        result.completeExceptionally(new IllegalStateException("connection closed during catalog lookup", cause));
        if (borrowedFrom != null) {
            borrowedFrom.onClosed(c, cause);
        }
    }
}
