package io.jpgpool.protocol.backend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;

/** A statement finished; the tag says what it was ({@code SELECT 3}, {@code INSERT 0 1}, {@code BEGIN}). */
public record CommandComplete(String tag) {
    public static CommandComplete decode(ByteBuf frame) {
        return new CommandComplete(PgBuffers.readCString(frame.duplicate().skipBytes(5)));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, BackendTag.COMMAND_COMPLETE);
        PgBuffers.writeCString(out, tag);
        PgBuffers.endMessage(out, len);
    }
}
