package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.cluster.ClusterOptions;
import io.jpgpool.cluster.PgCluster;
import io.jpgpool.cluster.PgNode;
import io.jpgpool.it.support.Commands;
import io.jpgpool.it.support.JpgpoolFixture;
import io.jpgpool.it.support.RoutingLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Pgpool-II 4.3's own extended-protocol scenarios (src/test/extended-query-test, SEMANTICS G.1), run with the real
 * {@code pgproto} against jpgpool on a streaming cluster: given the scenario's {@code ##} pgpool.conf lines, the
 * client sees exactly the transcript Pgpool-II recorded, and every SELECT runs on the node Pgpool-II sent it to.
 */
class PgprotoScenariosTest {
    private static final Path ROOT = resource("/pgproto");
    private static final Duration PGPROTO_TIMEOUT = Duration.ofSeconds(60);
    /** Source file, line and routine of a server message: PostgreSQL 15's differ from the ones recorded. */
    private static final Pattern FILE_AND_LINE = Pattern.compile(" F \\S+ L \\d+ ");
    private static final Pattern ROUTINE = Pattern.compile(" R \\S+ \\)$", Pattern.MULTILINE);

    /**
     * Rows of expected-routing.tsv that Pgpool-II 4.3.5 itself does not produce (checked by running the scenarios
     * against the real pgpool 4.3.5 with log_per_node_statement, counting lines as the rows do: no Bind lines, none
     * of pgpool's own catalog queries). pgpool's extra_scripts compare log lines with {@code set 1 1 ...} one by
     * one and never notice surplus entries; we compare whole lists, so we use what 4.3.5 logs.
     */
    private static final Map<String, List<Integer>> ROUTING_OF_PGPOOL_4_3_5 = Map.of(
            // one surplus entry at the end of each row
            "disable-load-balance", List.of(1, 0, 0, 0, 0, 1, 1, 0, 0, 0),
            "disable-load-balance-off", List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            "disable-load-balance-off-black-function", List.of(0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1),
            // the row predates 4.2's volatility check (SEMANTICS A.5): pg_sleep and f1 (VOLATILE, both function
            // lists empty) are writing functions, so they and the re-parsed S1 go to the primary
            "disable-load-balance-white-function", List.of(0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1));

    /**
     * Scenarios where Pgpool-II 4.3.5 fails in its own way and jpgpool answers as PostgreSQL does: Bind of a
     * statement that was never parsed gets pgpool's FATAL "unable to bind" (its fix for a hang), and
     * PostgreSQL's ERROR 26000 "prepared statement "S1" does not exist" from jpgpool; the session goes on.
     */
    private static final Set<String> ANSWERED_AS_POSTGRESQL = Set.of("unable_to_bind");

    /**
     * How many times a SELECT of a query cache scenario runs on the backends: when its first run was on the
     * primary, and when it was on the standby (the session's load-balance node, weights 1:1), whose answer jpgpool
     * does not cache within 2 s of a write to its table (the standby may lag; README "Query cache").
     */
    private record CachedRuns(int onPrimary, int onStandby) {
    }

    /**
     * The query cache scenarios (memory_cache_enabled = on). In query-cache, the second simple SELECT and the
     * Execute after the committed transaction come from the cache; in query-cache-notrans the second Execute
     * comes before the Sync that registers the first one's answer (SEMANTICS F.4), so both run.
     */
    private static final Map<String, Map<String, CachedRuns>> RUNS_WITH_CACHE = Map.of(
            "query-cache", Map.of("SELECT * FROM pgproto_test1", new CachedRuns(1, 2),
                    "SELECT 1 FROM pgproto_test1", new CachedRuns(1, 2)),
            "query-cache-notrans", Map.of("SELECT 1 FROM pgproto_test1", new CachedRuns(2, 2)));

    static PgCluster cluster;
    /**
     * For the query cache scenarios: a standby that applies every commit before the primary acknowledges it
     * ({@code synchronous_commit = remote_apply}). Their reads are load-balanced (weights 1:1) right after the
     * CREATE TABLE and INSERT they depend on; on a loaded host an asynchronous standby may not have replayed those
     * yet, and the SELECT would fail there whatever the cache does. The scenarios' own settings are unchanged.
     */
    static PgCluster applyingCluster;

