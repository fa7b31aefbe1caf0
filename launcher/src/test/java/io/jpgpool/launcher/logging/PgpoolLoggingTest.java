package io.jpgpool.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpgpool.config.LogSettings;
import io.jpgpool.config.MessageLevel;
import io.jpgpool.config.PgpoolConfig;
import io.jpgpool.core.logging.ClientMessageLog;
import io.jpgpool.core.logging.LogContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgpool.conf's logging parameters end to end through logback: jpgpool started with logging_collector writes to
 * log_directory/log_filename, and a reload changes log_min_messages, log_line_prefix and log_destination.
 */
class PgpoolLoggingTest {
    private static final Logger LOG = LoggerFactory.getLogger("io.jpgpool.test");

    @TempDir
    Path dir;

    private LogSettings settings(String... lines) throws Exception {
        String text = "logging_collector = on\nlog_directory = '" + dir + "'\nlog_filename = 'pgpool-%Y.log'\n"
                + String.join("\n", lines) + "\n";
        return PgpoolConfig.parse("test.conf", text).logging();
    }

    private List<String> lines(PgpoolLogging logging) throws Exception {
        return Files.readAllLines(logging.file());
    }

    @Test
    void aReloadChangesTheLevelThePrefixAndTheFormat() throws Exception {
        PgpoolLogging logging = PgpoolLogging.start(settings("log_line_prefix = '%a: '"), false);
        assertThat(logging.file().getFileName().toString()).matches("pgpool-\\d{4}\\.log");

        LOG.info("one");
        LOG.debug("not written at warning");
        try (LogContext.Scope s = LogContext.session(17, "alice", "test", "psql")) {
            LOG.atWarn().addKeyValue(LogContext.DETAIL, "some detail").log("two");
        }
        assertThat(lines(logging)).containsExactly("main: LOG:  one", "psql: WARNING:  two", "psql: DETAIL:  some detail");

        logging.reload(settings("log_min_messages = debug1", "log_line_prefix = '[%p %u] '"));
        try (LogContext.Scope s = LogContext.session(17, "alice", "test", "psql")) {
            LOG.debug("three");
        }
        logging.reload(settings("log_min_messages = error", "log_error_verbosity = terse",
                "log_line_prefix = '%a pid %p: '"));
        LOG.warn("dropped at error");
        LOG.atError().addKeyValue(LogContext.DETAIL, "terse drops it").log("four");
        LOG.info("five");
        assertThat(lines(logging)).endsWith("[17 alice] DEBUG:  three", "main pid " + ProcessHandle.current().pid()
                + ": ERROR:  four", "main pid " + ProcessHandle.current().pid() + ": LOG:  five");
    }

    @Test
    void dashDKeepsDebugOnAcrossReloads() throws Exception {
        PgpoolLogging logging = PgpoolLogging.start(settings(), true);
        assertThat(logging.minMessages()).isEqualTo(MessageLevel.DEBUG1);
        logging.reload(settings("log_min_messages = error"));
        assertThat(logging.minMessages()).isEqualTo(MessageLevel.DEBUG1);
        logging.reload(settings("log_min_messages = debug3"));
        assertThat(logging.minMessages()).isEqualTo(MessageLevel.DEBUG3);
    }

    @Test
    void jsonlogWritesOneObjectPerLineWithTheSessionAndPgpoolsSeverity() throws Exception {
        PgpoolLogging logging = PgpoolLogging.start(settings("log_destination = 'jsonlog'"), false);
        try (LogContext.Scope s = LogContext.session(5, "bob", "shop", "app \"1\"")) {
            ClientMessageLog.parse("s1", "SELECT 1");
        }
        List<String> lines = lines(logging);
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines.get(0));
        assertThat(json.get("error_severity").asText()).isEqualTo("LOG");
        assertThat(json.get("formattedMessage").asText()).isEqualTo("Parse message from frontend.");
        assertThat(json.get("loggerName").asText()).isEqualTo(ClientMessageLog.LOGGER);
        assertThat(json.get("mdc").get("application_name").asText()).isEqualTo("app \"1\"");
        assertThat(json.get("mdc").get("pid").asText()).isEqualTo("5");
        assertThat(json.get("kvpList").toString()).contains("statement: \\\"s1\\\", query: \\\"SELECT 1\\\"");

        logging.reload(settings("log_destination = 'stderr'", "log_line_prefix = ''"));
        LOG.info("back to text");
        assertThat(lines(logging)).endsWith("LOG:  back to text");
    }
}
