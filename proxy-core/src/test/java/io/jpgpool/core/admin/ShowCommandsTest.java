package io.jpgpool.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.protocol.backend.ErrorResponse;
import io.jpgpool.sql.SqlAnalyzer;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which simple queries jpgpool answers itself (PCP_SPEC 10.1). */
class ShowCommandsTest {
    @ParameterizedTest
    @ValueSource(strings = {"SHOW pool_nodes", "show POOL_NODES;", "  SHOW pool_processes", "SHOW pool_pools",
        "SHOW pool_status", "SHOW pool_version", "SHOW pool_cache", "SHOW pool_health_check_stats",
        "SHOW pool_backend_stats", "SHOW pool_nodes; SELECT 1", "/* admin */ SHOW pool_nodes",
        "-- hello\nSHOW pool_version", "SHOW \"pool_nodes\"", "PGPOOL SHOW port", "pgpool show ALL",
        "PGPOOL SHOW backend_hostname0;", "PGPOOL SET CACHE DELETE 'SELECT 1'", "pgpool set cache"})
    void answeredByJpgpool(String sql) {
        assertThat(ShowCommands.isPoolCommand(SqlAnalyzer.analyze(sql))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHOW search_path", "SHOW pool_unknown", "SHOW \"POOL_NODES\"", "SELECT 1; SHOW pool_nodes",
        "BEGIN; SHOW pool_version", "SELECT 'SHOW pool_nodes'", "PGPOOL SET client_idle_limit = 5"})
    void passedToTheBackends(String sql) {
        assertThat(ShowCommands.isPoolCommand(SqlAnalyzer.analyze(sql))).isFalse();
    }

    @Test
    void pgpoolSetCacheIsRefusedWithAClearError() {
        ByteBuf b = ShowCommands.run(SqlAnalyzer.analyze("PGPOOL SET CACHE DELETE 'SELECT 1'"), null, null, -1);
        try {
            ErrorResponse e = ErrorResponse.decode(b);
            assertThat(e.fields().get(ErrorResponse.CODE)).isEqualTo("0A000");
            assertThat(e.fields().get(ErrorResponse.MESSAGE)).isEqualTo("PGPOOL SET CACHE is not supported");
            assertThat(e.fields().get(ErrorResponse.DETAIL)).contains("pcp_invalidate_query_cache");
        } finally {
            b.release();
        }
    }
}
