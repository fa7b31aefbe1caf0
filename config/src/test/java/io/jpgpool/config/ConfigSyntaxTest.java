package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSyntaxTest {

    static PgpoolConfig parse(String text) throws ConfigException {
        return PgpoolConfig.parse("/etc/pgpool.conf", text);
    }

    @Test
    void bareAndQuotedValuesWithAndWithoutEquals() throws Exception {
        PgpoolConfig c = parse("""
                port = 5433
                pcp_port 9000
                listen_addresses='*'
                  socket_dir   =   '/var/run/pg'   # trailing comment
                failover_command = '/bin/failover.sh %d %h # not a comment'
                """);
        assertThat(c.port()).isEqualTo(5433);
        assertThat(c.pcpPort()).isEqualTo(9000);
        assertThat(c.listenAddresses()).isEqualTo("*");
        assertThat(c.socketDir()).isEqualTo("/var/run/pg");
        assertThat(c.failoverCommand()).isEqualTo("/bin/failover.sh %d %h # not a comment");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void quotesInsideQuotedValues() throws Exception {
        PgpoolConfig c = parse("""
                failover_command = 'echo ''it''s'' > /tmp/x'
                failback_command = 'echo \\'hi\\''
                follow_primary_command = 'a\\\\b \\d'
                """);
        assertThat(c.failoverCommand()).isEqualTo("echo 'it's' > /tmp/x");
        assertThat(c.failbackCommand()).isEqualTo("echo 'hi'");
        // other backslash pairs stay as written, as in pgpool
        assertThat(c.followPrimaryCommand()).isEqualTo("a\\\\b \\d");
    }

    @Test
    void commentsBlankLinesAndCrLf() throws Exception {
        PgpoolConfig c = parse("# header\r\n\r\n   \t\r\n#port = 1\r\nport = 6000\r\n# end");
        assertThat(c.port()).isEqualTo(6000);
    }

    @Test
    void namesAreCaseInsensitiveAndTheLastValueWins() throws Exception {
        PgpoolConfig c = parse("""
                PORT = 7000
                Load_Balance_Mode = off
                port = 7001
                """);
        assertThat(c.port()).isEqualTo(7001);
        assertThat(c.loadBalanceMode()).isFalse();
    }

    @Test
    void emptyTextGivesDefaults() throws Exception {
        PgpoolConfig c = parse("");
        assertThat(c.port()).isEqualTo(9999);
        assertThat(c.numInitChildren()).isEqualTo(32);
        assertThat(c.backends()).isEmpty();
        assertThat(c.resetQueryList()).containsExactly("ABORT", "DISCARD ALL");
        assertThat(PgpoolConfig.defaults().backendClusteringMode()).isEqualTo(ClusteringMode.STREAMING_REPLICATION);
    }

    @Test
    void syntaxErrorsNameFileAndLine() {
        assertThatThrownBy(() -> parse("port = 1\nfailover_command = 'unterminated\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/pgpool.conf:2: syntax error: unterminated quoted string");
        assertThatThrownBy(() -> parse("\n\nport = 5432 5433"))
                .hasMessage("/etc/pgpool.conf:3: syntax error: unexpected text after the value of \"port\"");
        assertThatThrownBy(() -> parse("port ="))
                .hasMessage("/etc/pgpool.conf:1: syntax error: missing value for \"port\"");
        assertThatThrownBy(() -> parse("= 5"))
                .hasMessage("/etc/pgpool.conf:1: syntax error: unexpected \"=\" at the start of a line");
        assertThatThrownBy(() -> parse("port = 'a'b"))
                .hasMessageStartingWith("/etc/pgpool.conf:1: syntax error");
    }

    @Test
    void includeReadsAnotherFileRelativeToTheIncludingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("backends.conf"), "backend_hostname0 = 'db0'\nbackend_port0 = 5432\nport = 1\n");
        Files.writeString(dir.resolve("pgpool.conf"), "port = 7777\ninclude 'backends.conf'\nbogus_name = 1\n");
        assertThatThrownBy(() -> PgpoolConfig.load(dir.resolve("pgpool.conf")))
                .hasMessage(dir.resolve("backends.conf") + ":3: port: invalid value \"1\": must be between 1024 and 65535");

        Files.writeString(dir.resolve("backends.conf"), "backend_hostname0 = 'db0'\nbackend_port0 = 5432\n");
        PgpoolConfig c = PgpoolConfig.load(dir.resolve("pgpool.conf"));
        assertThat(c.port()).isEqualTo(7777);
        assertThat(c.backends()).extracting(BackendConfig::hostname).containsExactly("db0");
        assertThat(c.file()).contains(dir.resolve("pgpool.conf"));
        assertThat(c.warnings()).extracting(ConfigWarning::toString)
                .containsExactly(dir.resolve("pgpool.conf") + ":3: bogus_name: unknown parameter; ignored");
    }

    @Test
    void unreadableFilesAreClearErrors(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> PgpoolConfig.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": could not read configuration file");
        assertThatThrownBy(() -> PgpoolConfig.parse(dir.resolve("a.conf").toString(), "include 'missing.conf'"))
                .hasMessageStartingWith(dir.resolve("a.conf") + ":1: include: could not read \"missing.conf\"");
    }

    @Test
    void includeLoopsStop(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.conf"), "include 'a.conf'\n");
        assertThatThrownBy(() -> PgpoolConfig.load(dir.resolve("a.conf")))
                .hasMessageEndingWith("include: nesting depth exceeded (10)");
    }
}
