package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/**
 * Extended protocol: bind statement {@code statement} to portal {@code portal}. Only the two names are
 * decoded; parameter values stay in the frame, which the proxy forwards as it came.
 */
public record Bind(String portal, String statement) {
    public static Bind decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String portal = PgBuffers.readCString(b);
        return new Bind(portal, PgBuffers.readCString(b));
    }

    /** Encodes a Bind with no parameters and text results. */
    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.BIND);
        PgBuffers.writeCString(out, portal);
        PgBuffers.writeCString(out, statement);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(0);
        PgBuffers.endMessage(out, len);
    }
}
