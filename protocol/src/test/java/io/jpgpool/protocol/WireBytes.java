package io.jpgpool.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Messages as byte arrays, written the way the protocol docs show them (hex, or ASCII with NULs). */
public final class WireBytes {
    private WireBytes() {
    }

    /** {@code hex("51 00 00 00 0d")}: whitespace between bytes is ignored. */
    public static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""));
    }

    /** The bytes of text written as is, for message bodies such as {@code "user\0alice\0"}. */
    public static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** What an encoder writes, e.g. {@code encoded(new Query("SELECT 1")::encode)}. */
    public static byte[] encoded(Consumer<ByteBuf> encoder) {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.accept(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** A whole frame (tag, length, body) in a buffer, as the decoders hand it over. */
    public static ByteBuf frame(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    public static String hexOf(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }
}
