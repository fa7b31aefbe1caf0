package io.jpgpool.protocol.backend;

import io.netty.buffer.ByteBuf;

/** The server waits for the next query; carries the transaction status {@code I}, {@code T} or {@code E}. */
public final class ReadyForQuery {
    public static final byte IDLE = 'I';
    public static final byte IN_TRANSACTION = 'T';
    public static final byte FAILED_TRANSACTION = 'E';

    private ReadyForQuery() {
    }

    /** The transaction status of a ReadyForQuery frame, read without decoding anything else. */
    public static byte status(ByteBuf frame) {
        return frame.getByte(frame.readerIndex() + 5);
    }

    public static void encode(ByteBuf out, byte status) {
        out.writeByte(BackendTag.READY_FOR_QUERY);
        out.writeInt(5);
        out.writeByte(status);
    }
}
