package io.jpgpool.core.backend;

import io.netty.buffer.ByteBuf;

/** Joining messages that lie next to each other in one buffer, so that they are written as one. */
final class Frames {
    private Frames() {
    }

    /**
     * One retained slice of their common buffer covering {@code first} and then {@code second} (both released),
     * when {@code second} starts where {@code first} ends in the same direct memory; else null and nothing changes.
     */
    static ByteBuf joined(ByteBuf first, ByteBuf second) {
        ByteBuf parent = first.unwrap();
        if (parent == null || parent != second.unwrap() || !parent.hasMemoryAddress() || !first.hasMemoryAddress()
                || !second.hasMemoryAddress()) {
            return null;
        }
        long start = first.memoryAddress() + first.readerIndex();
        if (first.memoryAddress() + first.writerIndex() != second.memoryAddress() + second.readerIndex()) {
            return null;
        }
        long index = start - parent.memoryAddress();
        int length = first.readableBytes() + second.readableBytes();
        if (index < 0 || index + length > parent.capacity()) {
            return null;
        }
        ByteBuf joined = parent.retainedSlice((int) index, length);
        first.release();
        second.release();
        return joined;
    }
}
