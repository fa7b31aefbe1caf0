package io.jpgpool.core.session;

import io.jpgpool.core.backend.BackendConnection;
import io.jpgpool.core.backend.BackendListener;
import io.jpgpool.core.backend.ConnectionPool;
import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.ParameterStatus;
import io.jpgpool.protocol.backend.ReadyForQuery;
import io.jpgpool.protocol.frontend.Query;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cleans a backend connection after its client left and gives it back to the pool: {@code reset_query_list}
 * (default {@code ABORT; DISCARD ALL}; ABORT only when a transaction is open), each within 10 seconds as in
 * pgpool (SEMANTICS E.1). Any error or timeout closes the connection instead of pooling it.
 */
final class ConnectionReset implements BackendListener {
    private static final long TIMEOUT_SECONDS = 10;

    private final BackendConnection conn;
    private final ConnectionPool pool;
    private int pendingReady;
    private boolean failed;
    private boolean ended;
    private ScheduledFuture<?> timeout;

    private ConnectionReset(BackendConnection conn, ConnectionPool pool) {
        this.conn = conn;
        this.pool = pool;
    }

    static void start(BackendConnection conn, ConnectionPool pool, List<String> resetQueries) {
        List<String> queries = new ArrayList<>();
        for (String q : resetQueries) {
            String t = q.trim();
            if (t.equalsIgnoreCase("ABORT") && conn.txStatus() == ReadyForQuery.IDLE) {
                continue; // nothing to abort; ABORT outside a transaction only warns
            }
            queries.add(t);
        }
        if (queries.isEmpty()) {
            pool.release(conn);
            return;
        }
        ConnectionReset reset = new ConnectionReset(conn, pool);
        pool.resetStarted(conn.key());
        conn.listener(reset);
        for (String q : queries) {
            ByteBuf out = conn.channel().alloc().buffer();
            new Query(q).encode(out);
            conn.write(out);
            reset.pendingReady++;
        }
        conn.flush();
        reset.timeout = conn.channel().eventLoop().schedule(() -> {
            if (conn.listener() == reset) {
                conn.abort();
            }
        }, TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void onMessage(BackendConnection c, ByteBuf frame) {
        try {
            byte tag = frame.getByte(frame.readerIndex());
            switch (tag) {
                case BackendTag.ERROR_RESPONSE -> failed = true;
                case BackendTag.PARAMETER_STATUS -> {
                    ParameterStatus ps = ParameterStatus.decode(frame);
                    c.parameters().put(ps.name(), ps.value());
                }
                case BackendTag.READY_FOR_QUERY -> {
                    c.txStatus(ReadyForQuery.status(frame));
                    if (--pendingReady == 0) {
                        timeout.cancel(false);
                        if (failed || c.txStatus() != ReadyForQuery.IDLE) {
                            c.terminate();
                        } else {
                            pool.release(c);
                        }
                        ended();
                    }
                }
                default -> {
                }
            }
        } finally {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public void onClosed(BackendConnection c, Throwable cause) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        ended();
    }

    private void ended() {
        if (!ended) {
            ended = true;
            pool.resetEnded(conn.key());
        }
    }
}
