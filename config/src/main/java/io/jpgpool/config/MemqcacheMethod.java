package io.jpgpool.config;

/** {@code memqcache_method}; numbers as pgpool's {@code MemCacheMethod}. */
public enum MemqcacheMethod implements PgpoolEnum {
    SHMEM,
    MEMCACHED
}
