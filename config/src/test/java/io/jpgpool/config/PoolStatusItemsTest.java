package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolStatusItemsTest {

    /** What the real server knew at the time of the sample: both nodes waiting, cache stats started at boot. */
    static final PoolStatusItems.RuntimeState SAMPLE_RUNTIME = new PoolStatusItems.RuntimeState() {
        @Override
        public String backendStatus(int nodeId) {
            return "waiting";
        }

        @Override
        public long standbyDelay(int nodeId) {
            return 0;
        }

        @Override
        public Instant memqcacheStatsStartTime() {
            return LocalDateTime.of(2026, 11, 22, 1, 38, 46).toInstant(ZoneOffset.UTC);
        }

        @Override
        public ZoneId zone() {
            return ZoneOffset.UTC;
        }
    };

    /** Reads pcp_pool_status's default output: "name : ", "value: ", "desc : " blocks. */
    static List<PoolStatusItems.Row> readSample() throws Exception {
        List<String> lines = Files.readAllLines(RealConfigTest.resource("pcp_pool_status_default.txt"),
                StandardCharsets.UTF_8);
        List<PoolStatusItems.Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("name : ")) {
                continue;
            }
            String name = lines.get(i).substring(7);
            StringBuilder value = new StringBuilder(lines.get(++i).substring(7));
            while (!lines.get(i + 1).startsWith("desc : ")) {
                value.append('\n').append(lines.get(++i)); // ctime() ends with a newline
            }
            rows.add(new PoolStatusItems.Row(name, value.toString(), lines.get(++i).substring(7)));
        }
        return rows;
    }

    @Test
    void matchesTheRealServersOutput() throws Exception {
        PgpoolConfig config = PgpoolConfig.load(RealConfigTest.resource("pool-status-sample.conf"));
        List<PoolStatusItems.Row> expected = readSample();
        List<PoolStatusItems.Row> actual = PoolStatusItems.rows(config, SAMPLE_RUNTIME);

        assertThat(expected).hasSize(152);
        assertThat(actual).extracting(PoolStatusItems.Row::item)
                .containsExactlyElementsOf(expected.stream().map(PoolStatusItems.Row::item).toList());
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void watchdogRowsOnlyForConfiguredNodes() throws Exception {
        PgpoolConfig config = PgpoolConfig.parse("pgpool.conf", """
                hostname0 = 'pg-a'
                pgpool_port0 = 9999
                wd_port0 = 9000
                hostname1 = 'pg-b'
                pgpool_port1 = 9999
                wd_port1 = 9000
                heartbeat_hostname1 = 'pg-b'
                heartbeat_port1 = 9694
                backend_hostname0 = h
                backend_port0 = 5432
                backend_flag0 = 'ALWAYS_PRIMARY'
                """);
        List<PoolStatusItems.Row> rows = PoolStatusItems.rows(config, SAMPLE_RUNTIME);
        assertThat(rows).hasSize(144 + 6 + 3);
        assertThat(rows).contains(
                new PoolStatusItems.Row("hostname0", "pg-a", "hostname or IP address of local pgpool node"),
                new PoolStatusItems.Row("wd_port1", "9000", "watchdog port number of pgpool node #1"),
                new PoolStatusItems.Row("heartbeat_hostname1", "pg-b",
                        "destination IP address or hostname for sending heartbeat to pgpool node #1"),
                new PoolStatusItems.Row("heartbeat_device1", "",
                        "name of NIC device for sending hearbeat to pgpool node #1"),
                new PoolStatusItems.Row("backend_weight0", "nan", "weight of backend #0"),
                new PoolStatusItems.Row("backend_flag0", "ALLOW_TO_FAILOVER|ALWAYS_PRIMARY", "backend #0 flag"));
        assertThat(rows).extracting(PoolStatusItems.Row::description).allMatch(d -> d.length() <= 79);
        assertThat(rows).extracting(PoolStatusItems.Row::item)
                .doesNotContain("health_check_password", "sr_check_password", "wd_lifecheck_password");
    }
}
