package io.jpgpool.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpgpool.config.PoolPasswd;
import io.jpgpool.config.Secret;
import org.junit.jupiter.api.Test;

/** recovery_password as pgpool reads it (SEMANTICS D.1): empty means pool_passwd; md5 is not accepted. */
class RecoveryPasswordTest {
    final PoolPasswd poolPasswd = poolPasswd("postgres:TEXTfrom-pool-passwd\nhashed:md5" + "0".repeat(32) + "\n");

    @Test
    void aConfiguredPasswordWinsAndItsTextPrefixIsRead() {
        assertThat(login("s3cret")).isEqualTo("s3cret");
        assertThat(login("TEXTs3cret")).isEqualTo("s3cret");
    }

    @Test
    void anEmptyOneIsLookedUpInPoolPasswd() {
        assertThat(RuntimeRecoveryEdges.loginPassword(RuntimeRecoveryEdges.recoverySecret("", "postgres", poolPasswd)))
                .isEqualTo("from-pool-passwd");
        assertThat(RuntimeRecoveryEdges.recoverySecret("", "nobody", poolPasswd)).isNull();
        assertThat(RuntimeRecoveryEdges.recoverySecret("", "postgres", null)).isNull();
    }

    @Test
    void anMd5HashIsRecognisedAndGivesNoPassword() {
        Secret configured = RuntimeRecoveryEdges.recoverySecret("md5" + "a".repeat(32), "postgres", poolPasswd);
        assertThat(configured).isInstanceOf(Secret.Md5Hash.class);
        assertThat(RuntimeRecoveryEdges.loginPassword(configured)).isEmpty();
        assertThat(RuntimeRecoveryEdges.recoverySecret("", "hashed", poolPasswd)).isInstanceOf(Secret.Md5Hash.class);
    }

    private String login(String configured) {
        return RuntimeRecoveryEdges.loginPassword(RuntimeRecoveryEdges.recoverySecret(configured, "postgres",
                poolPasswd));
    }

    private static PoolPasswd poolPasswd(String text) {
        try {
            return PoolPasswd.parse("pool_passwd", text);
        } catch (io.jpgpool.config.ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
