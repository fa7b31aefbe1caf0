package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One row of a result jpgpool builds itself; a null value is sent as SQL NULL. */
public record DataRow(List<String> values) {
    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, BackendTag.DATA_ROW);
        out.writeShort(values.size());
        for (String v : values) {
            if (v == null) {
                out.writeInt(-1);
            } else {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.writeBytes(b);
            }
        }
        PgBuffers.endMessage(out, len);
    }
}
