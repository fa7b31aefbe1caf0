package io.jpgpool.config;

/** {@code memqcache_method}; numbers as pgpool's {@code MemCacheMethod}. */
public enum MemqcacheMethod implements PgpoolEnum {
    SHMEM("shmem", 1),
    MEMCACHED("memcached", 2);

    private final String pgpoolName;
    private final int number;

    MemqcacheMethod(String pgpoolName, int number) {
        this.pgpoolName = pgpoolName;
        this.number = number;
    }

    @Override
    public String pgpoolName() {
        return pgpoolName;
    }

    @Override
    public int number() {
        return number;
    }
}
