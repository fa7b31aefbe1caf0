package io.jpgpool.config;

import static io.jpgpool.config.ParamValuesTest.one;
import static io.jpgpool.config.ParamValuesTest.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The logging parameters as LogSettings, and dml_adaptive_object_relationship_list, with their checks. */
class LoggingAndDmlAdaptiveParamsTest {

    @Test
    void loggingDefaultsAreThoseOfPgpool43() {
        LogSettings s = PgpoolConfig.defaults().logging();
        assertThat(s.logMinMessages()).isEqualTo(MessageLevel.WARNING);
        assertThat(s.logLinePrefix()).isEqualTo("%m: %a pid %p: ");
        assertThat(s.logErrorVerbosity()).isEqualTo(LogErrorVerbosity.DEFAULT);
        assertThat(s.destinations()).containsExactly(LogDestination.STDERR);
        assertThat(s.loggingCollector()).isFalse();
        assertThat(s.logFilename()).isEqualTo("pgpool-%Y-%m-%d_%H%M%S.log");
    }

    @Test
    void logDestinationTakesACommaSeparatedListOfKnownWords() throws Exception {
        assertThat(one("log_destination = 'jsonlog'").logging().destinations()).containsExactly(LogDestination.JSONLOG);
        assertThat(one("log_destination = 'stderr, syslog'").logging().destinations())
                .isEqualTo(Set.of(LogDestination.STDERR, LogDestination.SYSLOG));
        rejects("log_destination = 'stderr,file'",
                "log_destination: invalid value \"stderr,file\": unknown destination \"file\" (expected stderr, syslog or jsonlog)");
        rejects("log_destination = ''", "log_destination: invalid value \"\": no destination (expected stderr, syslog or jsonlog)");
    }

    @Test
    void theOtherLoggingParametersReachLogSettings() throws Exception {
        LogSettings s = PgpoolConfig.parse("t.conf", String.join("\n", "log_min_messages = debug3",
                "log_line_prefix = '%t [%p] '", "log_error_verbosity = terse", "logging_collector = on",
                "log_directory = '/var/log/jpgpool'", "log_statement = on", "log_client_messages = on")).logging();
        assertThat(s.logMinMessages()).isEqualTo(MessageLevel.DEBUG3);
        assertThat(s.logLinePrefix()).isEqualTo("%t [%p] ");
        assertThat(s.logErrorVerbosity()).isEqualTo(LogErrorVerbosity.TERSE);
        assertThat(s.loggingCollector()).isTrue();
        assertThat(s.logDirectory()).isEqualTo("/var/log/jpgpool");
        assertThat(s.logStatement()).isTrue();
        assertThat(s.logClientMessages()).isTrue();
    }

    @Test
    void relationshipsNameTablesAndFunctionsCaseInsensitively() throws Exception {
        assertThat(one("dml_adaptive_object_relationship_list = 't1:t2, F1():tF ,x : y'")
                .dmlAdaptiveObjectRelationshipList()).containsExactly(
                        new ObjectRelationship("t1", false, "t2"),
                        new ObjectRelationship("f1", true, "tf"),
                        new ObjectRelationship("x", false, "y"));
        assertThat(PgpoolConfig.defaults().dmlAdaptiveObjectRelationshipList()).isEmpty();
        assertThat(one("dml_adaptive_object_relationship_list = ''").dmlAdaptiveObjectRelationshipList()).isEmpty();
    }

    @Test
    void aRelationshipWithoutBothSidesIsAnError() {
        rejects("dml_adaptive_object_relationship_list = 't1:t2,t3'",
                "dml_adaptive_object_relationship_list: invalid value \"t1:t2,t3\": \"t3\" is not object:related_object");
        rejects("dml_adaptive_object_relationship_list = 't1:'",
                "dml_adaptive_object_relationship_list: invalid value \"t1:\": \"t1:\" is not object:related_object");
    }
}
