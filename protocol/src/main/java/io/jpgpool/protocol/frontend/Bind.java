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

    /**
     * The same Bind with one more parameter, in text format, at the end: for the nodes that run a prepared
     * statement whose text got an extra parameter (native replication's clock, SEMANTICS B.8). The format
     * codes stay meaning the same for the other parameters.
     */
    public static ByteBuf withTextParameter(ByteBuf frame, String value, ByteBuf out) {
        ByteBuf b = frame.duplicate().skipBytes(5);
        String portal = PgBuffers.readCString(b);
        String statement = PgBuffers.readCString(b);
        int formats = b.readUnsignedShort();
        short[] codes = new short[formats];
        for (int i = 0; i < formats; i++) {
            codes[i] = b.readShort();
        }
        int params = b.readUnsignedShort();
        int valuesStart = b.readerIndex();
        for (int i = 0; i < params; i++) {
            int len = b.readInt();
            if (len > 0) {
                b.skipBytes(len);
            }
        }
        int valuesEnd = b.readerIndex();
        int len = PgBuffers.beginMessage(out, FrontendTag.BIND);
        PgBuffers.writeCString(out, portal);
        PgBuffers.writeCString(out, statement);
        if (formats == 0 || formats == 1 && codes[0] == 0) {
            out.writeShort(formats);
            for (short c : codes) {
                out.writeShort(c);
            }
        } else {
            // one code for all, or one each: one each now, text for the new parameter
            out.writeShort(params + 1);
            for (int i = 0; i < params; i++) {
                out.writeShort(formats == 1 ? codes[0] : codes[i]);
            }
            out.writeShort(0);
        }
        out.writeShort(params + 1);
        out.writeBytes(b.duplicate().setIndex(valuesStart, valuesEnd)); // the parameter values, as they were
        byte[] v = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(v.length);
        out.writeBytes(v);
        out.writeBytes(b); // the result format codes, as they were
        PgBuffers.endMessage(out, len);
        return out;
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
