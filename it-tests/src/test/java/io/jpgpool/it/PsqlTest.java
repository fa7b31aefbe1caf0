package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** psql through jpgpool: what it prints, COPY both ways, and notifications, as if talking to PostgreSQL. */
class PsqlTest {
    private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(60);
    private static final int COPY_ROWS = 100_000;

    static PgCluster cluster;
    static JpgpoolFixture jpgpool;
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).build());
        jpgpool = JpgpoolFixture.start(cluster);
        work = Files.createTempDirectory("jpgpool-psql-");
    }

    @AfterAll
    static void stop() throws IOException {
        if (jpgpool != null) {
            jpgpool.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void describeCommandsPrintWhatTheyPrintOnThePrimary() {
        PgNode primary = cluster.primary();
        primary.execute("CREATE TABLE d_orders (id bigserial PRIMARY KEY, customer text NOT NULL DEFAULT 'anon',"
                + " total numeric(10,2) CHECK (total >= 0), placed timestamptz DEFAULT now())");
        primary.execute("CREATE INDEX d_orders_customer ON d_orders (customer)");
        primary.execute("COMMENT ON TABLE d_orders IS 'orders, for \\d+'");
        primary.execute("CREATE VIEW d_big_orders AS SELECT * FROM d_orders WHERE total > 100");
        cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(10));

        for (String command : List.of("\\d", "\\d+ d_orders", "\\d d_big_orders")) {
            Commands.Result direct = psql(primary.port(), "-c", command);
            Commands.Result through = psql(jpgpool.port(), "-c", command);
            assertThat(direct.exitCode()).as(direct.stderr()).isZero();
            assertThat(direct.stdout()).contains("public");
            assertThat(through.stdout()).as("psql %s through jpgpool", command).isEqualTo(direct.stdout());
            assertThat(through.stderr()).as("psql %s through jpgpool", command).isEqualTo(direct.stderr());
            assertThat(through.exitCode()).isZero();
        }
    }

    @Test
    void copyInAndOutOfAHundredThousandRowsLosesNothing() throws Exception {
        PgNode primary = cluster.primary();
        primary.execute("CREATE TABLE copy_rows (id int PRIMARY KEY, label text, amount numeric)");
        Path in = work.resolve("rows.tsv");
        List<String> rows = IntStream.rangeClosed(1, COPY_ROWS)
                .mapToObj(i -> i + "\tlabel " + Integer.toHexString(i * 7919) + " \u00e9\t" + (i * 3) + ".25")
                .toList();
        Files.write(in, rows, StandardCharsets.UTF_8);

        try (RoutingLog log = RoutingLog.capture()) {
            Commands.Result copyIn = psql(jpgpool.port(), "-c", "\\copy copy_rows FROM '" + in + "'");
            assertThat(copyIn.stderr()).isEmpty();
            assertThat(copyIn.stdout().strip()).isEqualTo("COPY " + COPY_ROWS);
            assertThat(log.nodesOf("copy_rows FROM STDIN")).containsExactly(0);
        }
        assertThat(primary.query("SELECT count(*) FROM copy_rows")).containsExactly(List.of("100000"));

        cluster.node(1).waitForReplayOf(primary, Duration.ofSeconds(30)); // COPY TO may be load balanced
        Commands.Result copyOut = psql(jpgpool.port(), "-At", "-c", "COPY copy_rows TO STDOUT");
        assertThat(copyOut.exitCode()).as(copyOut.stderr()).isZero();
        List<String> out = copyOut.stdout().lines().toList();
        assertThat(out).hasSize(COPY_ROWS);
        assertThat(md5OfSorted(out)).isEqualTo(md5OfSorted(rows));
    }

    @Test
    void aBadRowEndsTheCopyWithAnErrorAndTheSessionGoesOn() throws IOException {
        cluster.primary().execute("CREATE TABLE copy_bad (id int, v text)");
        cluster.node(1).waitForReplayOf(cluster.primary(), Duration.ofSeconds(10)); // the count may be load balanced
        Path script = work.resolve("bad-copy.sql");
        Files.writeString(script, String.join("\n",
                "COPY copy_bad FROM STDIN;",
                "1\tone",
                "two\t2",
                "3\tthree",
                "\\.",
                "SELECT 'still usable' AS probe, count(*) FROM copy_bad;",
                ""));

        Commands.Result r = psql(jpgpool.port(), "-At", "-f", script.toString());

        assertThat(r.stderr())
                .contains("ERROR:  invalid input syntax for type integer: \"two\"")
                .contains("CONTEXT:  COPY copy_bad, line 2, column id: \"two\"");
        assertThat(r.stdout()).as(r.stderr()).contains("still usable|0");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aListenerThroughJpgpoolHearsANotifyFromAnotherSession() throws Exception {
        try (Connection listener = jpgpool.connect("postgres"); Statement s = listener.createStatement()) {
            s.execute("LISTEN jpgpool_events");

            Commands.Result notify = psql(jpgpool.port(), "-c", "NOTIFY jpgpool_events, 'row 42 changed'");
            assertThat(notify.stdout().strip()).isEqualTo("NOTIFY");

            PGConnection pg = listener.unwrap(PGConnection.class);
            List<PGNotification> heard = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                PGNotification[] batch = pg.getNotifications(200);
                if (batch != null) {
                    heard.addAll(List.of(batch));
                }
                return !heard.isEmpty();
            });
            assertThat(heard).singleElement().satisfies(n -> {
                assertThat(n.getName()).isEqualTo("jpgpool_events");
                assertThat(n.getParameter()).isEqualTo("row 42 changed");
            });
        }
    }

    private static Commands.Result psql(int port, String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.pgTool("psql"), "-X",
                "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres"));
        command.addAll(List.of(args));
        return Commands.run(PSQL_TIMEOUT, Map.of("PGCONNECT_TIMEOUT", "10"), null, command);
    }

    private static String md5OfSorted(List<String> lines) throws NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(lines.stream().sorted().collect(Collectors.joining("\n")).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md5.digest());
    }
}
