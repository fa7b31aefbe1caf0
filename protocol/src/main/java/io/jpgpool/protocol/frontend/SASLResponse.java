package io.jpgpool.protocol.frontend;

import io.jpgpool.protocol.PgBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/** A SASL message from the client after the initial one. */
public record SASLResponse(byte[] data) {
    public static SASLResponse decode(ByteBuf frame) {
        return new SASLResponse(ByteBufUtil.getBytes(frame, frame.readerIndex() + 5, frame.readableBytes() - 5));
    }

    public void encode(ByteBuf out) {
        int len = PgBuffers.beginMessage(out, FrontendTag.PASSWORD);
        out.writeBytes(data);
        PgBuffers.endMessage(out, len);
    }
}
