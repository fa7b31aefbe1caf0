package io.jpgpool.protocol.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SCRAM-SHA-256 formulas of RFC 5802 section 3. HMAC, H and XOR come from the ongres scram library (what
 * pgjdbc uses); Hi is ours because the library only takes a {@code char[]} password, and PostgreSQL hashes raw
 * bytes when SASLprep rejects them (see {@link SaslPrep}).
 */
final class ScramCrypto {
    static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    static final int KEY_LENGTH = 32;
    /** PostgreSQL's SCRAM_RAW_NONCE_LEN: 18 random bytes, 24 base64 characters. */
    private static final int RAW_NONCE_LENGTH = 18;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramCrypto() {
    }

    /** Hi(password, salt, i): PBKDF2 with HMAC-SHA-256 and one output block. */
    static byte[] hi(byte[] password, byte[] salt, int iterations) {
        Mac mac = hmacSha256(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        return hi(SaslPrep.prepare(password), salt, iterations);
    }

    static byte[] clientKey(byte[] saltedPassword) {
        return ScramFunctions.clientKey(MECHANISM, saltedPassword);
    }

    static byte[] serverKey(byte[] saltedPassword) {
        return ScramFunctions.serverKey(MECHANISM, saltedPassword);
    }

    static byte[] storedKey(byte[] clientKey) {
        return ScramFunctions.storedKey(MECHANISM, clientKey);
    }

    static byte[] hmac(byte[] key, byte[] message) {
        return ScramFunctions.hmac(MECHANISM, key, message);
    }

    static byte[] xor(byte[] a, byte[] b) {
        return ScramFunctions.clientProof(a, b);
    }

    /** Constant-time equality, so a failed check leaks nothing about how many bytes matched. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** A fresh nonce like PostgreSQL's: base64 of 18 random bytes, so printable and free of commas. */
    static String newNonce() {
        byte[] raw = new byte[RAW_NONCE_LENGTH];
        RANDOM.nextBytes(raw);
        return base64(raw);
    }

    static byte[] newSalt(int length) {
        byte[] salt = new byte[length];
        RANDOM.nextBytes(salt);
        return salt;
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Decodes standard base64, or returns null when {@code text} is not base64. */
    static byte[] base64OrNull(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // SecretKeySpec refuses an empty key; HMAC pads keys with zeros, so {0} is the same key as {}
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM must provide HmacSHA256", e);
        }
    }
}
