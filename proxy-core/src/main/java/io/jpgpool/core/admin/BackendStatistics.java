package io.jpgpool.core.admin;

/**
 * What SHOW pool_backend_stats counts per node: statements sent to it by kind, and the PANIC, FATAL and ERROR
 * responses it sent back.
 */
public record BackendStatistics(long selectCount, long insertCount, long updateCount, long deleteCount,
        long ddlCount, long otherCount, long panicCount, long fatalCount, long errorCount) {
}
