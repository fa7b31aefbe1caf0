package io.jpgpool.protocol.codec;

import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames what a server sends into whole messages: retained {@link ByteBuf} slices with the tag at the reader
 * index. Row data is never copied or decoded here.
 */
public final class BackendDecoder extends ByteToMessageDecoder {
    /** PostgreSQL never sends a message larger than 1 GB. */
    private static final int MAX_LENGTH = 0x3fffffff;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 5) {
            int start = in.readerIndex();
            int length = in.getInt(start + 1);
            if (length < 4 || length > MAX_LENGTH) {
                in.skipBytes(in.readableBytes());
                throw new ProtocolException("invalid message length " + length + " from server");
            }
            if (in.readableBytes() < length + 1) {
                return;
            }
            out.add(in.readRetainedSlice(length + 1));
        }
    }
}
