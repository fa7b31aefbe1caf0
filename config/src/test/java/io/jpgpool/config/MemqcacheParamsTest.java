package io.jpgpool.config;

import static io.jpgpool.config.ParamValuesTest.one;
import static io.jpgpool.config.ParamValuesTest.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The query cache's parameters (SEMANTICS F.1): pgpool's defaults, contexts and start-up checks. */
class MemqcacheParamsTest {

    @Test
    void defaultsAreThoseOfPgpool() throws Exception {
        PgpoolConfig c = PgpoolConfig.defaults();
        assertThat(c.memoryCacheEnabled()).isFalse();
        assertThat(c.memqcacheMethod()).isEqualTo(MemqcacheMethod.SHMEM);
        assertThat(c.memqcacheTotalSize()).isEqualTo(64L * 1024 * 1024);
        assertThat(c.memqcacheMaxNumCache()).isEqualTo(1_000_000);
        assertThat(c.memqcacheExpire()).isZero();
        assertThat(c.memqcacheAutoCacheInvalidation()).isTrue();
        assertThat(c.memqcacheMaxcache()).isEqualTo(409_600);
        assertThat(c.memqcacheCacheBlockSize()).isEqualTo(1024 * 1024);
        assertThat(c.cacheSafeMemqcacheTableList()).isEmpty();
        assertThat(c.cacheUnsafeMemqcacheTableList()).isEmpty();
    }

    @Test
    void contextsAreThoseOfPgpool() {
        assertThat(Params.MEMORY_CACHE_ENABLED.context()).isEqualTo(Context.RESTART);
        assertThat(Params.MEMQCACHE_TOTAL_SIZE.context()).isEqualTo(Context.RESTART);
        assertThat(Params.MEMQCACHE_EXPIRE.context()).isEqualTo(Context.RESTART);
        assertThat(Params.MEMQCACHE_AUTO_CACHE_INVALIDATION.context()).isEqualTo(Context.RELOAD);
        assertThat(Params.CACHE_SAFE_MEMQCACHE_TABLE_LIST.context()).isEqualTo(Context.RELOAD);
        assertThat(Params.CACHE_UNSAFE_MEMQCACHE_TABLE_LIST.context()).isEqualTo(Context.RELOAD);
        assertThat(Params.MEMQCACHE_METHOD.supported()).isTrue();
        assertThat(Params.MEMQCACHE_OIDDIR.supported()).isFalse();
    }

    @Test
    void sizesTakeUnitsAndListsAreAnchoredCaseInsensitiveRegexes() throws Exception {
        PgpoolConfig c = PgpoolConfig.parse("/etc/pgpool.conf", """
                memory_cache_enabled = on
                memqcache_total_size = 128MB
                memqcache_maxcache = 1kB
                memqcache_expire = 1min
                cache_safe_memqcache_table_list = 'public\\.v_.*,mv'
                black_memqcache_table_list = 'secret'
                """);
        assertThat(c.memqcacheTotalSize()).isEqualTo(128L * 1024 * 1024);
        assertThat(c.memqcacheMaxcache()).isEqualTo(1024);
        assertThat(c.memqcacheExpire()).isEqualTo(60);
        assertThat(c.cacheSafeMemqcacheTableList()).hasSize(2);
        assertThat(c.cacheSafeMemqcacheTableList().get(0).matcher("PUBLIC.v_orders").matches()).isTrue();
        assertThat(c.cacheSafeMemqcacheTableList().get(1).matcher("mv2").matches()).isFalse();
        assertThat(c.cacheUnsafeMemqcacheTableList().get(0).matcher("secret").matches()).isTrue();
        assertThat(c.warnings()).extracting(ConfigWarning::toString)
                .containsExactly("/etc/pgpool.conf:6: black_memqcache_table_list: deprecated name; read as "
                        + "cache_unsafe_memqcache_table_list");
    }

    @Test
    void memcachedIsRefusedWhenTheCacheIsOn() throws Exception {
        assertThatThrownBy(() -> PgpoolConfig.parse("/etc/pgpool.conf",
                "memqcache_method = 'memcached'\nmemory_cache_enabled = on\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/pgpool.conf:1: memqcache_method: invalid value \"memcached\": memcached is not supported by jpgpool; set "
                        + "memqcache_method = 'shmem' (the cache then lives in jpgpool's own memory)");
        assertThat(one("memqcache_method = 'memcached'").memqcacheMethod()).isEqualTo(MemqcacheMethod.MEMCACHED);
    }

    @Test
    void theResultLimitMustFitInABlockAndTheTotalMustHoldOne() {
        rejects("memqcache_maxcache = 2MB",
                "memqcache_maxcache: invalid memory cache configuration: memqcache_cache_block_size 1048576 should "
                        + "be greater or equal to memqcache_maxcache 2097152");
        rejects("memqcache_cache_block_size = 8kB",
                "memqcache_cache_block_size: invalid memory cache configuration: memqcache_cache_block_size 8192 "
                        + "should be greater or equal to memqcache_maxcache 409600");
        rejects("memqcache_total_size = 1000",
                "memqcache_total_size: invalid memory cache configuration: memqcache_total_size 1000 should be "
                        + "greater or equal to memqcache_cache_block_size 1048576");
        rejects("memqcache_max_num_cache = 0",
                "memqcache_max_num_cache: invalid memory cache configuration: invalid number of elements: 0");
    }

    @Test
    void pgpoolChecksTheSizesOnlyWhenItAllocatesTheCache() throws Exception {
        PgpoolConfig c = PgpoolConfig.parse("/etc/pgpool.conf",
                "enable_shared_relcache = off\nmemqcache_maxcache = 2MB\nmemqcache_max_num_cache = 0\n");
        assertThat(c.memqcacheMaxcache()).isEqualTo(2 * 1024 * 1024);
    }
}
