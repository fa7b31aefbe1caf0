package io.jpgpool.protocol.frontend;

import io.netty.buffer.ByteBuf;

/** Asks the server to start TLS; answered with a single byte {@code S} or {@code N}. */
public final class SSLRequest {
    public static final int CODE = 80877103;
    public static final SSLRequest INSTANCE = new SSLRequest();

    private SSLRequest() {
    }

    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }
}
