package io.jpgpool.core.backend;

import io.netty.buffer.ByteBuf;

/** Whoever currently owns a backend connection: a session, a reset in progress, or the idle pool. */
public interface BackendListener {
    /** One whole message from the server; the listener owns (and must release) the frame. */
    void onMessage(BackendConnection connection, ByteBuf frame);

    /**
     * Several whole messages back to back (one socket read); the listener owns the buffer. By default each is
     * handed to {@link #onMessage} as a slice of its own.
     */
    default void onMessages(BackendConnection connection, ByteBuf batch) {
        try {
            int pos = batch.readerIndex();
            int end = batch.writerIndex();
            while (pos < end && connection.listener() == this) {
                int len = batch.getInt(pos + 1) + 1;
                onMessage(connection, batch.retainedSlice(pos, len));
                pos += len;
            }
            if (pos < end && connection.listener() != null && connection.listener() != this) {
                // the owner changed halfway (a login finished): the rest belongs to the new one
                connection.listener().onMessages(connection, batch.retainedSlice(pos, end - pos));
            }
        } finally {
            batch.release();
        }
    }

    /** The connection closed or failed; {@code cause} is null for a clean close. */
    void onClosed(BackendConnection connection, Throwable cause);

    /** The socket's write buffer crossed a watermark. */
    default void onWritabilityChanged(BackendConnection connection) {
    }

    /** Everything the server sent in one socket read has been delivered: a good moment to flush. */
    default void onReadComplete(BackendConnection connection) {
    }
}
