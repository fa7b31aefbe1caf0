package io.jpgpool.core.cache;

import io.jpgpool.protocol.backend.BackendTag;
import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.DataRow;
import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.protocol.backend.RowDescription;
import io.jpgpool.protocol.frontend.Bind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Backend answers as bytes, and what a client would read from bytes, for the cache's tests. */
final class Wire {
    private Wire() {
    }

    /** RowDescription (one column "v"), a DataRow per value, CommandComplete SELECT n. */
    static ByteBuf rows(String... values) {
        ByteBuf b = Unpooled.buffer();
        new RowDescription(List.of("v")).encode(b);
        dataRows(b, values);
        return b;
    }

    /** What an Execute returns: DataRows and CommandComplete. */
    static ByteBuf executeRows(String... values) {
        ByteBuf b = Unpooled.buffer();
        dataRows(b, values);
        return b;
    }

    private static void dataRows(ByteBuf b, String... values) {
        for (String v : values) {
            new DataRow(List.of(v)).encode(b);
        }
        new CommandComplete("SELECT " + values.length).encode(b);
    }

    static ByteBuf complete(String tag) {
        ByteBuf b = Unpooled.buffer();
        new CommandComplete(tag).encode(b);
        return b;
    }

    static ByteBuf error(String message) {
        ByteBuf b = Unpooled.buffer();
        ErrorResponse.error("42P01", message).encode(b);
        return b;
    }

    static ByteBuf concat(ByteBuf... parts) {
        ByteBuf b = Unpooled.buffer();
        for (ByteBuf p : parts) {
            b.writeBytes(p);
        }
        return b;
    }

    /** A Bind frame with text parameters and the given result format codes. */
    static ByteBuf bind(String portal, String statement, List<String> params, short... resultFormats) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte('B');
        int len = b.writerIndex();
        b.writeInt(0);
        writeCString(b, portal);
        writeCString(b, statement);
        b.writeShort(0);
        b.writeShort(params.size());
        for (String p : params) {
            byte[] v = p.getBytes(StandardCharsets.UTF_8);
            b.writeInt(v.length).writeBytes(v);
        }
        b.writeShort(resultFormats.length);
        for (short f : resultFormats) {
            b.writeShort(f);
        }
        b.setInt(len, b.writerIndex() - len);
        return b;
    }

    static Bind bindOf(ByteBuf frame) {
        return Bind.decode(frame);
    }

    private static void writeCString(ByteBuf b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }

    /** The message tags of some bytes, e.g. "TDDCZ". */
    static String tags(ByteBuf b) {
        StringBuilder sb = new StringBuilder();
        for (int i = b.readerIndex(); i < b.writerIndex(); i += 1 + b.getInt(i + 1)) {
            sb.append((char) b.getByte(i));
        }
        return sb.toString();
    }

    /** The text values of the DataRows (first column). */
    static List<String> values(ByteBuf b) {
        List<String> out = new ArrayList<>();
        for (int i = b.readerIndex(); i < b.writerIndex(); i += 1 + b.getInt(i + 1)) {
            if (b.getByte(i) == BackendTag.DATA_ROW) {
                int len = b.getInt(i + 7);
                out.add(b.toString(i + 11, len, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The tag of the last CommandComplete. */
    static String commandTag(ByteBuf b) {
        String tag = null;
        for (int i = b.readerIndex(); i < b.writerIndex(); i += 1 + b.getInt(i + 1)) {
            if (b.getByte(i) == BackendTag.COMMAND_COMPLETE) {
                tag = b.toString(i + 5, b.getInt(i + 1) - 5, StandardCharsets.UTF_8);
            }
        }
        return tag;
    }
}
