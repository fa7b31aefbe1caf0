package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** Extended protocol: ask the server to send what it has produced so far. */
public final class Flush {
    public static final Flush INSTANCE = new Flush();

    private Flush() {
    }

    public void encode(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, FrontendTag.FLUSH);
    }
}
