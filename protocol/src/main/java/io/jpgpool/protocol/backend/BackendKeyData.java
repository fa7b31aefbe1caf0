package io.jpgpool.protocol.backend;

import io.netty.buffer.ByteBuf;

/** The key a client needs to cancel a query of this session. */
public record BackendKeyData(int processId, int secretKey) {
    public static BackendKeyData decode(ByteBuf frame) {
        int i = frame.readerIndex() + 5;
        return new BackendKeyData(frame.getInt(i), frame.getInt(i + 4));
    }

    public void encode(ByteBuf out) {
        out.writeByte(BackendTag.BACKEND_KEY_DATA);
        out.writeInt(12);
        out.writeInt(processId);
        out.writeInt(secretKey);
    }
}
