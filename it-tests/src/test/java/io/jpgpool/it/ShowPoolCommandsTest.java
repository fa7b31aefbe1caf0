package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Given a primary and two standbys behind jpgpool: the SHOW pool_* commands and PGPOOL SHOW answer on the SQL
 * port with Pgpool-II 4.3's columns (PCP_SPEC 10), one RowDescription each, and agree with the PCP tools.
 */
class ShowPoolCommandsTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).build());
        jpgpool = JpgpoolFixture.start(cluster, "max_pool = 2");
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    /** A table as the client sees it: column names, then rows. */
    record Table(List<String> columns, List<List<String>> rows) {
        List<String> column(String name) {
            int i = columns.indexOf(name);
            return rows.stream().map(r -> r.get(i)).toList();
        }
    }

    private static Table query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData md = r.getMetaData();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnName(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= cols.size(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
            return new Table(cols, rows);
        }
    }

    @Test
    void poolNodesAgreesWithPcpNodeInfo() throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            Table t = query(c, "SHOW pool_nodes");
            assertThat(t.columns()).containsExactly("node_id", "hostname", "port", "status", "pg_status", "lb_weight",
                    "role", "pg_role", "select_cnt", "load_balance_node", "replication_delay", "replication_state",
                    "replication_sync_state", "last_status_change");
            assertThat(t.column("role")).containsExactly("primary", "standby", "standby");
            assertThat(t.column("lb_weight")).containsOnly("0.333333");
            assertThat(t.column("load_balance_node")).containsOnlyOnce("true");
            if (PcpFixture.realToolsInstalled()) {
                List<String> pcpLines = pcp.real("pcp_node_info").stdout().lines().toList();
                for (int i = 0; i < 3; i++) {
                    String[] f = pcpLines.get(i).split(" ");
                    List<String> row = t.rows().get(i);
                    assertThat(List.of(row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), row.get(6)))
                            .as("node " + i).containsExactly(f[0], f[1], f[4], f[5], f[3], f[6]);
                    assertThat(row.get(13)).isEqualTo(f[11] + " " + f[12]);
                }
            }
        }
    }

    @Test
    void poolProcessesAndPoolPoolsReportTheSessions() throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            int session = c.unwrap(PGConnection.class).getBackendPID();
            Table processes = query(c, "SHOW pool_processes");
            assertThat(processes.columns()).containsExactly("pool_pid", "start_time", "client_connection_count",
                    "database", "username", "backend_connection_time", "pool_counter", "status");
            assertThat(processes.column("pool_pid")).contains(String.valueOf(session));
            List<String> mine = processes.rows().stream().filter(r -> r.get(0).equals(String.valueOf(session)))
                    .findFirst().orElseThrow();
            assertThat(mine.subList(3, 5)).containsExactly("postgres", "postgres");

            Table pools = query(c, "SHOW pool_pools");
            assertThat(pools.columns()).containsExactly("pool_pid", "start_time", "client_connection_count",
                    "pool_id", "backend_id", "database", "username", "backend_connection_time",
                    "client_connection_time", "client_disconnection_time", "client_idle_duration", "majorversion",
                    "minorversion", "pool_counter", "pool_backendpid", "pool_connected", "status");
            assertThat(pools.rows()).hasSize(processes.rows().size() * 2 * 3);
            assertThat(pools.rows()).anyMatch(r -> r.get(0).equals(String.valueOf(session)) && r.get(3).equals("0")
                    && r.get(5).equals("postgres") && r.get(15).equals("1"));
        }
    }

    @Test
    void poolStatusHasThePcpPoolStatusItems() throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            Table t = query(c, "SHOW pool_status");
            assertThat(t.columns()).containsExactly("item", "value", "description");
            assertThat(t.rows().get(0)).containsExactly("backend_clustering_mode", "1", "clustering mode");
            assertThat(t.rows()).contains(List.of("max_pool", "2", "max # of connection pool per child"));
            if (PcpFixture.realToolsInstalled()) {
                List<String> names = pcp.real("pcp_pool_status").stdout().lines()
                        .filter(l -> l.startsWith("name : ")).map(l -> l.substring(7)).toList();
                assertThat(names).isEqualTo(t.column("item"));
            }
        }
    }

    @Test
    void versionCacheHealthAndBackendStats() throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            Table v = query(c, "show POOL_VERSION");
            assertThat(v.columns()).containsExactly("pool_version");
            assertThat(v.rows()).hasSize(1);
            assertThat(v.rows().get(0).get(0)).startsWith("4.3.5 (jpgpool ");

            Table cache = query(c, "SHOW pool_cache");
            assertThat(cache.columns()).hasSize(9).startsWith("num_cache_hits", "num_selects", "cache_hit_ratio");
            assertThat(cache.rows()).containsExactly(List.of("0", "0", "0.00", "0", "0", "0", "0", "0", "0"));

            Table health = query(c, "SHOW pool_health_check_stats");
            assertThat(health.columns()).hasSize(20).contains("max_duration", "min_duration", "average_duration");
            assertThat(health.column("node_id")).containsExactly("0", "1", "2");
            assertThat(health.column("average_retry_count")).containsOnly("0.000000");

            query(c, "SELECT 1");
            Table stats = query(c, "SHOW pool_backend_stats");
            assertThat(stats.columns()).containsExactly("node_id", "hostname", "port", "status", "role", "select_cnt",
                    "insert_cnt", "update_cnt", "delete_cnt", "ddl_cnt", "other_cnt", "panic_cnt", "fatal_cnt",
                    "error_cnt");
            assertThat(stats.column("select_cnt").stream().mapToLong(Long::parseLong).sum()).isPositive();
        }
    }

    @Test
    void pgpoolShowPrintsParameters() throws SQLException {
        try (Connection c = jpgpool.connectSimple("postgres")) {
            Table port = query(c, "PGPOOL SHOW port");
            assertThat(port.columns()).containsExactly("port");
            assertThat(port.rows()).containsExactly(List.of(String.valueOf(jpgpool.port())));

            Table hosts = query(c, "PGPOOL SHOW backend_port");
            assertThat(hosts.columns()).containsExactly("item", "value", "description");
            assertThat(hosts.column("item")).containsExactly("backend_port0", "backend_port1", "backend_port2");

            Table all = query(c, "PGPOOL SHOW ALL");
            assertThat(all.columns()).containsExactly("item", "value", "description");
            assertThat(all.column("item")).contains("backend_hostname0", "max_pool", "pcp_port", "port");

            assertThatThrownBy(() -> query(c, "PGPOOL SHOW no_such_thing")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("config variable \"no_such_thing\" not found");
            assertThat(query(c, "SELECT 2").rows()).containsExactly(List.of("2"));
        }
    }

    @Test
    void eachShowSendsOneRowDescription() throws Exception {
        Path psql = Path.of(Commands.pgTool("psql"));
        if (!Files.isExecutable(psql)) {
            return;
        }
        for (String show : List.of("pool_version", "pool_processes", "pool_nodes")) {
            Commands.Result r = Commands.run(Duration.ofSeconds(30),
                    Map.of("PGPASSWORD", cluster.options().superuserPassword()), psql.toString(), "-h", "127.0.0.1",
                    "-p", String.valueOf(jpgpool.port()), "-U", "postgres", "-d", "postgres", "-c", "SHOW " + show);
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.stdout().split("\\(\\d+ rows?\\)", -1)).as("one result table: " + r.stdout()).hasSize(2);
        }
    }
}
