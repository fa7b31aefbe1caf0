package io.jpgpool.core.session;

import io.jpgpool.config.ClusteringMode;
import io.jpgpool.core.cache.CacheHandle;
import io.jpgpool.core.cache.Cacheability;
import io.jpgpool.core.cache.QueryCacheSession;
import io.jpgpool.core.cache.QueryCacheSettings;
import io.jpgpool.core.cluster.ClusterSnapshot;
import io.jpgpool.core.routing.NodeSet;
import io.jpgpool.core.routing.RoutingState;
import io.jpgpool.core.runtime.ProxyRuntime;
import io.jpgpool.protocol.frontend.Bind;
import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * The session's end of the query cache (SEMANTICS F): what {@link SimpleQuery}, {@link ExtendedQuery} and the
 * reply path tell {@link QueryCacheSession} at each message, and what they do with its answers. A session has
 * one only while {@code memory_cache_enabled} is on ({@link #of} gives null otherwise), so with the cache off
 * nothing of this runs and the per-message cost is one null check.
 */
final class SessionCache {
    private final QueryCacheSession cache;
    private final ProxyRuntime rt;
    /** The statement whose catalog facts could not be looked up: it goes on without them (it is not cached). */
    private Statement factsFailed;

    private SessionCache(QueryCacheSession cache, ProxyRuntime rt) {
        this.cache = cache;
        this.rt = rt;
    }

    /** The session's cache, or null while the cache is off. */
    static SessionCache of(ProxyRuntime rt, RoutingState routing, String user, String database,
            Map<String, String> startupParameters) {
        if (!rt.queryCache().enabled()) {
            return null;
        }
        QueryCacheSession c = new QueryCacheSession(rt.queryCache(), QueryCacheSettings.current(rt::config),
                rt.catalog().queryCacheFacts(database), routing::isTempTable, rt.catalog()::invalidateDatabase, user,
                database, startupParameters);
        return new SessionCache(c, rt);
    }

    // ------------------------------------------------------------------ catalog facts

    /** The catalog facts the cache still needs for this statement (looked up with routing's). */
    Cacheability.Missing missingFacts(Statement st) {
        return st == factsFailed ? Cacheability.Missing.NONE : cache.missingFacts(st.text(), st);
    }

    /** The look-up failed: this statement goes on without the facts (not cached; a write drops more). */
    void factsFailed(Statement st) {
        factsFailed = st;
    }

    // ------------------------------------------------------------------ simple protocol

    /**
     * The cached answer to a Query, or null. Non-null is the whole answer including its ReadyForQuery: nothing
     * goes to a backend.
     */
    ByteBuf lookup(String sql, Statement st) {
        return cache.lookup(sql, st);
    }

    /** A Query goes to {@code forwardNode}: the handle its answer is passed to (null when not followed). */
    CacheHandle querySent(String sql, Statement st, int forwardNode) {
        return cache.querySent(sql, st, onStandby(forwardNode));
    }

    /** A FunctionCall goes to the primary: it may write anything. */
    void functionCallSent() {
        cache.functionCallSent();
    }

    // ------------------------------------------------------------------ extended protocol

    void parsed(Parse p, Statement st) {
        cache.parsed(p, st);
    }

    void bound(Bind b, ByteBuf frame) {
        cache.bound(b, frame);
    }

    /** An Execute that will run on {@code nodes}: answered from the cache (reply) or sent (handle, maybe null). */
    QueryCacheSession.Execution execute(Execute e, long nodes) {
        return cache.execute(e, onStandby(NodeSet.lowest(nodes)));
    }

    /** The portal just bound will be answered from the cache: its Bind may stay here. */
    boolean servesPortal(String portal) {
        return cache.servesPortal(portal);
    }

    /** An Execute of a portal whose Bind stayed here: its answer, or null (the Bind has to go out after all). */
    QueryCacheSession.Execution executeHeld(Execute e) {
        return cache.executeHeld(e);
    }

    /** A Describe of a portal goes to the backend: the handle its answer is passed to (null when not kept). */
    CacheHandle described(String portal) {
        return cache.described(portal);
    }

    /** A Describe of a portal whose Bind stayed here: the cached RowDescription, or null. */
    ByteBuf describeHeld(String portal) {
        return cache.describeHeld(portal);
    }

    void closed(Close c) {
        cache.closed(c);
    }

    // ------------------------------------------------------------------ both

    /** A ReadyForQuery reached the client with this status: a transaction may have ended. */
    void readyForQuery(byte status) {
        cache.readyForQuery(status);
    }

    /**
     * The answer comes from a node that may lag a write just committed on the primary (a streaming or logical
     * standby); in native replication every node ran the write before it was acknowledged.
     */
    private boolean onStandby(int node) {
        ClusterSnapshot cluster = rt.cluster().snapshot();
        return node != cluster.primaryOrMain() && cluster.mode() != ClusteringMode.NATIVE_REPLICATION
                && cluster.mode() != ClusteringMode.SNAPSHOT_ISOLATION;
    }
}
