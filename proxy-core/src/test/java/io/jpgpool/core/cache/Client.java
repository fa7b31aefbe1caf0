package io.jpgpool.core.cache;

import static io.jpgpool.core.cache.Wire.complete;

import io.jpgpool.protocol.frontend.Close;
import io.jpgpool.protocol.frontend.Execute;
import io.jpgpool.protocol.frontend.Parse;
import io.jpgpool.sql.SqlAnalyzer;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A client session as the cache sees it: what the session would call for each message, with the backend's
 * answers given by the test. Returns what the client got from the cache, or null when the backend answered.
 */
final class Client {
    final QueryCacheSession cache;
    final Set<String> tempTables = new HashSet<>();
    final List<String> catalogChanges = new ArrayList<>();

    Client(QueryCache store, CacheCatalog catalog, Supplier<QueryCacheSettings> settings, String user,
            Map<String, String> startup) {
        this.cache = new QueryCacheSession(store, settings, catalog, tempTables::contains, catalogChanges::add, user,
                "test", startup);
    }

    /** A simple Query: answered from the cache (the bytes returned), or by the backend with {@code answer}. */
    ByteBuf query(String sql, ByteBuf answer, char status) {
        Statement st = SqlAnalyzer.analyze(sql);
        ByteBuf hit = cache.lookup(sql, st);
        if (hit != null) {
            return hit;
        }
        CacheHandle h = cache.querySent(sql, st, false);
        if (h != null) {
            h.frame(answer);
        }
        cache.readyForQuery((byte) status);
        return null;
    }

    ByteBuf query(String sql, ByteBuf answer) {
        return query(sql, answer, 'I');
    }

    /** A statement with a CommandComplete answer, in the given transaction state afterwards. */
    void run(String sql, String tag, char status) {
        query(sql, complete(tag), status);
    }

    void parse(String name, String sql, int... types) {
        cache.parsed(new Parse(name, sql, types), SqlAnalyzer.analyze(sql));
    }

    void bind(String portal, String statement, List<String> params, short... resultFormats) {
        ByteBuf frame = Wire.bind(portal, statement, params, resultFormats);
        cache.bound(Wire.bindOf(frame), frame);
    }

    /** An Execute: the local reply when the cache answers it, else null after the backend's {@code answer}. */
    ByteBuf execute(String portal, int maxRows, ByteBuf answer) {
        QueryCacheSession.Execution e = cache.execute(new Execute(portal, maxRows), false);
        if (e.reply() != null) {
            return e.reply();
        }
        if (e.handle() != null) {
            e.handle().frame(answer);
        }
        return null;
    }

    void close(char kind, String name) {
        cache.closed(new Close((byte) kind, name));
    }

    void sync(char status) {
        cache.readyForQuery((byte) status);
    }
}
