package io.jpgpool.core.auth;

import io.jpgpool.config.ConfigException;
import io.jpgpool.config.PgpoolKey;
import io.jpgpool.config.Secret;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** AES-encrypted pool_passwd entries ({@code pg_enc}), decrypted with the pgpool key file (SEMANTICS E.5). */
public final class AesPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(AesPasswords.class);

    private AesPasswords() {
    }

    /** The secret as jpgpool can use it: an AES one decrypted to plain text; null for none, or one not decrypted. */
    static Secret readable(Secret s) {
        if (s instanceof Secret.Aes aes) {
            return decrypt(aes).<Secret>map(Secret.PlainText::new).orElse(null);
        }
        return s;
    }

    public static Optional<String> decrypt(Secret.Aes aes) {
        try {
            Optional<PgpoolKey> key = PgpoolKey.locate();
            if (key.isEmpty()) {
                LOG.warn("pool_passwd has an AES password but no key file was found ($PGPOOLKEYFILE or ~/.pgpoolkey)");
                return Optional.empty();
            }
            return Optional.of(aes.decrypt(key.get()));
        } catch (ConfigException e) {
            LOG.warn("cannot decrypt an AES password from pool_passwd: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
