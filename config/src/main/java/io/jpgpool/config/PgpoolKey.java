package io.jpgpool.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of pool_passwd's {@code AES} passwords: the first line of {@code $PGPOOLKEYFILE} or
 * {@code ~/.pgpoolkey} (SEMANTICS §E.5). Passwords are AES-256-CBC with key and IV derived as
 * OpenSSL's {@code EVP_BytesToKey(aes-256-cbc, SHA-1, no salt, 1 iteration)}, which is what
 * {@code pg_enc} writes.
 */
public final class PgpoolKey {

    /** Environment variable naming the key file. */
    public static final String KEY_FILE_ENV = "PGPOOLKEYFILE";

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] passphrase;
    private final boolean insecurePermissions;

    private PgpoolKey(byte[] passphrase, boolean insecurePermissions) {
        this.passphrase = passphrase;
        this.insecurePermissions = insecurePermissions;
    }

    /** A key given directly (pgpool's {@code -K}). */
    public static PgpoolKey of(String passphrase) {
        return new PgpoolKey(passphrase.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The key from {@code $PGPOOLKEYFILE}, else {@code ~/.pgpoolkey}; empty if that file does not exist. */
    public static Optional<PgpoolKey> locate() throws ConfigException {
        String env = System.getenv(KEY_FILE_ENV);
        Path file = env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".pgpoolkey");
        return Files.exists(file) ? Optional.of(read(file)) : Optional.empty();
    }

    /** Reads the first line of a key file (without its newline). */
    public static PgpoolKey read(Path file) throws ConfigException {
        byte[] bytes;
        boolean insecure = false;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file.toString(), 0, null, "pool key file is not a plain file");
            }
            bytes = Files.readAllBytes(file);
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (view != null) {
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                perms.retainAll(GROUP_OR_OTHER);
                insecure = !perms.isEmpty();
            }
        } catch (IOException | SecurityException e) {
            throw new ConfigException(file.toString(), 0, null, "could not read pool key file: " + e, e);
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        return new PgpoolKey(Arrays.copyOf(bytes, end), insecure);
    }

    /** True if the key file has group or world access; pgpool warns but still uses it. */
    public boolean insecurePermissions() {
        return insecurePermissions;
    }

    /** Decrypts a pool_passwd AES password (the base64 text after {@code AES}). */
    public String decrypt(String base64) throws ConfigException {
        try {
            byte[] data = Base64.getDecoder().decode(base64.strip());
            return new String(cipher(Cipher.DECRYPT_MODE).doFinal(data), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigException(null, 0, null, "unable to decrypt password: wrong pool key or damaged value", e);
        }
    }

    /** Encrypts like {@code pg_enc}: the result is what follows {@code AES} in pool_passwd. */
    public String encrypt(String password) {
        try {
            return Base64.getEncoder().encodeToString(
                    cipher(Cipher.ENCRYPT_MODE).doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-CBC is required by every Java platform", e);
        }
    }

    private Cipher cipher(int mode) throws GeneralSecurityException {
        // EVP_BytesToKey: D1 = SHA1(pass), Di = SHA1(D(i-1) || pass); key = first 32 bytes, IV = next 16
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] material = new byte[48];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < material.length; ) {
            sha1.update(previous);
            sha1.update(passphrase);
            previous = sha1.digest();
            int n = Math.min(previous.length, material.length - filled);
            System.arraycopy(previous, 0, material, filled, n);
            filled += n;
        }
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(mode, new SecretKeySpec(material, 0, 32, "AES"), new IvParameterSpec(material, 32, 16));
        return c;
    }

    @Override
    public String toString() {
        return "PgpoolKey[*****]";
    }
}
