package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.Auth;
import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.cluster.StopMode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.PcpFixture;
import io.jpgpool.it.support.PoolNodes;
import io.jpgpool.it.support.PrometheusText;
import io.jpgpool.it.support.RoutingLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Given a primary and two standbys behind jpgpool with {@code metrics_port} set and a 1 s health check, a
 * Prometheus scraper reading {@code /metrics} over HTTP sees: every node waiting until the first client session
 * and up after it (as SHOW pool_nodes and pcp_node_info show them); while pgbench runs, per-node statement
 * counters that grew by at least the statements each node was sent and a client gauge equal to pgbench's clients;
 * a pcp_detach_node as node 2 down within a second and counted as a failover, pcp_attach_node as node 2 back;
 * a standby that stops as a failover by the health check. Every scrape parses under the text format's rules.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsEndpointTest {
    private static final String DB = "bench";
    private static final int CLIENTS = 6;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static PcpFixture pcp;
    static int metricsPort;

    @BeforeAll
    static void start() {
        // scram-sha-256 and no pool_passwd: the backend checks the client's password (a wrong one is refused)
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(2).auth(Auth.SCRAM).initDatabase(DB).build());
        metricsPort = JpgpoolFixture.freePort();
        jpgpool = JpgpoolFixture.start(cluster, "metrics_listen_addresses = '127.0.0.1'", "metrics_port = " + metricsPort,
                // a stopped server refuses at once; a loaded host may take more than a second to answer a live one
                "health_check_period = 1", "health_check_timeout = 10", "health_check_max_retries = 0",
                "failover_on_backend_error = off", "allow_clear_text_frontend_auth = on");
        pcp = PcpFixture.start(jpgpool);
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool; PcpFixture p = pcp) {
            // PCP, jpgpool, then the cluster
        }
    }

    /** One scrape in Prometheus' text format, parsed strictly. */
    private static PrometheusText scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).header("Accept", "text/plain;version=0.0.4").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(r.body());
    }

    private static double status(PrometheusText t, int node, String status) {
        return t.value("jpgpool_node_status", "node_id", String.valueOf(node), "status", status);
    }

    private static double selects(PrometheusText t, int node) {
        return t.value("jpgpool_node_statements_total", "node_id", String.valueOf(node), "kind", "select");
    }

    @Test
    @Order(1)
    void everyReachableNodeIsUpAfterTheFirstClientSessionAsInPgpool() throws Exception {
        PrometheusText before = scrape();
        for (int n = 0; n < 3; n++) {
            assertThat(status(before, n, "waiting")).as("node %d before any session", n).isEqualTo(1);
            assertThat(before.find("jpgpool_node_status", "node_id", String.valueOf(n)).get(0).getKey().labels())
                    .containsEntry("hostname", "127.0.0.1").containsEntry("port", String.valueOf(cluster.node(n).port()))
                    .containsEntry("role", n == 0 ? "primary" : "standby");
        }
        try (Connection c = jpgpool.connectSimple("postgres")) {
            assertThat(PoolNodes.summary(PoolNodes.show(c))).isEqualTo("0 up primary, 1 up standby, 2 up standby");
        }
        List<String> info = ok(pcp.real("pcp_node_info")).stdout().lines().toList();
        assertThat(info).hasSize(3).allMatch(l -> l.matches("127\\.0\\.0\\.1 \\d+ 2 0\\.333333 up .*"));
        PrometheusText after = scrape();
        for (int n = 0; n < 3; n++) {
            assertThat(status(after, n, "up")).as("node %d", n).isEqualTo(1);
            assertThat(status(after, n, "waiting") + status(after, n, "down")).isZero();
        }
    }

    @Test
    @Order(2)
    void whilePgbenchRunsTheCountersGrowByTheStatementsSentAndTheClientGaugeIsItsClients() throws Exception {
        Commands.Result init = pgbench("-i", "-s", "1");
        assertThat(init.exitCode()).as(init.all()).isZero();
        for (PgNode standby : List.of(cluster.node(1), cluster.node(2))) {
            standby.waitForReplayOf(cluster.node(0), Duration.ofSeconds(30));
        }
        PrometheusText before = scrape();
        double statementsBefore = before.value("jpgpool_statement_duration_seconds_count");
        Map<Integer, Long> sent;
        Commands.Result run;
        List<Double> clientGauge = new ArrayList<>();
        try (RoutingLog log = RoutingLog.capture()) {
            CompletableFuture<Commands.Result> bench = CompletableFuture.supplyAsync(
                    () -> pgbench("-n", "-S", "-c", String.valueOf(CLIENTS), "-j", "2", "-T", "6"));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                double connected = scrape().value("jpgpool_clients_connected");
                clientGauge.add(connected);
                return connected == CLIENTS && log.executionsPerNode("SELECT abalance").size() > 0;
            });
            // while it runs: every scrape parses, and the gauge stays at pgbench's clients
            for (int i = 0; i < 3; i++) {
                assertThat(scrape().value("jpgpool_clients_connected")).isEqualTo(CLIENTS);
            }
            run = bench.join();
            sent = log.executionsPerNode("SELECT abalance");
        }
        assertThat(run.exitCode()).as(run.all()).isZero();
        long processed = processed(run);
        assertThat(sent.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(processed);

        PrometheusText after = scrape();
        double total = 0;
        for (int n = 0; n < 3; n++) {
            double grown = selects(after, n) - selects(before, n);
            total += grown;
            assertThat(grown).as("SELECTs counted for node %d", n).isGreaterThanOrEqualTo(sent.getOrDefault(n, 0L));
        }
        assertThat(total).isGreaterThanOrEqualTo(processed);
        assertThat(after.value("jpgpool_statement_duration_seconds_count") - statementsBefore)
                .as("client-side statement latencies recorded").isGreaterThanOrEqualTo(processed);
        assertThat(after.value("jpgpool_statement_duration_seconds_bucket", "le", "+Inf"))
                .isEqualTo(after.value("jpgpool_statement_duration_seconds_count"));
        assertThat(after.value("jpgpool_transaction_duration_seconds_count")).isGreaterThanOrEqualTo(processed);
        assertThat(after.value("jpgpool_clients_connected")).isZero();
        assertThat(after.value("jpgpool_client_sessions_total")).isGreaterThanOrEqualTo(CLIENTS);
        assertThat(after.sum("jpgpool_backend_connections_idle")).as("pgbench's connections went back to the pools")
                .isPositive();
        assertThat(after.sum("jpgpool_backend_connections_open"))
                .isGreaterThanOrEqualTo(after.sum("jpgpool_backend_connections_idle"));
        assertThat(after.value("jpgpool_statement_cache_hits_total")).isGreaterThan(processed / 2.0);
        assertThat(after.value("jpgpool_health_checks_total", "node_id", "1", "result", "success")).isPositive();
        assertThat(after.find("jpgpool_jvm_memory_used_bytes", "area", "heap")).isNotEmpty();
        assertThat(after.find("jpgpool_netty_eventexecutor_tasks_pending")).isNotEmpty();
        assertThat(after.samples().keySet()).allMatch(s -> s.name().startsWith("jpgpool_"));
        // a wrong password is an authentication failure
        java.util.Properties wrong = new java.util.Properties();
        wrong.setProperty("password", "not-the-password");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> jpgpool.connect("postgres", wrong),
                java.sql.SQLException.class).getSQLState()).isEqualTo("28P01");
        assertThat(scrape().value("jpgpool_client_authentication_failures_total")
                - after.value("jpgpool_client_authentication_failures_total")).isEqualTo(1);
        // SHOW pool_backend_stats reads the same counters
        try (Connection c = jpgpool.connectSimple("postgres");
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SHOW pool_backend_stats")) {
            while (r.next()) {
                assertThat(Long.parseLong(r.getString("select_cnt"))).as("node %s", r.getString("node_id"))
                        .isEqualTo((long) selects(after, r.getInt("node_id")));
            }
        }
    }

    @Test
    @Order(3)
    void openMetricsWhenAskedAndNothingBesideMetrics() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/metrics")).header("Accept", "application/openmetrics-text;version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue(
                "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.body()).contains("# TYPE jpgpool_node_statements counter\n").endsWith("# EOF\n");
        HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void theGrafanaDashboardUsesOnlyMetricsTheEndpointServes() throws Exception {
        String dashboard = Files.readString(Path.of("..", "conf", "grafana-dashboard.json"));
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("jpgpool_[a-z_]+").matcher(dashboard);
        while (m.find()) {
            used.add(m.group());
        }
        assertThat(used).hasSizeGreaterThan(30);
        System.gc(); // jpgpool_jvm_gc_pause_seconds appears with the first collection
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> served = new TreeSet<>();
            scrape().samples().keySet().forEach(s -> served.add(s.name()));
            assertThat(served).containsAll(used);
        });
    }

    @Test
    @Order(4)
    void aDetachedNodeIsDownWithinASecondAndAnAttachedOneComesBack() throws Exception {
        PrometheusText before = scrape();
        ok(pcp.real("pcp_detach_node", "-n", "2"));
        long detached = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(scrape(), 2, "down") == 1);
        assertThat((System.nanoTime() - detached) / 1_000_000).as("ms to down").isLessThanOrEqualTo(1000);
        PrometheusText down = scrape();
        assertThat(status(down, 2, "up") + status(down, 2, "waiting")).isZero();
        assertThat(failovers(down, 2, "operator") - failovers(before, 2, "operator")).isEqualTo(1);

        ok(pcp.real("pcp_attach_node", "-n", "2"));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(scrape(), 2, "down") == 0);
        PrometheusText back = scrape();
        assertThat(status(back, 2, "waiting") + status(back, 2, "up")).isEqualTo(1);
        assertThat(back.value("jpgpool_failbacks_seconds_count", "node_id", "2")
                - before.value("jpgpool_failbacks_seconds_count", "node_id", "2")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void aStandbyThatStopsIsAFailoverOfTheHealthCheck() throws Exception {
        PrometheusText before = scrape();
        cluster.node(2).stop(StopMode.IMMEDIATE);
        await().atMost(Duration.ofSeconds(20)).until(() -> status(scrape(), 2, "down") == 1);
        PrometheusText after = scrape();
        assertThat(failovers(after, 2, "health_check") - failovers(before, 2, "health_check")).isEqualTo(1);
        assertThat(after.value("jpgpool_failovers_seconds_sum", "node_id", "2", "reason", "health_check"))
                .as("the failover's duration").isPositive();
        assertThat(after.value("jpgpool_health_checks_total", "node_id", "2", "result", "failure")).isPositive();
        assertThat(status(after, 0, "up") + status(after, 1, "up")).isEqualTo(2);
    }

    private static double failovers(PrometheusText t, int node, String reason) {
        return t.value("jpgpool_failovers_seconds_count", "node_id", String.valueOf(node), "reason", reason);
    }

    private static Commands.Result ok(Commands.Result r) {
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).as(r.all()).isEmpty();
        return r;
    }

    private static long processed(Commands.Result run) {
        Matcher m = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(run.stdout());
        assertThat(m.find()).as(run.all()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static Commands.Result pgbench(String... args) {
        return jpgpool.pgbench(DB, args);
    }
}
