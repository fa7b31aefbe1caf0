package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing pool_passwd entries as pg_md5 -m / pg_enc -m do: replace the user's line, else append. */
class PoolPasswdUpdateTest {

    @Test
    void createsReplacesTheFirstLineOfTheUserAndAppendsOthers(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pool_passwd");
        PoolPasswd.update(f, "alice", Secret.Md5Hash.of("alice", "a").stored());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        Files.writeString(f, Files.readString(f) + "# a comment\nbob:TEXTb\n", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        PoolPasswd.update(f, "alice", "AESxyz=");
        PoolPasswd.update(f, "carol", "c");
        assertThat(Files.readString(f)).isEqualTo("alice:AESxyz=\n# a comment\nbob:TEXTb\ncarol:c\n");
        PoolPasswd p = PoolPasswd.load(f);
        assertThat(p.lookup("alice").orElseThrow().secret()).isEqualTo(new Secret.Aes("xyz="));
        assertThat(p.lookup("bob").orElseThrow().secret()).isEqualTo(new Secret.PlainText("b"));
    }

    @Test
    void namesWithColonsAreEscapedAndReadBack(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pool_passwd");
        PoolPasswd.update(f, "we:ird\\user", "md5" + "0".repeat(32));
        assertThat(Files.readString(f)).isEqualTo("we\\:ird\\\\user:md5" + "0".repeat(32) + "\n");
        assertThat(PoolPasswd.load(f).lookup("we:ird\\user")).isPresent();
        PoolPasswd.update(f, "we:ird\\user", "x");
        assertThat(PoolPasswd.load(f).entries()).hasSize(1);
    }

    @Test
    void emptyValuesAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> PoolPasswd.update(dir.resolve("p"), "", "x")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> PoolPasswd.update(dir.resolve("p"), "u", "a\nb")).isInstanceOf(ConfigException.class);
    }
}
