package io.jpgpool.protocol.frontend;

import io.netty.buffer.ByteBuf;

/** Sent on a new connection to cancel the query running in the session with this key. */
public record CancelRequest(int processId, int secretKey) {
    public static final int CODE = 80877102;

    public void encode(ByteBuf out) {
        out.writeInt(16);
        out.writeInt(CODE);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }
}
