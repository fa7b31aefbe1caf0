package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** Extended protocol: end of a pipeline; the server answers ReadyForQuery. */
public final class Sync {
    public static final Sync INSTANCE = new Sync();

    private Sync() {
    }

    public void encode(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, FrontendTag.SYNC);
    }
}
