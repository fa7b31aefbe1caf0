package io.jpgpool.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A SCRAM-SHA-256 secret (verifier) as PostgreSQL stores it in pg_authid.rolpassword and pool_passwd:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, all three base64. It lets a server check a
 * client's proof but not compute one; for that one needs the password or a ClientKey.
 *
 * <p>The arrays are copied in and out, so a secret cannot change after it is made.
 */
public record ScramSecret(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    public static final String PREFIX = "SCRAM-SHA-256$";
    /** PostgreSQL's defaults (scram_iterations in 16+, SCRAM_DEFAULT_SALT_LEN). */
    public static final int DEFAULT_ITERATIONS = 4096;
    public static final int DEFAULT_SALT_LENGTH = 16;

    public ScramSecret {
        if (iterations < 1) {
            throw new IllegalArgumentException("SCRAM iteration count must be positive");
        }
        Objects.requireNonNull(salt, "salt");
        requireKey(storedKey, "StoredKey");
        requireKey(serverKey, "ServerKey");
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Parses {@code SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>}; throws {@link IllegalArgumentException}
     * when the text is not such a secret. The message never repeats the text, which is a password equivalent.
     */
    public static ScramSecret parse(String text) {
        if (!isScramSecret(text)) {
            throw new IllegalArgumentException("invalid SCRAM secret: it does not start with \"" + PREFIX + "\"");
        }
        String body = text.substring(PREFIX.length());
        int dollar = body.indexOf('$');
        if (dollar < 0) {
            throw invalid("missing \"$\" between salt and keys");
        }
        String[] iterationsAndSalt = body.substring(0, dollar).split(":", -1);
        String[] keys = body.substring(dollar + 1).split(":", -1);
        if (iterationsAndSalt.length != 2 || keys.length != 2) {
            throw invalid("expected <iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        int iterations = parseIterations(iterationsAndSalt[0]);
        byte[] salt = ScramCrypto.base64OrNull(iterationsAndSalt[1]);
        if (salt == null || salt.length == 0) {
            throw invalid("salt is not base64");
        }
        byte[] storedKey = ScramCrypto.base64OrNull(keys[0]);
        byte[] serverKey = ScramCrypto.base64OrNull(keys[1]);
        if (storedKey == null || storedKey.length != ScramCrypto.KEY_LENGTH
                || serverKey == null || serverKey.length != ScramCrypto.KEY_LENGTH) {
            throw invalid("StoredKey and ServerKey must be 32 bytes of base64");
        }
        return new ScramSecret(iterations, salt, storedKey, serverKey);
    }

    /** Whether a stored password is meant as a SCRAM secret (by its prefix, as PostgreSQL and Pgpool-II tell). */
    public static boolean isScramSecret(String text) {
        return text != null && text.startsWith(PREFIX);
    }

    /** The secret PostgreSQL would store for {@code password} with this salt and iteration count. */
    public static ScramSecret fromPassword(String password, byte[] salt, int iterations) {
        return fromPassword(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
    }

    /**
     * As {@link #fromPassword(String, byte[], int)} for a password received as bytes (a PasswordMessage), which
     * PostgreSQL hashes as they are when they are not UTF-8.
     */
    public static ScramSecret fromPassword(byte[] password, byte[] salt, int iterations) {
        byte[] saltedPassword = ScramCrypto.saltedPassword(password, salt, iterations);
        byte[] clientKey = ScramCrypto.clientKey(saltedPassword);
        return new ScramSecret(iterations, salt, ScramCrypto.storedKey(clientKey),
                ScramCrypto.serverKey(saltedPassword));
    }

    /** A new secret for {@code password} with a random 16-byte salt and 4096 iterations, like CREATE ROLE. */
    public static ScramSecret generate(String password) {
        return fromPassword(password, ScramCrypto.newSalt(DEFAULT_SALT_LENGTH), DEFAULT_ITERATIONS);
    }

    /** The pg_authid / pool_passwd text form. */
    public String format() {
        return PREFIX + iterations + ":" + ScramCrypto.base64(salt) + "$"
                + ScramCrypto.base64(storedKey) + ":" + ScramCrypto.base64(serverKey);
    }

    /** Whether {@code clientKey} belongs to this secret: H(ClientKey) = StoredKey, compared in constant time. */
    public boolean matchesClientKey(byte[] clientKey) {
        return clientKey != null && clientKey.length == ScramCrypto.KEY_LENGTH
                && ScramCrypto.same(ScramCrypto.storedKey(clientKey), storedKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramSecret other
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(storedKey, other.storedKey)
                && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }

    /** Leaves the keys out: with them one can pose as the server to a client. */
    @Override
    public String toString() {
        return "ScramSecret[iterations=" + iterations + ", salt=" + ScramCrypto.base64(salt) + ", keys=<hidden>]";
    }

    private static int parseIterations(String text) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("iteration count is not a number");
        }
        long value = Long.parseLong(text);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw invalid("iteration count out of range");
        }
        return (int) value;
    }

    private static void requireKey(byte[] key, String name) {
        if (key == null || key.length != ScramCrypto.KEY_LENGTH) {
            throw new IllegalArgumentException(name + " must be " + ScramCrypto.KEY_LENGTH + " bytes");
        }
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("invalid SCRAM secret: " + why);
    }
}
