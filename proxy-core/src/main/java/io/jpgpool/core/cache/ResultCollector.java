package io.jpgpool.core.cache;

import io.jpgpool.protocol.backend.BackendTag;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Set;

/**
 * The messages of one answer being collected for the cache: RowDescription (simple protocol), DataRows,
 * CommandComplete, copied as they pass to the client. Past memqcache_maxcache bytes it stops and the answer is
 * not cached (pgpool's is_exceeded).
 */
final class ResultCollector {
    private final CacheKey key;
    private final Set<String> tables;
    private final int maxBytes;
    private byte[] buf = new byte[256];
    private int length;
    private int bodyOffset;
    private boolean exceeded;

    ResultCollector(CacheKey key, Set<String> tables, int maxBytes) {
        this.key = key;
        this.tables = tables;
        this.maxBytes = maxBytes;
    }

    CacheKey key() {
        return key;
    }

    /** One whole message of {@code src} at {@code [from, from + size)}; only T, D and C are kept. */
    void add(ByteBuf src, int from, int size, byte tag) {
        if (exceeded || tag != BackendTag.ROW_DESCRIPTION && tag != BackendTag.DATA_ROW
                && tag != BackendTag.COMMAND_COMPLETE) {
            return;
        }
        if ((long) length + size > maxBytes) {
            exceeded = true;
            buf = null;
            return;
        }
        if (length + size > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(length + size, Math.min(maxBytes, buf.length * 2)));
        }
        src.getBytes(from, buf, length, size);
        length += size;
        if (tag == BackendTag.ROW_DESCRIPTION) {
            bodyOffset = length;
        }
    }

    /** The collected answer, or null when it was too large. */
    CachedResult result() {
        return exceeded ? null : new CachedResult(Arrays.copyOf(buf, length), bodyOffset, tables);
    }
}
