package io.jpgpool.core.auth;

import io.jpgpool.protocol.auth.ScramSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM secrets jpgpool checks clients against when pool_passwd has no verifier: one built from a plain-text
 * entry, or a doomed one for a user it cannot check (no entry, an md5 entry). Both use the same salt for a user,
 * derived from a key of this process, so that the server-first-message of an unknown user looks like that of a
 * known one, attempt after attempt (PostgreSQL's scram_mock_salt).
 */
final class ScramSecrets {
    private static final byte[] PROCESS_KEY = new byte[32];
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        RANDOM.nextBytes(PROCESS_KEY);
    }

    private ScramSecrets() {
    }

    /** The secret of a password jpgpool knows in plain text. */
    static ScramSecret forPassword(String user, String password) {
        return ScramSecret.fromPassword(password, salt(user), ScramSecret.DEFAULT_ITERATIONS);
    }

    /** A secret no client can match, costing what {@link #forPassword} costs. */
    static ScramSecret doomed(String user) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return ScramSecret.fromPassword(random, salt(user), ScramSecret.DEFAULT_ITERATIONS);
    }

    static byte[] salt(String user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(PROCESS_KEY, "HmacSHA256"));
            byte[] h = mac.doFinal(("scram salt of " + user).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(h, ScramSecret.DEFAULT_SALT_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
