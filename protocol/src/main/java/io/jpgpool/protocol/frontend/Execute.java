package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** Extended protocol: run a portal, returning at most {@code maxRows} rows (0 = all). */
public record Execute(String portal, int maxRows) {
    public static Execute decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String portal = PgBuffers.readCString(b);
        return new Execute(portal, b.isReadable(4) ? b.readInt() : 0);
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.EXECUTE);
        PgBuffers.writeCString(out, portal);
        out.writeInt(maxRows);
        PgBuffers.endMessage(out, len);
    }
}
