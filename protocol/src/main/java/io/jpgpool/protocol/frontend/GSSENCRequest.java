package io.jpgpool.protocol.frontend;

import io.netty.buffer.ByteBuf;

/** Asks the server for GSSAPI encryption; jpgpool answers {@code N} like pgpool. */
public final class GSSENCRequest {
    public static final int CODE = 80877104;
    public static final GSSENCRequest INSTANCE = new GSSENCRequest();

    private GSSENCRequest() {
    }

    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }
}
