package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** Simple query protocol: one string that may hold several statements. */
public record Query(String sql) {
    public static Query decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        return new Query(PgBuffers.readCString(b));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.QUERY);
        PgBuffers.writeCString(out, sql);
        PgBuffers.endMessage(out, len);
    }
}
