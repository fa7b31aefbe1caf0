package io.jpgpool.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.HbaMatch;
import io.jpgpool.config.HbaMethod;
import io.jpgpool.config.HbaRequest;
import io.jpgpool.config.PgpoolConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pool_hba.conf over a server's life: read at the start, again at each reload, and kept when a reload is bad. */
class HbaRulesTest {
    private static final HbaRequest ALICE = HbaRequest.tcp(InetAddress.getLoopbackAddress(), false, "app", "alice");

    @TempDir
    Path dir;

    @Test
    void theFileBesidePgpoolConfIsReadOnlyWhenEnablePoolHbaIsOn() throws Exception {
        Files.writeString(dir.resolve("pool_hba.conf"), "host all all 127.0.0.1/32 md5\n");
        HbaRules on = HbaRules.start(config("enable_pool_hba = on"), null);
        assertThat(method(on)).contains(HbaMethod.MD5);
        assertThat(on.file()).isEqualTo(dir.resolve("pool_hba.conf").toAbsolutePath());

        Files.writeString(dir.resolve("pool_hba.conf"), "nonsense\n");
        HbaRules off = HbaRules.start(config("enable_pool_hba = off"), null);
        assertThat(method(off)).as("no rules: nobody is let in").isEmpty();
    }

    @Test
    void aBadFileStopsTheStartWithFileAndLine() throws Exception {
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "host all all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 ident\n");
        assertThatThrownBy(() -> HbaRules.start(config("enable_pool_hba = on"), other))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(other.toAbsolutePath() + ":2: invalid authentication method \"ident\"");
    }

    @Test
    void aReloadReadsTheFileAgainAndABadOneLeavesTheRulesInForce() throws Exception {
        Path file = dir.resolve("pool_hba.conf");
        Files.writeString(file, "host all all 127.0.0.1/32 md5\n");
        PgpoolConfig on = config("enable_pool_hba = on");
        HbaRules rules = HbaRules.start(on, null);

        Files.writeString(file, "host all alice 127.0.0.1/32 reject\n");
        rules.reload(on);
        assertThat(method(rules)).contains(HbaMethod.REJECT);

        Files.writeString(file, "host all alice 127.0.0.1/32\n");
        rules.reload(on);
        assertThat(method(rules)).as("the rules in force stay").contains(HbaMethod.REJECT);
    }

    @Test
    void turningItOnByAReloadWithABadFileLetsNobodyIn() throws Exception {
        Files.writeString(dir.resolve("pool_hba.conf"), "bad line\n");
        HbaRules rules = HbaRules.start(config("enable_pool_hba = off"), null);
        rules.reload(config("enable_pool_hba = on"));
        assertThat(rules.match(ALICE).toCompletableFuture().get()).isEmpty();
    }

    private Optional<HbaMethod> method(HbaRules rules) throws Exception {
        return rules.match(ALICE).toCompletableFuture().get().map(HbaMatch::method);
    }

    private PgpoolConfig config(String line) throws Exception {
        Path conf = dir.resolve("pgpool.conf");
        Files.writeString(conf, line + "\n");
        return PgpoolConfig.load(conf);
    }
}
