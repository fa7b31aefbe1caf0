package io.jpgpool.pcp.wire;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A PCP packet being built: tag, then payload parts; the length is computed from the finished payload
 * (PCP_SPEC 2: building it first is what keeps the length and the bytes in agreement).
 */
public final class PcpPacket {
    private final byte tag;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    private PcpPacket(byte tag) {
        this.tag = tag;
    }

    public static PcpPacket of(char tag) {
        return new PcpPacket((byte) tag);
    }

    /** A string and its terminating NUL. */
    public PcpPacket cstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        payload.write(b, 0, b.length);
        payload.write(0);
        return this;
    }

    /** Several strings, each NUL-terminated. */
    public PcpPacket cstrings(Iterable<String> values) {
        for (String v : values) {
            cstring(v);
        }
        return this;
    }

    /** A big-endian int32 (only pcp_pool_status' ArraySize is sent this way). */
    public PcpPacket int32(int v) {
        payload.write(v >>> 24);
        payload.write(v >>> 16);
        payload.write(v >>> 8);
        payload.write(v);
        return this;
    }

    public PcpPacket rawByte(int b) {
        payload.write(b);
        return this;
    }

    public PcpPacket raw(byte[] b) {
        payload.write(b, 0, b.length);
        return this;
    }

    public byte tag() {
        return tag;
    }

    /** tag, length, payload. */
    public byte[] toBytes() {
        byte[] p = payload.toByteArray();
        byte[] out = new byte[5 + p.length];
        int len = 4 + p.length;
        out[0] = tag;
        out[1] = (byte) (len >>> 24);
        out[2] = (byte) (len >>> 16);
        out[3] = (byte) (len >>> 8);
        out[4] = (byte) len;
        System.arraycopy(p, 0, out, 5, p.length);
        return out;
    }

    public void encode(ByteBuf out) {
        out.writeBytes(toBytes());
    }

    public PcpFrame toFrame() {
        return PcpFrame.of((char) (tag & 0xff), payload.toByteArray());
    }
}
