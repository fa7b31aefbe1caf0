package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/** Extended protocol: prepare {@code query} as the statement {@code name} ("" is the unnamed statement). */
public record Parse(String name, String query, int[] parameterTypes) {
    private static final int[] NO_TYPES = new int[0];

    public Parse(String name, String query) {
        this(name, query, NO_TYPES);
    }

    public static Parse decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String name = PgBuffers.readCString(b);
        String query = PgBuffers.readCString(b);
        int n = b.isReadable(2) ? b.readUnsignedShort() : 0;
        if (!b.isReadable(4 * n)) {
            throw new ProtocolException("invalid message format");
        }
        int[] types = n == 0 ? NO_TYPES : new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = b.readInt();
        }
        return new Parse(name, query, types);
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.PARSE);
        PgBuffers.writeCString(out, name);
        PgBuffers.writeCString(out, query);
        out.writeShort(parameterTypes.length);
        for (int t : parameterTypes) {
            out.writeInt(t);
        }
        PgBuffers.endMessage(out, len);
    }
}
