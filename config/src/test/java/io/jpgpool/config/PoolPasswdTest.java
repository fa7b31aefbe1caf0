package io.jpgpool.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolPasswdTest {

    // made with the real tools: "pg_md5 -m -u alice secret" and "pg_enc -m -K jpgpool-test-key -u bob 'secret pass'"
    static final String REAL = """
            alice:md54a0a68b43b6cd5cf266fa02f196e2371
            bob:AESxZPKb3WCn/BTAd1N7PNVUw==
            """;

    @Test
    void md5AndAesEntriesFromTheRealTools() throws Exception {
        PoolPasswd pp = PoolPasswd.parse("pool_passwd", REAL);
        Secret alice = pp.lookup("alice").orElseThrow().secret();
        assertThat(alice).isEqualTo(new Secret.Md5Hash("4a0a68b43b6cd5cf266fa02f196e2371"));
        assertThat(alice).isEqualTo(Secret.Md5Hash.of("alice", "secret"));
        assertThat(((Secret.Md5Hash) alice).stored()).isEqualTo("md54a0a68b43b6cd5cf266fa02f196e2371");

        Secret bob = pp.lookup("bob").orElseThrow().secret();
        assertThat(bob).isEqualTo(new Secret.Aes("xZPKb3WCn/BTAd1N7PNVUw=="));
        assertThat(((Secret.Aes) bob).decrypt(PgpoolKey.of("jpgpool-test-key"))).isEqualTo("secret pass");
        assertThat(pp.lookup("carol")).isEmpty();
    }

    @Test
    void aesValuesMadeByPgEnc() throws Exception {
        assertThat(PgpoolKey.of("jpgpool-test-key").decrypt("691L6ipZQ6LsG8k72r0AFg==")).isEqualTo("x");
        assertThat(PgpoolKey.of("another key with spaces").decrypt("TefEeU5bqbRNieuR8wJ1mbHm2sfz83vqpFtZZjeg9Nw="))
                .isEqualTo("Pässwörd:with:colons");
        assertThat(PgpoolKey.of("jpgpool-test-key").encrypt("secret pass")).isEqualTo("xZPKb3WCn/BTAd1N7PNVUw==");
        assertThatThrownBy(() -> PgpoolKey.of("wrong key").decrypt("xZPKb3WCn/BTAd1N7PNVUw=="))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unable to decrypt password: wrong pool key or damaged value");
        assertThatThrownBy(() -> PgpoolKey.of("k").decrypt("not base64!"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void keyFileFirstLine(@TempDir Path dir) throws Exception {
        // "printf 'mykey\n' > keyfile; pg_enc -k keyfile hunter2" printed AESbaF7Nw4upsFcGWp7sjQ7yA==
        Path key = dir.resolve("pgpoolkey");
        Files.writeString(key, "mykey\nsecond line ignored\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        PgpoolKey k = PgpoolKey.read(key);
        assertThat(k.insecurePermissions()).isFalse();
        assertThat(k.decrypt("baF7Nw4upsFcGWp7sjQ7yA==")).isEqualTo("hunter2");
        assertThat(k.toString()).doesNotContain("mykey");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PgpoolKey.read(key).insecurePermissions()).isTrue();
        assertThatThrownBy(() -> PgpoolKey.read(dir.resolve("missing"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void plainTextForms() throws Exception {
        PoolPasswd pp = PoolPasswd.parse("pool_passwd", """
                # a comment line

                plain:opensesame
                prefixed:TEXTmd5looking
                shortmd5:md5abc
                colon\\:user:pa\\:ss\\\\word:backend_user:backend_pass
                empty:
                nocolon
                plain:second entry loses
                crlf:pw\r
                """);
        assertThat(pp.lookup("plain").orElseThrow().secret()).isEqualTo(new Secret.PlainText("opensesame"));
        assertThat(pp.lookup("plain").orElseThrow().line()).isEqualTo(3);
        assertThat(pp.lookup("prefixed").orElseThrow().secret()).isEqualTo(new Secret.PlainText("md5looking"));
        assertThat(pp.lookup("shortmd5").orElseThrow().secret()).isEqualTo(new Secret.PlainText("md5abc"));
        assertThat(pp.lookup("colon:user").orElseThrow().secret()).isEqualTo(new Secret.PlainText("pa:ss\\word"));
        assertThat(pp.lookup("empty")).isEmpty();
        assertThat(pp.lookup("nocolon")).isEmpty();
        assertThat(pp.lookup("crlf").orElseThrow().secret()).isEqualTo(new Secret.PlainText("pw"));
        assertThat(new Secret.PlainText("x").toString()).doesNotContain("x]");
    }

    @Test
    void scramVerifiers() throws Exception {
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        String stored = "4Fd0HD8aTvTEzlV5JX6x6oiwo+9LQUMuEkxJc6eVXyA=";
        String server = "8GTcY6cHqYyEB3rMZqR6eQs8YGJl4Xw93ZDTn6U/UUk=";
        String raw = "SCRAM-SHA-256$4096:" + java.util.Base64.getEncoder().encodeToString(salt) + "$" + stored + ":" + server;
        PoolPasswd pp = PoolPasswd.parse("pool_passwd", "carol:" + raw + "\ndave:" + raw + ":mapped:pw\n");
        Secret.ScramSecret s = (Secret.ScramSecret) pp.lookup("carol").orElseThrow().secret();
        assertThat(s.raw()).isEqualTo(raw);
        assertThat(s.iterations()).isEqualTo(4096);
        assertThat(s.salt()).isEqualTo(salt);
        assertThat(s.storedKey()).hasSize(32).isEqualTo(java.util.Base64.getDecoder().decode(stored));
        assertThat(s.serverKey()).isEqualTo(java.util.Base64.getDecoder().decode(server));
        assertThat(pp.lookup("dave").orElseThrow().secret()).isEqualTo(s);

        assertThatThrownBy(() -> PoolPasswd.parse("pool_passwd", "\nerin:SCRAM-SHA-256$4096:abc"))
                .hasMessage("pool_passwd:2: user \"erin\": malformed SCRAM-SHA-256 secret");
    }

    @Test
    void unreadableFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PoolPasswd.load(dir.resolve("pool_passwd")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("pool_passwd") + ": could not read pool_passwd file: ");
        Files.writeString(dir.resolve("pool_passwd"), REAL);
        assertThat(PoolPasswd.load(dir.resolve("pool_passwd")).entries()).hasSize(2);
    }
}
