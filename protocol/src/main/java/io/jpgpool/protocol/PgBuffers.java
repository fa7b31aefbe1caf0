package io.jpgpool.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/** Reading and writing the protocol's primitive types: NUL-terminated strings and length fields. */
public final class PgBuffers {
    private PgBuffers() {
    }

    /** Reads a NUL-terminated UTF-8 string and moves past the NUL. */
    public static String readCString(ByteBuf buf) {
        int start = buf.readerIndex();
        int end = buf.forEachByte(ByteProcessor.FIND_NUL);
        if (end < 0) {
            throw new ProtocolException("invalid string in message");
        }
        // the unnamed statement and portal: no decoding
        String s = end == start ? "" : buf.toString(start, end - start, StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return s;
    }

    /** Skips a NUL-terminated string. */
    public static void skipCString(ByteBuf buf) {
        int end = buf.forEachByte(ByteProcessor.FIND_NUL);
        if (end < 0) {
            throw new ProtocolException("invalid string in message");
        }
        buf.readerIndex(end + 1);
    }

    public static void writeCString(ByteBuf buf, String s) {
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }

    /** Starts a tagged message: writes the tag and a length placeholder; returns the length's index. */
    public static int beginMessage(ByteBuf buf, byte tag) {
        buf.writeByte(tag);
        int lengthIndex = buf.writerIndex();
        buf.writeInt(0);
        return lengthIndex;
    }

    /** Fills in the length of a message begun with {@link #beginMessage}. */
    public static void endMessage(ByteBuf buf, int lengthIndex) {
        buf.setInt(lengthIndex, buf.writerIndex() - lengthIndex);
    }

    /** Writes a tagged message with an empty body, such as Sync or ParseComplete. */
    public static void writeEmptyMessage(ByteBuf buf, byte tag) {
        buf.writeByte(tag);
        buf.writeInt(4);
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
