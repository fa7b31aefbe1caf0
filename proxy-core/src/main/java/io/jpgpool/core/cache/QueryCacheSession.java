package io.jpgpool.core.cache;

import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.sql.DiscardTarget;
import io.jpgpool.sql.QualifiedName;
import io.jpgpool.sql.SetCommand;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.jpgpool.sql.StatementKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session's side of the query cache (SEMANTICS F.2-F.4): a state machine the session feeds with what
 * the client sends and what the backends answer, which says when an answer comes from the cache and collects
 * the answers to cache. It registers results and invalidates tables in the shared {@link QueryCache} itself, at
 * the moments pgpool does; it does no I/O, and is used on the session's event loop only.
 *
 * <h2>Making one</h2>
 *
 * <p>One per client session, after authentication: {@code new QueryCacheSession(rt.queryCache(),
 * QueryCacheSettings.current(rt::config), rt.catalog().queryCacheFacts(database), routingState::isTempTable,
 * rt.catalog()::invalidateDatabase, user, database, startup.parameters())}. While memory_cache_enabled is off
 * every call is a no-op that returns null/empty, so the session may call it unconditionally.
 *
 * <h2>Catalog facts</h2>
 *
 * <p>When a statement is analysed (a Query, a Parse), before it is routed: {@link #missingFacts} lists the facts
 * still to look up. Run {@link CacheCatalogQueries#functionQuery} and {@link CacheCatalogQueries#relationQuery}
 * for them on the look-up connection, next to routing's, and record the rows with
 * {@code rt.catalog().recordQueryCacheFunctions(database, CacheCatalogQueries.functions(asked, rows))} (and
 * {@code ...Relations}). Facts that stay unknown (a failed look-up) only make the cache more careful: the
 * statement is not cached, a write drops the database's results.
 *
 * <h2>Simple protocol, each Query</h2>
 * <ol>
 * <li>{@link #lookup}. Non-null: that is the whole answer, RowDescription, DataRows, CommandComplete as the
 * backend sent them and one ReadyForQuery with the transaction status the client last saw. Write it (it owns its
 * buffer; writing releases it), send nothing to any backend, route nothing, and do not pass that ReadyForQuery to
 * {@link #readyForQuery}. Null is a miss (also while an earlier request still waits for its ReadyForQuery).</li>
 * <li>On a miss, route and send the Query as usual and call {@link #querySent} as it goes out ({@code onStandby}:
 * it went to a node that is not the primary). Pass the returned handle every message of the answer that goes to the
 * client, in order, up to but not including the ReadyForQuery: RowDescription, DataRows, CommandComplete,
 * EmptyQueryResponse, ErrorResponse, also for each statement of a multi-statement string and across a COPY
 * (notices and ParameterStatus may be passed or not). {@link CacheHandle#frames} takes whole messages of a batch
 * by index, so the session's forwarding need not slice them.</li>
 * <li>Pass that ReadyForQuery's status to {@link #readyForQuery}.</li>
 * </ol>
 *
 * <p>A FunctionCall: {@link #functionCallSent} as it goes out, and its ReadyForQuery's status to
 * {@link #readyForQuery}.
 *
 * <h2>Extended protocol</h2>
 *
 * <p>Parse, Bind, Describe, Close, Flush and Sync always go to the backend as usual: only an Execute can be
 * answered from the cache (pgpool's streaming-replication mode), so ParseComplete, BindComplete,
 * ParameterDescription, RowDescription or NoData and CloseComplete are always the backend's own.
 * <ol>
 * <li>Parse: {@link #parsed} as it is sent. Bind: {@link #bound} with the whole message (the key takes its
 * parameter formats, values and result formats, and the Parse's parameter types). Close: {@link #closed}.</li>
 * <li>Execute: {@link #execute}. When {@link Execution#reply()} is non-null, do not send this Execute: queue those
 * bytes as its local answer, after the answers to the messages before it and before those after it. They are
 * DataRows and CommandComplete, or a lone {@code CommandComplete "SELECT 0"} for a portal the cache has answered
 * already (what PostgreSQL answers for a portal at its end). If an earlier message before the same Sync failed,
 * drop the local answer, as PostgreSQL skips everything up to the Sync. Otherwise send the Execute, and when
 * {@link Execution#handle()} is non-null pass it the messages that answer this Execute: DataRows, CommandComplete,
 * PortalSuspended, EmptyQueryResponse or ErrorResponse.</li>
 * <li>Sync: always sent; the backend's ReadyForQuery is the one answer to it, so there is exactly one per Sync
 * even when every Execute before it came from the cache. Pass its status to {@link #readyForQuery}.</li>
 * </ol>
 *
 * <p>Every other ReadyForQuery that reaches the client may be passed to {@link #readyForQuery} too (a SHOW
 * pool_* answered by jpgpool); it changes nothing there. With log_per_node_statement on, each hit logs pgpool's
 * {@code query result fetched from cache. statement: ...} on the {@code io.jpgpool.statement} logger.
 *
 * <h2>Rules</h2>
 * <ul>
 * <li>No lookup and no new result in a transaction that has sent a write (even one that failed), that has an
 * error, or after an ALTER ... or a SET of a setting that changes answers in it; nor after SET ROLE or SET SESSION
 * AUTHORIZATION in the session (pgpool 4.3.20), until DISCARD ALL.</li>
 * <li>A result is registered when its transaction commits: at its ReadyForQuery outside a transaction (a Query, or
 * the messages up to a Sync), at COMMIT inside one; ROLLBACK, an error, or a write in the same transaction to a
 * table it read discards it. A result is not registered if a write to one of its tables committed (through
 * jpgpool) after its transaction began.</li>
 * <li>Writes invalidate when their transaction commits ({@link Effects}); nothing when it rolls back or the
 * statement failed. With memqcache_auto_cache_invalidation off only what clears everything still does.</li>
 * <li>An Execute with a row limit is neither looked up nor cached (pgpool 4.3.20's partial fetch).</li>
 * </ul>
 */
public final class QueryCacheSession {
    /** The logger of log_per_node_statement lines (the session's StatementLog), for "fetched from cache". */
    private static final Logger STATEMENTS = LoggerFactory.getLogger("io.jpgpool.statement");
    private static final byte[] SELECT_ZERO = encode(new CommandComplete("SELECT 0"));
    private static final byte[][] READY = {encodeReady(ReadyForQuery.IDLE), encodeReady(ReadyForQuery.IN_TRANSACTION),
            encodeReady(ReadyForQuery.FAILED_TRANSACTION)};

    /** What to do with an Execute. */
    public record Execution(ByteBuf reply, CacheHandle handle) {
        static final Execution FORWARD = new Execution(null, null);
    }

    private record Prepared(String text, Statement statement, byte[] parameterTypes, boolean selectLike) {
    }

    private static final class Portal {
        final Prepared prepared;
        final byte[] bound;
        boolean executed;
        boolean servedFromCache;
        /** The answer being collected, once the Execute went out. */
        ResultCollector collector;
        /** A Describe's RowDescription that came before the collector. */
        byte[] rowDescription;

        Portal(Prepared prepared, byte[] bound) {
            this.prepared = prepared;
            this.bound = bound;
        }
    }

    private final QueryCache store;
    private final Supplier<QueryCacheSettings> settings;
    private final CacheCatalog catalog;
    private final Predicate<String> sessionTempTable;
    private final Consumer<String> catalogChanged;
    private final String user;
    private final String database;
    private final SessionSettings sessionSettings;
    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final Map<String, Statement> sqlPrepared = new HashMap<>();
    private byte txStatus = ReadyForQuery.IDLE;
    private CacheTransaction tx;
    private boolean disabled;
    /** Queries sent whose ReadyForQuery has not come yet. */
    private int queriesInFlight;
    /** Extended-protocol messages went out since the last ReadyForQuery (a Sync is due). */
    private boolean extendedInFlight;
    /** The last statement's syntax check (missingFacts and querySent ask for the same statement in a row). */
    private Statement checkedStatement;
    private String checkedText;
    private String checkedReason;

    /**
     * @param settings          the current configuration's cache settings (reloadable ones change)
     * @param catalog           the catalog facts of this session's database
     * @param sessionTempTable  whether an unqualified name is one of this session's temporary tables
     * @param catalogChanged    called with the database when DDL made its catalog facts stale
     * @param startupParameters the client's startup packet (its settings are part of every key)
     */
    public QueryCacheSession(QueryCache store, Supplier<QueryCacheSettings> settings, CacheCatalog catalog,
            Predicate<String> sessionTempTable, Consumer<String> catalogChanged, String user, String database,
            Map<String, String> startupParameters) {
        this.store = store;
        this.settings = settings;
        this.catalog = catalog;
        this.sessionTempTable = sessionTempTable;
        this.catalogChanged = catalogChanged;
        this.user = user;
        this.database = database;
        this.sessionSettings = new SessionSettings(startupParameters);
    }

    public boolean enabled() {
        return store.enabled();
    }

    // ------------------------------------------------------------------------------------------ catalog facts

    /** The catalog facts the cache needs for {@code sql} that the catalog does not know yet. */
    public Cacheability.Missing missingFacts(String sql, Statement st) {
        if (!store.enabled()) {
            return Cacheability.Missing.NONE;
        }
        LinkedHashSet<QualifiedName> functions = new LinkedHashSet<>();
        LinkedHashSet<QualifiedName> relations = new LinkedHashSet<>();
        if (st.multiStatement()) {
            for (String one : SqlAnalyzer.splitStatements(sql)) {
                missing(one, SqlAnalyzer.analyze(one), functions, relations);
            }
        } else {
            missing(sql, st, functions, relations);
        }
        return functions.isEmpty() && relations.isEmpty() ? Cacheability.Missing.NONE
                : new Cacheability.Missing(List.copyOf(functions), List.copyOf(relations));
    }

    private void missing(String sql, Statement st, LinkedHashSet<QualifiedName> functions,
            LinkedHashSet<QualifiedName> relations) {
        if (syntaxReason(st, sql) == null) {
            List<QualifiedName> f = new ArrayList<>();
            List<QualifiedName> r = new ArrayList<>();
            Cacheability.missing(st, catalog, f, r);
            functions.addAll(f);
            relations.addAll(r);
        }
        for (QualifiedName f : Effects.userFunctions(st)) {
            if (catalog.function(f) == null) {
                functions.add(f);
            }
        }
        for (QualifiedName r : Effects.writtenRelations(st, sqlPrepared::get)) {
            if (catalog.relation(r) == null) {
                relations.add(r);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ simple protocol

    /**
     * The cached answer to a Query, followed by a ReadyForQuery with the current transaction status, or null.
     * pgpool looks up before parsing, by the text as received; the statement is only used to see through this
     * session's temporary tables. Nothing is found while an earlier request still waits for its ReadyForQuery
     * (a pipelining client), since the transaction status to answer with is not known then.
     */
    public ByteBuf lookup(String sql, Statement st) {
        if (!usable() || queriesInFlight > 0 || extendedInFlight || st.multiStatement()
                || !Cacheability.likelySelect(sql) || readsSessionTempTable(st)) {
            return null;
        }
        CachedResult r = store.get(simpleKey(sql));
        if (r == null) {
            return null;
        }
        logHit(sql);
        return Unpooled.wrappedBuffer(r.queryReply(), Unpooled.wrappedBuffer(ready(txStatus)));
    }

    /**
     * A Query is going to the backend. Returns the handle to pass its answer to, or null when the cache is off.
     *
     * @param onStandby it runs on a standby (whose answer may lag a write just made elsewhere)
     */
    public CacheHandle querySent(String sql, Statement st, boolean onStandby) {
        if (!store.enabled()) {
            return null;
        }
        openTx();
        queriesInFlight++;
        boolean usable = usable() && !readsSessionTempTable(st);
        List<CacheHandle.Unit> units = new ArrayList<>();
        if (st.multiStatement()) {
            for (String one : SqlAnalyzer.splitStatements(sql)) {
                units.add(unit(one, SqlAnalyzer.analyze(one), null, onStandby));
            }
        } else {
            units.add(unit(sql, st, usable ? collector(sql, st, simpleKey(sql)) : null, onStandby));
        }
        return new CacheHandle(this, units);
    }

    /**
     * A FunctionCall (the fast-path protocol) is going to the backend. What the function writes cannot be known,
     * and its answer has no CommandComplete: the rest of the transaction is not cached, and the database's results
     * go when it ends, even if the call failed (the safe side).
     */
    public void functionCallSent() {
        if (!store.enabled()) {
            return;
        }
        queriesInFlight++;
        sent(null, Effects.UNKNOWN);
        openTx().succeeded(new CacheHandle.Unit(null, Effects.UNKNOWN, null, false, false), false);
    }

    // ------------------------------------------------------------------------------------------ extended protocol

    /** A Parse is going to the backend. */
    public void parsed(Parse parse, Statement st) {
        if (!store.enabled()) {
            return;
        }
        byte[] types = new byte[4 * parse.parameterTypes().length];
        for (int i = 0; i < parse.parameterTypes().length; i++) {
            int t = parse.parameterTypes()[i];
            types[4 * i] = (byte) (t >>> 24);
            types[4 * i + 1] = (byte) (t >>> 16);
            types[4 * i + 2] = (byte) (t >>> 8);
            types[4 * i + 3] = (byte) t;
        }
        extendedInFlight = true;
        statements.put(parse.name(), new Prepared(parse.query(), st, types, syntaxReason(st, parse.query()) == null));
    }

    /** A Bind is going to the backend; {@code frame} is the whole message. */
    public void bound(Bind bind, ByteBuf frame) {
        if (!store.enabled()) {
            return;
        }
        openTx();
        extendedInFlight = true;
        Prepared ps = statements.get(bind.statement());
        byte[] bound = null;
        if (ps != null && ps.selectLike()) {
            int at = frame.readerIndex() + 5;
            at = frame.indexOf(at, frame.writerIndex(), (byte) 0) + 1; // after the portal name
            at = frame.indexOf(at, frame.writerIndex(), (byte) 0) + 1; // after the statement name
            int n = frame.writerIndex() - at;
            bound = new byte[ps.parameterTypes().length + n];
            System.arraycopy(ps.parameterTypes(), 0, bound, 0, ps.parameterTypes().length);
            frame.getBytes(at, bound, ps.parameterTypes().length, n);
        }
        portals.put(bind.portal(), new Portal(ps, bound));
    }

    /**
     * Whether the first Execute (all rows) of the portal just {@link #bound} will be answered from the cache: then
     * its Bind need not reach a backend. Counts no hit; {@link #executeHeld} does.
     */
    public boolean servesPortal(String portal) {
        Portal p = portals.get(portal);
        return p != null && hit(p) != null;
    }

    /**
     * An Execute of a portal whose Bind went to no backend ({@link #servesPortal}): its answer, or null when the
     * cache no longer has it (nothing counted: the Bind goes out after all, then the Execute as usual).
     */
    public Execution executeHeld(Execute execute) {
        Portal p = portals.get(execute.portal());
        if (p != null && p.servedFromCache) {
            return new Execution(selectZero(), null); // as execute() answers a portal at its end
        }
        CacheKey key = p == null || execute.maxRows() != 0 ? null : hit(p);
        CachedResult r = key == null ? null : store.get(key);
        if (r == null) {
            return null;
        }
        openTx();
        extendedInFlight = true;
        p.executed = true;
        return served(p, r);
    }

    /** The key under which the portal's first Execute is cached now, or null. */
    private CacheKey hit(Portal p) {
        if (!store.enabled() || p.executed || p.servedFromCache) {
            return null;
        }
        CacheKey key = keyOf(p, 0);
        return key != null && store.contains(key) ? key : null;
    }

    /** The key of a portal's answer when it may be served or cached (all rows, usable now), else null. */
    private CacheKey keyOf(Portal p, int maxRows) {
        return usable() && maxRows == 0 && p.bound != null && !readsSessionTempTable(p.prepared.statement())
                ? extendedKey(p.prepared.text(), p.bound) : null;
    }

    /** The portal's rows come from the cache. */
    private Execution served(Portal p, CachedResult r) {
        p.servedFromCache = true;
        logHit(p.prepared.text());
        return new Execution(r.executeReply(), null);
    }

    /** An Execute: answer it from the cache, or send it (and pass its answer to the handle, if any). */
    public Execution execute(Execute execute, boolean onStandby) {
        if (!store.enabled()) {
            return Execution.FORWARD;
        }
        openTx();
        extendedInFlight = true;
        Portal p = portals.get(execute.portal());
        if (p == null) {
            return Execution.FORWARD; // no such portal: the backend says so
        }
        if (p.servedFromCache) {
            // its rows went out already: what the backend says for a portal at its end (pgpool 4.3.20)
            return new Execution(selectZero(), null);
        }
        if (p.executed) {
            return Execution.FORWARD;
        }
        p.executed = true;
        Prepared ps = p.prepared;
        CacheKey key = keyOf(p, execute.maxRows());
        CachedResult r = key == null ? null : store.get(key);
        if (r != null) {
            return served(p, r);
        }
        ResultCollector collector = key == null ? null : collector(ps.text(), ps.statement(), key);
        if (collector != null && p.rowDescription != null) {
            collector.add(Unpooled.wrappedBuffer(p.rowDescription), 0, p.rowDescription.length,
                    BackendTag.ROW_DESCRIPTION);
        }
        p.collector = collector;
        CacheHandle.Unit u = ps == null ? new CacheHandle.Unit(null, Effects.UNKNOWN, null, false, onStandby)
                : unit(ps.text(), ps.statement(), collector, onStandby);
        if (ps == null) {
            sent(null, u.effects());
        }
        return new Execution(null, new CacheHandle(this, List.of(u)));
    }

    /**
     * A Describe of a portal is going to the backend: the handle that keeps its RowDescription with the portal's
     * answer (so that a later hit can describe it), or null.
     */
    public CacheHandle described(String portal) {
        Portal p = store.enabled() ? portals.get(portal) : null;
        if (p == null || p.bound == null) {
            return null;
        }
        return CacheHandle.describing(t -> {
            if (p.collector != null) {
                p.collector.add(Unpooled.wrappedBuffer(t), 0, t.length, BackendTag.ROW_DESCRIPTION);
            } else {
                p.rowDescription = t;
            }
        });
    }

    /** A Describe of a portal whose Bind went to no backend: the cached RowDescription, or null (not known). */
    public ByteBuf describeHeld(String portal) {
        Portal p = portals.get(portal);
        CacheKey key = p == null ? null : hit(p);
        CachedResult r = key == null ? null : store.peek(key);
        return r == null ? null : r.rowDescription();
    }

    /** A Close is going to the backend. */
    public void closed(Close close) {
        if (close.isStatement()) {
            statements.remove(close.name());
        } else {
            portals.remove(close.name());
        }
    }

    // ------------------------------------------------------------------------------------------ both

    /**
     * A ReadyForQuery goes to the client with {@code status}. Idle: the transaction ended; unless it failed its
     * results are registered now, and its writes invalidate (a failed implicit transaction still invalidates what
     * succeeded in it, the safe side).
     */
    public void readyForQuery(byte status) {
        txStatus = status;
        queriesInFlight = Math.max(0, queriesInFlight - 1);
        extendedInFlight = false;
        if (status == ReadyForQuery.IDLE) {
            if (tx != null) {
                commit();
            }
            portals.clear();
        } else if (status == ReadyForQuery.FAILED_TRANSACTION && tx != null) {
            tx.failed = true;
        }
    }

    // ------------------------------------------------------------------------------------------ from handles

    void succeeded(CacheHandle.Unit u, String commandTag, boolean complete) {
        CacheTransaction t = openTx();
        t.succeeded(u, complete);
        if (u.statement() != null) {
            sessionEffects(u.statement());
        }
        boolean toSavepoint = u.statement() != null && u.statement().kind() == StatementKind.ROLLBACK_TO;
        if (commandTag != null && !toSavepoint) {
            // by tag, not by statement: COMMIT of a failed transaction answers ROLLBACK
            switch (commandTag) {
                case "COMMIT" -> commit();
                case "ROLLBACK" -> rollback();
                case "PREPARE TRANSACTION" -> {
                    // COMMIT PREPARED drops the database's results; until then nothing of it is committed
                    t.dropResults();
                    commit();
                }
                default -> {
                }
            }
        }
    }

    void failed() {
        if (tx != null) {
            tx.failed = true;
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    private boolean usable() {
        return store.enabled() && !disabled && txStatus != ReadyForQuery.FAILED_TRANSACTION
                && (tx == null || !tx.wrote && !tx.noCache && !tx.failed);
    }

    private CacheTransaction openTx() {
        if (tx == null) {
            tx = new CacheTransaction(store.snapshot());
        }
        return tx;
    }

    private CacheHandle.Unit unit(String sql, Statement st, ResultCollector collector, boolean onStandby) {
        Effects e = Effects.of(sql, st, catalog, sqlPrepared::get);
        sent(st, e);
        return new CacheHandle.Unit(st, e, collector, st.kind().selectFamily(), onStandby);
    }

    /** What sending a statement changes at once: after a write, ALTER... or a SET, this transaction stops caching. */
    private void sent(Statement st, Effects e) {
        CacheTransaction t = openTx();
        t.wrote |= e.writes();
        t.noCache |= e.all() || e.catalogChanged();
        SetCommand c = st == null ? null : st.setCommand();
        if (c != null && (SessionSettings.matters(c) || changesRole(c))) {
            t.noCache = true;
        }
    }

    private String syntaxReason(Statement st, String sql) {
        if (st != checkedStatement || !sql.equals(checkedText)) {
            checkedReason = Cacheability.syntaxReason(st, sql);
            checkedStatement = st;
            checkedText = sql;
        }
        return checkedReason;
    }

    private ResultCollector collector(String sql, Statement st, CacheKey key) {
        Cacheability.Verdict v = Cacheability.decideChecked(st, syntaxReason(st, sql), catalog, sessionTempTable,
                settings.get());
        return v.cacheable() ? new ResultCollector(key, v.tables(), store.settings().maxCache()) : null;
    }

    private CacheKey simpleKey(String sql) {
        return new CacheKey(user, database, sessionSettings.key(), sql, null);
    }

    private CacheKey extendedKey(String sql, byte[] bound) {
        return new CacheKey(user, database, sessionSettings.key(), sql, bound);
    }

    private boolean readsSessionTempTable(Statement st) {
        for (QualifiedName r : st.relations()) {
            if (r.schema() == null ? sessionTempTable.test(r.name()) : r.schema().startsWith("pg_temp")) {
                return true;
            }
        }
        return false;
    }

    /** SET, SET ROLE, DISCARD ALL, PREPARE, DEALLOCATE once they succeeded. */
    private void sessionEffects(Statement st) {
        SetCommand c = st.setCommand();
        if (c != null) {
            if (changesRole(c)) {
                disabled = true;
            } else if (SessionSettings.matters(c) && !c.local()) {
                openTx().settingChanges.add(c);
            }
        }
        for (QualifiedName f : st.functions()) {
            if (f.name().equals("set_config")) {
                disabled = true; // a setting changed where jpgpool cannot follow it
            }
        }
        if (st.kind() == StatementKind.DISCARD && st.discardTarget() == DiscardTarget.ALL) {
            sessionSettings.resetAll();
            statements.clear();
            portals.clear();
            sqlPrepared.clear();
            disabled = false;
        } else if (st.kind() == StatementKind.PREPARE && st.preparedName() != null && st.inner() != null) {
            sqlPrepared.put(st.preparedName(), st.inner());
            statements.put(st.preparedName(), new Prepared(st.inner().text(), st.inner(), new byte[0], false));
        } else if (st.kind() == StatementKind.DEALLOCATE) {
            if (st.deallocateAll()) {
                sqlPrepared.clear();
                statements.clear();
            } else if (st.preparedName() != null) {
                sqlPrepared.remove(st.preparedName());
                statements.remove(st.preparedName());
            }
        }
    }

    private static boolean changesRole(SetCommand c) {
        return c.kind() == SetCommand.Kind.VALUE
                && (c.parameter().equals("role") || c.parameter().equals("session_authorization"));
    }

    /** The transaction committed (or ended as well as it could): invalidate, then register what is still true. */
    private void commit() {
        CacheTransaction t = tx;
        tx = null;
        portals.clear();
        if (t != null) {
            t.commit(store, settings.get(), database, catalogChanged, sessionSettings);
        }
    }

    private void rollback() {
        tx = null;
        portals.clear();
    }

    private void logHit(String sql) {
        if (settings.get().logPerNodeStatement()) {
            STATEMENTS.info("query result fetched from cache. statement: {}", sql);
        }
    }

    private static byte[] ready(byte status) {
        return switch (status) {
            case ReadyForQuery.IN_TRANSACTION -> READY[1];
            case ReadyForQuery.FAILED_TRANSACTION -> READY[2];
            default -> READY[0];
        };
    }

    private static byte[] encode(CommandComplete c) {
        ByteBuf b = Unpooled.buffer();
        c.encode(b);
        return ByteBufUtil.getBytes(b);
    }

    private static byte[] encodeReady(byte status) {
        ByteBuf b = Unpooled.buffer();
        ReadyForQuery.encode(b, status);
        return ByteBufUtil.getBytes(b);
    }

    private static ByteBuf selectZero() {
        return Unpooled.wrappedBuffer(SELECT_ZERO);
    }
}