    @BeforeAll
    static void startCluster() {
        cluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).initDatabase("test").build());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (applyingCluster != null) {
            applyingCluster.close();
        }
    }

    private static PgCluster clusterFor(Path scenario) {
        if (!RUNS_WITH_CACHE.containsKey(scenarioName(scenario))) {
            return cluster;
        }
        if (applyingCluster == null) {
            applyingCluster = PgCluster.streaming(ClusterOptions.builder().standbys(1).initDatabase("test")
                    .synchronousStandby(true).extraConf("synchronous_commit = remote_apply").build());
        }
        return applyingCluster;
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioBehavesAsInPgpool() throws IOException {
        Map<String, List<Integer>> routing = expectedRouting();
        try (Stream<Path> files = Files.list(ROOT.resolve("tests"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".data"))
                    .sorted()
                    .map(f -> DynamicTest.dynamicTest(scenarioName(f),
                            () -> runScenario(clusterFor(f), f, routing.get(scenarioName(f)))))
                    .toList().stream();
        }
    }

    /**
     * Given three nodes and {@code statement_level_load_balance = on}, BEGIN and COMMIT (Parse and Execute) reach
     * every node, in node order, because each statement of the transaction may pick another load-balance node.
     */
    @Test
    void statementLevelLoadBalanceOnThreeNodes() throws IOException {
        Path scenario = ROOT.resolve("tests_n3/statement_level_load_balance.data");
        String row = expectedRoutingRows().get("statement_level_load_balance");
        try (PgCluster three = PgCluster.streaming(
                ClusterOptions.builder().standbys(2).initDatabase("test").build());
                JpgpoolFixture jpgpool = JpgpoolFixture.start(three, settingsOf(scenario));
                RoutingLog log = RoutingLog.capture()) {
            assertTranscriptAsRecorded(jpgpool, scenario);
            // the row reads "BEGIN: 0 1 2 0 1 2 ; COMMIT: 0 1 2 0 1 2 (3-node cluster, per BEGIN/COMMIT log lines)"
            for (String part : row.replaceAll("\\(.*\\)", "").split(";")) {
                String[] wordAndNodes = part.split(":", 2);
                String word = wordAndNodes[0].trim();
                assertThat(nodesOf(log, s -> s.contains(word)))
                        .as("nodes of the %s lines", word)
                        .isEqualTo(nodeIds(wordAndNodes[1]));
            }
        }
    }

    private static void runScenario(PgCluster cluster, Path scenario, List<Integer> expectedNodes) {
        try (JpgpoolFixture jpgpool = JpgpoolFixture.start(cluster, settingsOf(scenario));
                RoutingLog log = RoutingLog.capture()) {
            if (ANSWERED_AS_POSTGRESQL.contains(scenarioName(scenario))) {
                assertTranscriptAsPostgresql(jpgpool, scenario);
            } else {
                assertTranscriptAsRecorded(jpgpool, scenario);
            }
            RUNS_WITH_CACHE.getOrDefault(scenarioName(scenario), Map.of()).forEach((sql, runs) -> {
                List<RoutingLog.Entry> ran = log.executionsOf(sql);
                int primary = cluster.primary().id();
                assertThat(ran).as("runs of %s on the backends", sql)
                        .hasSize(!ran.isEmpty() && ran.get(0).node() == primary ? runs.onPrimary() : runs.onStandby());
            });
            if (expectedNodes != null) {
                // pgpool's extra_scripts: grep SELECT in the per-node statement log; the rows count no Bind lines
                assertThat(nodesOf(log, s -> s.contains("SELECT")))
                        .as("nodes of the statements containing SELECT, in order")
                        .isEqualTo(expectedNodes);
            }
        }
    }

    private static void assertTranscriptAsRecorded(JpgpoolFixture jpgpool, Path scenario) {
        String expected = read(ROOT.resolve("expected").resolve(scenario.getFileName()));
        assertThat(normalised(pgproto(jpgpool.host(), jpgpool.port(), scenario)))
                .as("pgproto transcript of %s through jpgpool", scenario.getFileName())
                .isEqualTo(normalised(expected));
    }

    /** The transcript equals the one of PostgreSQL itself (jpgpool's own errors carry no source fields). */
    private static void assertTranscriptAsPostgresql(JpgpoolFixture jpgpool, Path scenario) {
        PgNode primary = jpgpool.cluster().primary();
        String direct = pgproto(primary.host(), primary.port(), scenario);
        assertThat(withoutSourceFields(pgproto(jpgpool.host(), jpgpool.port(), scenario)))
                .as("pgproto transcript of %s through jpgpool and directly", scenario.getFileName())
                .isEqualTo(withoutSourceFields(direct));
    }

    private static String pgproto(String host, int port, Path scenario) {
        Commands.Result r = Commands.run(PGPROTO_TIMEOUT, Map.of(), "pgproto", "-h", host,
                "-p", String.valueOf(port), "-u", "postgres", "-d", "test", "-f", scenario.toString());
        return r.stderr(); // pgproto writes its transcript on stderr
    }

    /** Simple-query, Parse and Execute lines whose statement matches, as node ids in log order. */
    private static List<Integer> nodesOf(RoutingLog log, Predicate<String> statement) {
        return log.entries().stream()
                .filter(e -> !e.statement().startsWith("Bind: ") && !e.statement().endsWith(" message"))
                .filter(e -> statement.test(e.statement()))
                .map(RoutingLog.Entry::node)
                .toList();
    }

    /** The {@code ##} lines of a data file: pgpool.conf settings for the scenario. */
    private static String[] settingsOf(Path scenario) {
        return read(scenario).lines()
                .filter(l -> l.startsWith("##"))
                .map(l -> l.substring(2).trim())
                .toArray(String[]::new);
    }

    private static String normalised(String transcript) {
        String t = FILE_AND_LINE.matcher(transcript.strip()).replaceAll(" F xxx L xxx ");
        return ROUTINE.matcher(t).replaceAll(" R xxx )");
    }

    private static String withoutSourceFields(String transcript) {
        return transcript.strip().replaceAll(" F \\S+ L \\d+ (R \\S+ )?\\)", " )");
    }

    private static Map<String, List<Integer>> expectedRouting() {
        Map<String, List<Integer>> byScenario = new LinkedHashMap<>();
        expectedRoutingRows().forEach((name, nodes) -> {
            if (nodes.matches("[0-9 ]+")) {
                byScenario.put(name, nodeIds(nodes));
            }
        });
        byScenario.putAll(ROUTING_OF_PGPOOL_4_3_5);
        return byScenario;
    }

    private static Map<String, String> expectedRoutingRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        read(ROOT.resolve("expected-routing.tsv")).lines().skip(1).forEach(line -> {
            String[] cols = line.split("\t", 2);
            rows.put(cols[0], cols[1].trim());
        });
        return rows;
    }

    private static List<Integer> nodeIds(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.trim().split("\\s+")).map(Integer::valueOf).toList();
    }

    private static String scenarioName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.data$", "");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(PgprotoScenariosTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
