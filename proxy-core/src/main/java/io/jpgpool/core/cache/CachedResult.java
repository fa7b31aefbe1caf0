package io.jpgpool.core.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Set;

/**
 * A cached answer: the backend's messages exactly as they reached the client (SEMANTICS F.2), a RowDescription
 * first for a simple Query, then the DataRows and the CommandComplete, and the tables whose writes drop it.
 * Immutable; the bytes are shared by every replay.
 */
public final class CachedResult {
    private final byte[] messages;
    private final int bodyOffset;
    private final Set<String> tables;

    CachedResult(byte[] messages, int bodyOffset, Set<String> tables) {
        this.messages = messages;
        this.bodyOffset = bodyOffset;
        this.tables = Set.copyOf(tables);
    }

    /** The answer to a simple Query: RowDescription, DataRows, CommandComplete (no ReadyForQuery). */
    public ByteBuf queryReply() {
        return Unpooled.wrappedBuffer(messages);
    }

    /** The answer to an Execute: DataRows and CommandComplete (Describe's RowDescription comes from the backend). */
    public ByteBuf executeReply() {
        return Unpooled.wrappedBuffer(messages, bodyOffset, messages.length - bodyOffset);
    }

    /**
     * The RowDescription of a Describe of the portal, or null: a simple Query's answer has it, an Execute's when
     * its portal was described before it ran.
     */
    public ByteBuf rowDescription() {
        return bodyOffset == 0 ? null : Unpooled.wrappedBuffer(messages, 0, bodyOffset);
    }

    /** Relation names (without schema) whose writes invalidate this result. */
    public Set<String> tables() {
        return tables;
    }

    /** Bytes of backend messages. */
    public int size() {
        return messages.length;
    }

    /** Bytes this result holds on the heap, roughly. */
    int weight() {
        int w = 64 + messages.length;
        for (String t : tables) {
            w += 48 + 2 * t.length();
        }
        return w;
    }
}
