package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/** The client's chosen SASL mechanism and its first message. */
public record SASLInitialResponse(String mechanism, byte[] data) {
    public static SASLInitialResponse decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String mechanism = PgBuffers.readCString(b);
        int n = b.isReadable(4) ? b.readInt() : -2;
        if (n < -1 || (n > 0 && !b.isReadable(n))) {
            throw new ProtocolException("malformed SASLInitialResponse message");
        }
        byte[] data = new byte[Math.max(n, 0)];
        b.readBytes(data);
        return new SASLInitialResponse(mechanism, data);
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.PASSWORD);
        PgBuffers.writeCString(out, mechanism);
        out.writeInt(data.length);
        out.writeBytes(data);
        PgBuffers.endMessage(out, len);
    }
}
