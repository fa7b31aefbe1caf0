package io.jpgpool.protocol.codec;

import io.jpgpool.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Frames what a server sends into whole messages: retained {@link ByteBuf} slices with the tag at the reader
 * index. Row data is never copied or decoded here.
 *
 * <p>In batch mode one slice holds every whole message of a read, back to back: the proxy walks them by index
 * and forwards a run of them to the client as one write (one pipeline pass per read, not per message).
 */
public final class BackendDecoder extends ByteToMessageDecoder {
    /** PostgreSQL never sends a message larger than 1 GB. */
    private static final int MAX_LENGTH = 0x3fffffff;

    private final boolean batches;

    /** One slice per message. */
    public BackendDecoder() {
        this(false);
    }

    /** {@code batches}: one slice per read holding all its whole messages. */
    public BackendDecoder(boolean batches) {
        this.batches = batches;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (batches) {
            int start = in.readerIndex();
            int end = start;
            int readable = in.writerIndex();
            while (readable - end >= 5) {
                int length = in.getInt(end + 1);
                if (length < 4 || length > MAX_LENGTH) {
                    in.skipBytes(in.readableBytes());
                    throw new ProtocolException("invalid message length " + length + " from server");
                }
                if (readable - end < length + 1) {
                    break;
                }
                end += length + 1;
            }
            if (end > start) {
                out.add(in.readRetainedSlice(end - start));
            }
            return;
        }
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
