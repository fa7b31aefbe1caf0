package io.jpgpool.core.backend;

import io.netty.buffer.ByteBuf;

/** Whoever currently owns a backend connection: a session, a reset in progress, or the idle pool. */
public interface BackendListener {
    /** One whole message from the server; the listener owns (and must release) the frame. */
    void onMessage(BackendConnection connection, ByteBuf frame);

    /** The connection closed or failed; {@code cause} is null for a clean close. */
    void onClosed(BackendConnection connection, Throwable cause);

    /** The socket's write buffer crossed a watermark. */
    default void onWritabilityChanged(BackendConnection connection) {
    }

    /** Everything the server sent in one socket read has been delivered: a good moment to flush. */
    default void onReadComplete(BackendConnection connection) {
    }
}
