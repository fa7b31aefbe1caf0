package io.jpgpool.pcp;

import io.jpgpool.pcp.wire.PcpFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link PcpFrame}s. A length field outside 4..259 (pgpool 4.3.5 refuses
 * {@code length <= 0 || length >= MAX_PCP_PACKET_LENGTH}, and 1..3 cannot hold itself) is passed on as a
 * frame with no payload and that length, so the connection can answer pgpool's FATAL; everything after it is
 * discarded.
 */
final class PcpFrameDecoder extends ByteToMessageDecoder {
    /** pgpool's MAX_PCP_PACKET_LENGTH: a request's length field must stay below it. */
    static final int MAX_PCP_PACKET_LENGTH = 260;

    private boolean broken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 5) {
            int start = in.readerIndex();
            byte tag = in.getByte(start);
            int length = in.getInt(start + 1);
            if (!isValidLength(length)) {
                broken = true;
                in.skipBytes(in.readableBytes());
                out.add(new PcpFrame(tag, length, new byte[0]));
                return;
            }
            if (in.readableBytes() < 1 + length) {
                return;
            }
            in.skipBytes(5);
            byte[] payload = new byte[length - 4];
            in.readBytes(payload);
            out.add(new PcpFrame(tag, length, payload));
        }
    }

    static boolean isValidLength(int length) {
        return length >= 4 && length < MAX_PCP_PACKET_LENGTH;
    }
}
