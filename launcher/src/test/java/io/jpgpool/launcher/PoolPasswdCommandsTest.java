package io.jpgpool.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PgpoolKey;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.Secret;
import io.jpgpool.protocol.auth.ScramSecret;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** jpgpool md5 / enc / scram: pg_md5's and pg_enc's options and output, entries that PoolPasswd reads back. */
class PoolPasswdCommandsTest {
    @TempDir
    Path dir;
    Path conf;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void config() throws Exception {
        conf = Files.writeString(dir.resolve("pgpool.conf"), "pool_passwd = 'pool_passwd'\n");
    }

    int run(PoolPasswdCommand cmd, String stdin, String... args) {
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        if (stdin != null) {
            cmd.stdin = new BufferedReader(new StringReader(stdin));
        }
        return new CommandLine(cmd).execute(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    PoolPasswd poolPasswd() throws Exception {
        return PoolPasswd.load(dir.resolve("pool_passwd"));
    }

    @Test
    void md5PrintsTheHashOfThePasswordAloneLikePgMd5() {
        assertThat(run(new Md5Command(), null, "secret")).isZero();
        assertThat(out()).isEqualTo("5ebe2294ecd0e0f08eab7690d2a6ee69\n"); // md5("secret")
    }

    @Test
    void md5WithMWritesThePostgresqlHashOfPasswordAndUser() throws Exception {
        assertThat(run(new Md5Command(), null, "-m", "-u", "alice", "-f", conf.toString(), "secret")).isZero();
        assertThat(out()).isEmpty();
        assertThat(poolPasswd().lookup("alice").orElseThrow().secret())
                .isEqualTo(Secret.Md5Hash.of("alice", "secret"));
        assertThat(Files.readString(dir.resolve("pool_passwd")))
                .isEqualTo("alice:md5" + Md5Command.md5("secretalice") + "\n");
    }

    @Test
    void md5PromptsAndReadsInputFiles() throws Exception {
        assertThat(run(new Md5Command(), "hidden\n", "-p", "--md5auth", "--username=bob", "-f", conf.toString()))
                .isZero();
        assertThat(out()).startsWith("password: ");
        Path input = Files.writeString(dir.resolve("users.txt"), "carol:c:with:colons\n\nbroken\ndave:d\n");
        assertThat(run(new Md5Command(), null, "-m", "-i", input.toString(), "-f", conf.toString())).isZero();
        assertThat(out()).contains("trying to read username:password pairs from file " + input,
                "LINE#01: USER: <carol>", "LINE#02: BLANK LINE", "LINE#03: Invalid username:password pair",
                "LINE#04: USER: <dave>");
        assertThat(poolPasswd().entries()).extracting(e -> e.user()).containsExactly("bob", "carol", "dave");
        assertThat(poolPasswd().lookup("carol").orElseThrow().secret())
                .isEqualTo(Secret.Md5Hash.of("carol", "c:with:colons"));
    }

    @Test
    void md5RefusesTooLongInputAndMissingPasswords() {
        assertThat(run(new Md5Command(), null, "x".repeat(129))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Input exceeds maximum password length");
        assertThat(run(new Md5Command(), null)).isEqualTo(1);
    }

    @Test
    void encPrintsLikePgEncAndWritesAesEntriesThePoolKeyDecrypts() throws Exception {
        assertThat(run(new EncCommand(), null, "-K", "k3y", "secret")).isZero();
        String expected = PgpoolKey.of("k3y").encrypt("secret");
        assertThat(out()).isEqualTo("\n" + expected + "\npool_passwd string: AES" + expected + "\n");

        Path keyFile = Files.writeString(dir.resolve(".pgpoolkey"), "k3y\n");
        assertThat(run(new EncCommand(), null, "-m", "-k", keyFile.toString(), "-u", "erin", "-f", conf.toString(),
                "pw")).isZero();
        assertThat(out()).contains("trying to read key from file " + keyFile);
        Secret s = poolPasswd().lookup("erin").orElseThrow().secret();
        assertThat(((Secret.Aes) s).decrypt(PgpoolKey.read(keyFile))).isEqualTo("pw");
    }

    @Test
    void encWithoutAKeySaysSo() {
        assertThat(run(new EncCommand(), null, "-k", dir.resolve("missing").toString(), "pw")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("encryption key not provided");
    }

    @Test
    void encPromptsForPasswordThenKey() throws Exception {
        assertThat(run(new EncCommand(), "pw\nk3y\n", "-p", "-P")).isZero();
        assertThat(out()).startsWith("db password: \nencryption key: \n")
                .contains("pool_passwd string: AES" + PgpoolKey.of("k3y").encrypt("pw"));
    }

    @Test
    void scramWritesAVerifierThatChecksThePassword() throws Exception {
        assertThat(run(new ScramCommand(), null, "-m", "-u", "frank", "-f", conf.toString(), "pencil")).isZero();
        Secret s = poolPasswd().lookup("frank").orElseThrow().secret();
        assertThat(s).isInstanceOf(Secret.ScramSecret.class);
        ScramSecret parsed = ScramSecret.parse(((Secret.ScramSecret) s).raw());
        assertThat(parsed.iterations()).isEqualTo(4096);
        assertThat(ScramSecret.fromPassword("pencil", parsed.salt(), 4096)).isEqualTo(parsed);
        assertThat(run(new ScramCommand(), null, "--iterations", "10", "x")).isZero();
        assertThat(out()).startsWith("SCRAM-SHA-256$10:");
    }
}
