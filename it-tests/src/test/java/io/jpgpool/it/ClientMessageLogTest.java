package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.core.logging.ClientMessageLog;
import io.jpgpool.core.logging.StatementTextLog;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.LogLines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log_client_messages = on} (Pgpool-II's test 019): every kind of message a client sends is logged as it
 * arrives, in pgpool's words, with pgpool's DETAIL: the extended protocol of pgjdbc, psql's simple queries, a
 * COPY FROM STDIN with its data, and the Terminate at the end. pgproto then sends COPY, its data and CopyFail
 * without waiting for the CopyInResponse: the data waits for it, the COPY completes and fails as asked. With
 * {@code log_statement = on} each simple query and each Execute is logged once with its text, as pgpool does.
 */
class ClientMessageLogTest {
    static PgCluster cluster;
    static JpgpoolFixture jpgpool;

    @BeforeAll
    static void start() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster, "log_client_messages = on", "log_statement = on");
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

    @Test
    void logStatementLogsEachSimpleQueryAndEachExecuteWithItsText() throws Exception {
        try (LogLines log = LogLines.capture(StatementTextLog.LOGGER)) {
            try (Connection c = jpgpool.connect("postgres");
                    PreparedStatement ps = c.prepareStatement("SELECT 7373 + ?")) {
                for (int i = 0; i < 2; i++) {
                    ps.setInt(1, i);
                    try (ResultSet r = ps.executeQuery()) {
                        assertThat(r.next()).isTrue();
                    }
                }
            }
            try (Connection c = jpgpool.connectSimple("postgres"); java.sql.Statement s = c.createStatement()) {
                s.execute("SELECT 7474; SELECT 7575");
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines())
                    .filteredOn(l -> l.contains("7373") || l.contains("7474"))
                    .containsExactly("statement: SELECT 7373 + $1", "statement: SELECT 7373 + $1",
                            "statement: SELECT 7474; SELECT 7575"));
        }
    }

    @Test
    void copyDataSentAheadOfTheCopyInResponseGoesThroughAndCopyFailIsLogged(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("copy.data");
        // pgproto's file format: a message a line, 'Y' reads answers up to ReadyForQuery
        Files.writeString(scenario, String.join("\n", "'Q'\t\"COPY copied FROM STDIN\"", "'d'\t\"41\"", "'c'", "'Y'",
                "'Q'\t\"COPY copied FROM STDIN\"", "'d'\t\"42\"", "'f'\t\"given up\"", "'Y'", "'X'", ""));
        try (LogLines log = LogLines.capture(ClientMessageLog.LOGGER)) {
            Commands.Result r = Commands.run(Duration.ofSeconds(20), Map.of(), "pgproto", "-h", jpgpool.host(), "-p",
                    String.valueOf(jpgpool.port()), "-u", "postgres", "-d", "postgres", "-f", scenario.toString());
            assertThat(r.stderr()).as(r.all()).contains("CommandComplete(COPY 1)").contains("given up");
            assertThat(log.lines()).contains("CopyFail message from frontend.", "CopyDone message from frontend.");
        }
        assertThat(cluster.node(0).query("SELECT count(*) FROM copied WHERE i = 41").get(0).get(0)).isEqualTo("1");
    }
}
