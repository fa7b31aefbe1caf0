package io.jpgpool.core.cache;

import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.sql.Statement;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cache's view of one request the session forwarded (a simple Query, or an Execute): the session passes
 * it every message of that request's answer as it goes to the client, in order, ReadyForQuery excepted. The
 * handle copies what is to be cached and learns which statements succeeded.
 */
public final class CacheHandle {
    /** One statement of the request: what it does when it succeeds, and the collector of its answer, if any. */
    record Unit(Statement statement, Effects effects, ResultCollector collector, boolean select,
                boolean fromStandby) {
    }

    private final QueryCacheSession owner;
    private final List<Unit> units;
    /** A Describe's handle: where its RowDescription goes (null for a Query's or an Execute's). */
    private final Consumer<byte[]> description;
    private int current;

    CacheHandle(QueryCacheSession owner, List<Unit> units) {
        this.owner = owner;
        this.units = units;
        this.description = null;
    }

    private CacheHandle(Consumer<byte[]> description) {
        this.owner = null;
        this.units = List.of();
        this.description = description;
    }

    /** The handle of a Describe of a portal: its RowDescription, if it has one, is passed on; nothing else. */
    static CacheHandle describing(Consumer<byte[]> description) {
        return new CacheHandle(description);
    }

    /** Whether the answer's rows are copied (for a benchmark or a log; the session need not care). */
    public boolean collecting() {
        return current < units.size() && units.get(current).collector() != null;
    }

    /** One whole message. */
    public void frame(ByteBuf frame) {
        frames(frame, frame.readerIndex(), frame.writerIndex());
    }

    /** Whole messages in {@code buf} at {@code [from, to)}; the buffer is only read. */
    public void frames(ByteBuf buf, int from, int to) {
        if (description != null) {
            if (to - from >= 5 && buf.getByte(from) == BackendTag.ROW_DESCRIPTION) {
                byte[] t = new byte[Math.min(to - from, 1 + buf.getInt(from + 1))];
                buf.getBytes(from, t);
                description.accept(t);
            }
            return;
        }
        int i = from;
        while (i + 5 <= to && current < units.size()) {
            byte tag = buf.getByte(i);
            int size = 1 + buf.getInt(i + 1);
            if (size < 5 || i + size > to) {
                return;
            }
            message(buf, i, size, tag);
            i += size;
        }
    }

    private void message(ByteBuf buf, int at, int size, byte tag) {
        Unit u = units.get(current);
        switch (tag) {
            case BackendTag.ROW_DESCRIPTION, BackendTag.DATA_ROW -> {
                if (u.collector() != null) {
                    u.collector().add(buf, at, size, tag);
                }
            }
            case BackendTag.COMMAND_COMPLETE -> {
                if (u.collector() != null) {
                    u.collector().add(buf, at, size, tag);
                }
                current++;
                owner.succeeded(u, commandTag(buf, at, size), true);
            }
            case BackendTag.EMPTY_QUERY_RESPONSE -> {
                current++;
                owner.succeeded(u, "", false);
            }
            case BackendTag.PORTAL_SUSPENDED -> {
                current++; // the statement ran (a DML with RETURNING has written) but not all rows were read
                owner.succeeded(u, null, false);
            }
            case BackendTag.ERROR_RESPONSE -> {
                current = units.size();
                owner.failed();
            }
            default -> {
            }
        }
    }

    private static String commandTag(ByteBuf buf, int at, int size) {
        int end = at + size - 1; // the terminating zero
        return buf.toString(at + 5, Math.max(0, end - at - 5), StandardCharsets.UTF_8);
    }
}
