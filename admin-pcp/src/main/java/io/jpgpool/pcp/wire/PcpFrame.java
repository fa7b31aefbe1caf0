package io.jpgpool.pcp.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One PCP packet as received: its tag and payload (the bytes after the length field).
 *
 * @param length the length field as sent (4 + payload size for a well-formed packet)
 */
public record PcpFrame(byte tag, int length, byte[] payload) {

    public PcpFrame {
        payload = payload.clone();
    }

    public static PcpFrame of(char tag, byte[] payload) {
        return new PcpFrame((byte) tag, 4 + payload.length, payload);
    }

    public char tagChar() {
        return (char) (tag & 0xff);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** The byte at {@code i}, or -1 past the end. */
    public int byteAt(int i) {
        return i >= 0 && i < payload.length ? payload[i] & 0xff : -1;
    }

    /** The first string of the payload: up to the first NUL, or to the end when there is none. */
    public String firstString() {
        return stringAt(0);
    }

    /** The string starting at {@code offset}: up to the next NUL or the end. */
    public String stringAt(int offset) {
        if (offset >= payload.length) {
            return "";
        }
        int end = indexOfNul(offset);
        return latin1(payload, offset, (end < 0 ? payload.length : end) - offset);
    }

    /** Index of the first NUL at or after {@code from}, or -1. */
    public int indexOfNul(int from) {
        for (int i = from; i < payload.length; i++) {
            if (payload[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Every NUL-terminated string of the payload, in order (a trailing unterminated rest is included). */
    public List<String> strings() {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < payload.length) {
            int end = indexOfNul(i);
            if (end < 0) {
                out.add(latin1(payload, i, payload.length - i));
                break;
            }
            out.add(latin1(payload, i, end - i));
            i = end + 1;
        }
        return out;
    }

    public byte[] slice(int from, int to) {
        return Arrays.copyOfRange(payload, from, to);
    }

    static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcpFrame f && f.tag == tag && f.length == length && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * tag + length) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "PcpFrame[" + tagChar() + ", len=" + length + ", " + Bytes.escape(payload) + "]";
    }
}
