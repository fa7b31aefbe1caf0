package io.jpgpool.core.admin;

import io.jpgpool.protocol.backend.CommandComplete;
import io.jpgpool.protocol.backend.DataRow;
import io.jpgpool.protocol.backend.RowDescription;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/** A result set jpgpool builds itself: column names and rows of text. */
public record ResultTable(List<String> columns, List<List<String>> rows) {
    public ResultTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /** RowDescription, the DataRows and {@code SELECT n}, as pgpool sends them (PCP_SPEC 10.2). */
    public ByteBuf encode(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer();
        new RowDescription(columns).encode(out);
        for (List<String> row : rows) {
            new DataRow(row).encode(out);
        }
        new CommandComplete("SELECT " + rows.size()).encode(out);
        return out;
    }
}
