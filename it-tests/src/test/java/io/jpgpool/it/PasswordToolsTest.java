package io.jpgpool.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PgpoolKey;
import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.Secret;
import io.jpgpool.it.support.Commands;
import io.jpgpool.launcher.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** jpgpool md5 / enc and Pgpool-II's own pg_md5 / pg_enc (Debian pgpool2) write the same pool_passwd lines. */
class PasswordToolsTest {
    @TempDir
    Path dir;
    Path conf;
    Path poolPasswd;

    @BeforeEach
    void config() throws Exception {
        conf = Files.writeString(dir.resolve("pgpool.conf"), "pool_passwd = 'pool_passwd'\n");
        poolPasswd = dir.resolve("pool_passwd");
    }

    static Commands.Result pgpoolTool(String... command) {
        Commands.Result r = Commands.run(Duration.ofSeconds(30), Map.of(), command);
        assertThat(r.exitCode()).as("%s: %s", String.join(" ", command), r.stderr()).isZero();
        return r;
    }

    static int jpgpool(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Test
    void md5EntriesAreTheSameAndEachToolUpdatesTheOthersLine() throws Exception {
        pgpoolTool("pg_md5", "-m", "-f", conf.toString(), "-u", "alice", "secret");
        String theirs = Files.readString(poolPasswd);
        Files.delete(poolPasswd);
        assertThat(jpgpool("md5", "-m", "-f", conf.toString(), "-u", "alice", "secret")).isZero();
        assertThat(Files.readString(poolPasswd)).isEqualTo(theirs);

        // pg_md5 finds jpgpool's line for alice and replaces it rather than adding a second one
        pgpoolTool("pg_md5", "-m", "-f", conf.toString(), "-u", "alice", "other");
        assertThat(PoolPasswd.load(poolPasswd).entries()).singleElement()
                .satisfies(e -> assertThat(e.secret()).isEqualTo(Secret.Md5Hash.of("alice", "other")));
        assertThat(pgpoolTool("pg_md5", "secret").stdout())
                .isEqualTo(new String(runOut("md5", "secret")));
    }

    @Test
    void aesEntriesAreTheSameAndDecryptWithThePoolKey() throws Exception {
        String ours = runOut("enc", "-K", "k3y", "s3cret");
        String theirs = pgpoolTool("pg_enc", "-K", "k3y", "s3cret").stdout();
        assertThat(ours).isEqualTo(theirs); // "\n<base64>\npool_passwd string: AES<base64>\n"

        pgpoolTool("pg_enc", "-m", "-K", "k3y", "-f", conf.toString(), "-u", "bob", "s3cret");
        Secret.Aes written = (Secret.Aes) PoolPasswd.load(poolPasswd).lookup("bob").orElseThrow().secret();
        assertThat(written.decrypt(PgpoolKey.of("k3y"))).isEqualTo("s3cret");
        assertThat(jpgpool("enc", "-m", "-K", "k3y", "-f", conf.toString(), "-u", "carol", "pw")).isZero();
        pgpoolTool("pg_enc", "-m", "-K", "k3y", "-f", conf.toString(), "-u", "carol", "pw2");
        assertThat(PoolPasswd.load(poolPasswd).entries()).extracting(e -> e.user()).containsExactly("bob", "carol");
    }

    private static String runOut(String... args) {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(jpgpool(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
