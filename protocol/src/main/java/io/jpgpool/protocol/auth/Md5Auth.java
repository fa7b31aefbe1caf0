package io.jpgpool.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * PostgreSQL's {@code md5} password method.
 *
 * <p>The stored form is {@code "md5" + hex(md5(password || user))} (pg_authid, pool_passwd, SEMANTICS E.5);
 * on the wire the client answers a 4-byte salt with {@code "md5" + hex(md5(hex-of-stored-hash || salt))}, so
 * knowing the stored hash is enough to answer any salt: that is how jpgpool logs into md5 backends from
 * pool_passwd.
 */
public final class Md5Auth {
    /** {@code md5} followed by 32 lower-case hex digits, as PostgreSQL writes it. */
    private static final Pattern MD5_HASH = Pattern.compile("md5[0-9a-f]{32}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int SALT_LENGTH = 4;

    private Md5Auth() {
    }

    /** The stored hash of a password: {@code "md5" + hex(md5(password || user))}, strings taken as UTF-8. */
    public static String encrypt(String user, String password) {
        return "md5" + HEX.formatHex(md5(utf8(password), utf8(user)));
    }

    /** What a client sends in its PasswordMessage for a stored {@code md5...} hash and the server's salt. */
    public static String saltedResponse(String md5Hash, byte[] salt) {
        requireMd5Hash(md5Hash);
        requireSalt(salt);
        // the stored hash is hashed again as its 32 hex characters, not as the 16 bytes they stand for
        byte[] hexPart = md5Hash.substring(3).getBytes(StandardCharsets.US_ASCII);
        return "md5" + HEX.formatHex(md5(hexPart, salt));
    }

    /**
     * Whether a client's PasswordMessage answers {@code salt} for {@code storedMd5Hash}. The comparison takes the
     * same time wherever the strings differ, so it tells nothing about how close a guess was.
     */
    public static boolean verify(String storedMd5Hash, byte[] salt, String clientResponse) {
        byte[] expected = saltedResponse(storedMd5Hash, salt).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = clientResponse == null ? new byte[0] : utf8(clientResponse);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether a pool_passwd / pg_authid value is an md5 hash (and not plain text or a SCRAM secret). */
    public static boolean isMd5Hash(String value) {
        return value != null && MD5_HASH.matcher(value).matches();
    }

    /** A fresh random salt for AuthenticationMD5Password. */
    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static void requireMd5Hash(String md5Hash) {
        if (!isMd5Hash(md5Hash)) {
            // never echo the value: it is a password equivalent
            throw new IllegalArgumentException("not an md5 password hash (expected \"md5\" and 32 hex digits)");
        }
    }

    private static void requireSalt(byte[] salt) {
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("md5 salt must be 4 bytes");
        }
    }

    private static byte[] md5(byte[] first, byte[] second) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(first);
            md.update(second);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide MD5", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
