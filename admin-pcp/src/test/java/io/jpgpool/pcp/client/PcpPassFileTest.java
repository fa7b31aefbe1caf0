package io.jpgpool.pcp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .pcppass as libpcp reads it (PCP_SPEC 9.2). */
class PcpPassFileTest {
    @TempDir
    Path dir;

    private PcpPassFile file(String text, String mode) throws IOException {
        Path f = dir.resolve("pcppass");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return new PcpPassFile(f);
    }

    @Test
    void theFirstMatchingLineWinsAndStarsMatchAnything() throws IOException {
        PcpPassFile f = file("db1:9898:admin:one\n*:9898:admin:two\n*:*:*:three\n", "rw-------");
        assertThat(f.lookup("db1", "9898", "admin", null)).isEqualTo("one");
        assertThat(f.lookup("db2", "9898", "admin", null)).isEqualTo("two");
        assertThat(f.lookup("db2", "9999", "other", null)).isEqualTo("three");
    }

    @Test
    void noHostAndTheDefaultSocketDirAreLocalhostOtherDirectoriesAreLiteral() throws IOException {
        PcpPassFile f = file("localhost:9898:admin:local\n/run/pcp:9898:admin:dir\n", "rw-------");
        assertThat(f.lookup(null, "9898", "admin", null)).isEqualTo("local");
        assertThat(f.lookup("/tmp", "9898", "admin", null)).isEqualTo("local");
        assertThat(f.lookup("/run/pcp", "9898", "admin", null)).isEqualTo("dir");
    }

    @Test
    void backslashEscapesAColonOrABackslash() throws IOException {
        PcpPassFile f = file("h\\:x:9898:admin:pa\\:ss\\\\word:ignored\n", "rw-------");
        assertThat(f.lookup("h:x", "9898", "admin", null)).isEqualTo("pa:ss\\word");
    }

    @Test
    void aFileReadableByOthersIsIgnoredWithAWarningUnderDebug() throws IOException {
        PcpPassFile f = file("*:*:*:secret\n", "rw-r-----");
        ByteArrayOutputStream debug = new ByteArrayOutputStream();
        assertThat(f.lookup("h", "9898", "admin", new PrintStream(debug, true, StandardCharsets.UTF_8))).isNull();
        assertThat(debug.toString(StandardCharsets.UTF_8)).isEqualTo("WARNING: password file \"" + f.file()
                + "\" has group or world access; permissions should be u=rw (0600) or less\n");
    }

    @Test
    void aMissingFileOrNoUserGivesNothing() throws IOException {
        assertThat(new PcpPassFile(dir.resolve("none")).lookup("h", "1", "u", null)).isNull();
        assertThat(file("*:*:*:x\n", "rw-------").lookup("h", "1", "", null)).isNull();
    }
}
