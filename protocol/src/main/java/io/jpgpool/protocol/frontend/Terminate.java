package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** The client ends the session. */
public final class Terminate {
    public static final Terminate INSTANCE = new Terminate();

    private Terminate() {
    }

    public void encode(ByteBuf out) {
        PgBuffers.writeEmptyMessage(out, FrontendTag.TERMINATE);
    }
}
