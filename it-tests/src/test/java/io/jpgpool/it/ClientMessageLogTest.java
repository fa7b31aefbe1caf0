package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.core.logging.ClientMessageLog;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code log_client_messages = on} (Pgpool-II's test 019): every kind of message a client sends is logged as it
 * arrives, in pgpool's words, with pgpool's DETAIL: the extended protocol of pgjdbc, psql's simple queries, a
 * COPY FROM STDIN with its data, and the Terminate at the end.
 */
class ClientMessageLogTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "log_client_messages = on");
        cluster.node(0).execute("CREATE TABLE copied(i int)");
    }

    @AfterAll
    static void stop() {
        try (PgCluster c = cluster; JpgpoolFixture j = jpgpool) {
            // jpgpool, then the cluster
        }
    }

    @Test
    void everyKindOfClientMessageIsLoggedWithPgpoolsText() throws Exception {
        try (LogLines log = LogLines.capture(ClientMessageLog.LOGGER)) {
            try (Connection c = jpgpool.connect("postgres");
                    PreparedStatement ps = c.prepareStatement("SELECT 7171 + ?")) {
                ps.setInt(1, 1);
                try (ResultSet r = ps.executeQuery()) {
                    assertThat(r.next()).isTrue();
                }
            }
            Commands.Result psql = Commands.run(Duration.ofSeconds(30),
                    Map.of("PGPASSWORD", cluster.options().superuserPassword()), null,
                    List.of(Commands.pgTool("psql"), "-X", "-h", jpgpool.host(), "-p", String.valueOf(jpgpool.port()),
                            "-U", "postgres", "-d", "postgres", "-c", "SELECT 7272", "-c",
                            "\\copy copied FROM PROGRAM 'seq 3'"));
            assertThat(psql.exitCode()).as(psql.all()).isZero();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines()).contains(
                    "Parse message from frontend.\nDETAIL:  statement: \"\", query: \"SELECT 7171 + $1\"",
                    "Bind message from frontend.\nDETAIL:  portal: \"\", statement: \"\"",
                    "Describe message from frontend.\nDETAIL:  portal: \"\"",
                    "Execute message from frontend.\nDETAIL:  portal: \"\"",
                    "Sync message from frontend.",
                    "Query message from frontend.\nDETAIL:  query: \"SELECT 7272\"",
                    "CopyData message from frontend.\nDETAIL:  count: 1",
                    "CopyDone message from frontend.",
                    "Terminate message from frontend."));
        }
    }
}
