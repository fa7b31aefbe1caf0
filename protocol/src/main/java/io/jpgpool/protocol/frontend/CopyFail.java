package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** COPY FROM STDIN aborted by the client. */
public record CopyFail(String message) {
    public static CopyFail decode(ByteBuf frame) {
        return new CopyFail(PgBuffers.readCString(frame.duplicate().skipBytes(5)));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.COPY_FAIL);
        PgBuffers.writeCString(out, message);
        PgBuffers.endMessage(out, len);
    }
}
