package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** The backend messages that have no body: ParseComplete, BindComplete, CloseComplete, NoData... */
public final class EmptyMessages {
    private EmptyMessages() {
    }

    public static void parseComplete(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, BackendTag.PARSE_COMPLETE);
    }

    public static void bindComplete(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, BackendTag.BIND_COMPLETE);
    }

    public static void closeComplete(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, BackendTag.CLOSE_COMPLETE);
    }

    public static void noData(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, BackendTag.NO_DATA);
    }

    public static void emptyQueryResponse(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, BackendTag.EMPTY_QUERY_RESPONSE);
    }
}
