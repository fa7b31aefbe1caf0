package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Column names of a result jpgpool builds itself (SHOW pool_*). Every column is text; the attribute number
 * is the 0-based column index, as pgpool sends it (PCP_SPEC 10.2), but the type is {@code text} (25) rather
 * than pgpool's 0 so type-aware drivers read the values.
 */
public record RowDescription(List<String> columns) {
    public static final int TEXT_OID = 25;

    public RowDescription {
        columns = List.copyOf(columns);
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, BackendTag.ROW_DESCRIPTION);
        out.writeShort(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            PgBuffers.writeCString(out, columns.get(i));
            out.writeInt(0);
            out.writeShort(i);
            out.writeInt(TEXT_OID);
            out.writeShort(-1);
            out.writeInt(-1);
            out.writeShort(0);
        }
        PgBuffers.endMessage(out, len);
    }
}
