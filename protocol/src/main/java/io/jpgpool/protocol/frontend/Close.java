package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

/** Extended protocol: close a statement ({@code 'S'}) or a portal ({@code 'P'}). */
public record Close(byte kind, String name) {
    public static final byte STATEMENT = 'S';
    public static final byte PORTAL = 'P';

    public static Close decode(ByteBuf frame) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        byte kind = b.readByte();
        if (kind != STATEMENT && kind != PORTAL) {
            throw new ProtocolException("invalid CLOSE message subtype " + kind);
        }
        return new Close(kind, PgBuffers.readCString(b));
    }

    public boolean isStatement() {
        return kind == STATEMENT;
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.CLOSE);
        out.writeByte(kind);
        PgBuffers.writeCString(out, name);
        PgBuffers.endMessage(out, len);
    }
}
