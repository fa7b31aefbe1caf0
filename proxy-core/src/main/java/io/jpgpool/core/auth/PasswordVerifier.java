package io.jpgpool.core.auth;

import io.jpgpool.protocol.auth.ScramSecret;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * What a pooled connection keeps of a clear-text password that its backend accepted: a salted, iterated hash
 * (the SCRAM StoredKey/ServerKey of the password under a salt of our own), never the password. The next client
 * that wants the connection must give a password that hashes the same (SEMANTICS E.4, reuse).
 */
public final class PasswordVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramSecret secret;

    private PasswordVerifier(ScramSecret secret) {
        this.secret = secret;
    }

    public static PasswordVerifier of(String password) {
        byte[] salt = new byte[ScramSecret.DEFAULT_SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return new PasswordVerifier(ScramSecret.fromPassword(password, salt, ScramSecret.DEFAULT_ITERATIONS));
    }

    /** Whether {@code password} is the one this verifier was made from (compared in constant time). */
    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        ScramSecret candidate = ScramSecret.fromPassword(password, secret.salt(), secret.iterations());
        return MessageDigest.isEqual(candidate.storedKey(), secret.storedKey())
                & MessageDigest.isEqual(candidate.serverKey(), secret.serverKey());
    }

    @Override
    public String toString() {
        return "PasswordVerifier[*****]";
    }
}
