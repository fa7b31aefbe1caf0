package io.jpgpool.core.auth;

import io.jpgpool.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What the login that made a backend connection proved about its client, kept with the connection so that the
 * next client who wants it from the pool proves the same before it gets it (SEMANTICS E.1 "reuse:
 * re-authenticate the client against the stored method", E.4). A pooled connection whose proof cannot be
 * repeated is not reused: a new connection is opened and its backend checks the client.
 */
public sealed interface ReuseProof {

    /** The backend asked for no password: nor does the next client have to give one (pgpool: trust). */
    record Trust() implements ReuseProof {
    }

    /**
     * The client was checked by jpgpool against its pool_passwd entry with {@code method}. The next client is
     * challenged the same way, as long as the entry is still the one that was used (its digest).
     */
    record PoolPasswd(AuthMethod method, byte[] entryDigest) implements ReuseProof {
        public boolean sameEntry(Secret current) {
            return current != null && MessageDigest.isEqual(entryDigest, digest(current));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PoolPasswd p && p.method == method && Arrays.equals(p.entryDigest, entryDigest);
        }

        @Override
        public int hashCode() {
            return method.hashCode() * 31 + Arrays.hashCode(entryDigest);
        }

        @Override
        public String toString() {
            return "PoolPasswd[" + method + "]";
        }
    }

    /**
     * The client gave a clear-text password that the backend accepted (no pool_passwd entry, e.g. with
     * {@code allow_clear_text_frontend_auth}). The next client must give one that matches the verifier.
     */
    record ClientPassword(PasswordVerifier verifier) implements ReuseProof {
    }

    ReuseProof TRUST = new Trust();

    static ReuseProof poolPasswd(AuthMethod method, Secret entry) {
        return new PoolPasswd(method, digest(entry));
    }

    /** A digest of a stored pool_passwd secret: enough to tell it changed, without keeping it. */
    static byte[] digest(Secret s) {
        String text;
        if (s instanceof Secret.PlainText p) {
            text = "text:" + p.password();
        } else if (s instanceof Secret.Md5Hash m) {
            text = "md5:" + m.hex();
        } else if (s instanceof Secret.ScramSecret sc) {
            text = "scram:" + sc.raw();
        } else {
            text = "aes:" + ((Secret.Aes) s).base64();
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
