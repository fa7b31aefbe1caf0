package io.jpgpool.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.cache.CacheStats;
import io.jpgpool.protocol.backend.BackendTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PGPOOL SHOW and the encoding of the views (PCP_SPEC 10.2, 10.11). */
class AdminViewsTest {
    private static PgpoolConfig config() throws Exception {
        return PgpoolConfig.builder().set("port", "9999").set("backend_hostname0", "db0").set("backend_port0", "5432")
                .set("backend_hostname1", "db1").set("backend_port1", "5433").set("backend_weight1", "2")
                .set("health_check_period1", "5").build();
    }

    @Test
    void oneParameterIsOneColumnNamedAfterIt() throws Exception {
        ResultTable t = AdminViews.pgpoolShow(config(), "port");
        assertThat(t.columns()).containsExactly("port");
        assertThat(t.rows()).containsExactly(List.of("9999"));
        assertThat(AdminViews.pgpoolShow(config(), "backend_port1").rows()).containsExactly(List.of("5433"));
    }

    @Test
    void aPerNodeParameterWithoutIndexListsEveryNode() throws Exception {
        ResultTable t = AdminViews.pgpoolShow(config(), "backend_hostname");
        assertThat(t.columns()).containsExactly("item", "value", "description");
        assertThat(t.rows()).containsExactly(List.of("backend_hostname0", "db0", "backend #0 hostname"),
                List.of("backend_hostname1", "db1", "backend #1 hostname"));
    }

    @Test
    void allStartsWithTheBackendGroupAndListsEveryParameter() throws Exception {
        ResultTable t = AdminViews.pgpoolShow(config(), "all");
        List<String> items = t.rows().stream().map(r -> r.get(0)).toList();
        assertThat(items.subList(0, 6)).containsExactly("backend_hostname0", "backend_port0", "backend_weight0",
                "backend_data_directory0", "backend_flag0", "backend_application_name0");
        assertThat(items).contains("port", "max_pool", "health_check_period", "health_check_period1")
                .doesNotContain("health_check_period0").doesNotHaveDuplicates();
        assertThat(t.rows()).contains(List.of("health_check_period1", "5", "health check period"));
    }

    @Test
    void anUnknownParameterIsPgpoolsError() {
        assertThatThrownBy(() -> AdminViews.pgpoolShow(config(), "no_such"))
                .isInstanceOf(AdminException.class).hasMessage("config variable \"no_such\" not found");
    }

    @Test
    void poolCacheHasPgpoolsNineColumnsAndRealNumbers() {
        ResultTable t = AdminViews.poolCache(new CacheStats(3, 9, 1 << 20, 2, 1500, 67_107_000, Instant.EPOCH));
        assertThat(t.columns()).containsExactly("num_cache_hits", "num_selects", "cache_hit_ratio",
                "num_hash_entries", "used_hash_entries", "num_cache_entries", "used_cache_entries_size",
                "free_cache_entries_size", "fragment_cache_entries_size");
        assertThat(t.rows()).containsExactly(List.of("3", "9", "0.25", "1048576", "2", "2", "1500", "67107000", "0"));
        assertThat(AdminViews.poolCache(new CacheStats(0, 0, 0, 0, 0, 0, Instant.EPOCH)).rows().get(0))
                .containsExactly("0", "0", "0.00", "0", "0", "0", "0", "0", "0");
    }

    @Test
    void aViewIsOneRowDescriptionRowsAndSelectN() {
        ByteBuf b = AdminViews.poolCache(new CacheStats(0, 0, 0, 0, 0, 0, Instant.EPOCH)).encode(ByteBufAllocator.DEFAULT);
        try {
            assertThat(b.getByte(0)).isEqualTo(BackendTag.ROW_DESCRIPTION);
            int rowDescription = b.getInt(1) + 1;
            assertThat(b.getByte(rowDescription)).isEqualTo(BackendTag.DATA_ROW);
            int dataRow = rowDescription + 1 + b.getInt(rowDescription + 1);
            assertThat(b.getByte(dataRow)).isEqualTo(BackendTag.COMMAND_COMPLETE);
            assertThat(b.toString(dataRow + 5, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SELECT 1");
        } finally {
            b.release();
        }
    }
}
