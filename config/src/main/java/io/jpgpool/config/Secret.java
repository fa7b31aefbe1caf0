package io.jpgpool.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A password as stored in pool_passwd (SEMANTICS §E.5), told apart by its prefix: {@code md5} + 32
 * hex digits, {@code AES} + base64, {@code SCRAM-SHA-256$...}, {@code TEXT} + plain text; anything
 * else is plain text. Also the form of a password written in pgpool.conf
 * ({@code health_check_password} etc.): see {@link #of(String)}.
 */
public sealed interface Secret {

    /**
     * Classifies a stored password by its prefix.
     *
     * @throws IllegalArgumentException for a {@code SCRAM-SHA-256$} value that is not a valid verifier
     */
    static Secret of(String stored) {
        if (stored.startsWith("md5") && stored.length() == 35 && isHex(stored.substring(3))) {
            return new Md5Hash(stored.substring(3));
        }
        if (stored.startsWith("AES")) {
            return new Aes(stored.substring(3));
        }
        if (stored.startsWith(ScramSecret.PREFIX)) {
            return new ScramSecret(stored);
        }
        if (stored.startsWith("TEXT")) {
            return new PlainText(stored.substring(4));
        }
        return new PlainText(stored);
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
    }

    /** A clear-text password (stored bare or with the {@code TEXT} prefix). */
    record PlainText(String password) implements Secret {
        @Override
        public String toString() {
            return "PlainText[*****]";
        }
    }

    /**
     * An MD5 password: {@code hex} = md5hex(password ‖ user), 32 hex digits without the {@code md5}
     * prefix, as PostgreSQL's MD5 authentication needs it.
     */
    record Md5Hash(String hex) implements Secret {

        /** The hash pgpool would store for this user and password. */
        public static Md5Hash of(String user, String password) {
            return new Md5Hash(Md5.hex(password.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8)));
        }

        /** As written in pool_passwd: {@code md5} + hex. */
        public String stored() {
            return "md5" + hex;
        }
    }

    /**
     * A SCRAM-SHA-256 verifier, {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}
     * (base64 parts). pgpool recognises it but cannot log in to backends with it (SEMANTICS §E.4).
     *
     * @param raw the verifier as stored
     * @throws IllegalArgumentException if {@code raw} does not have that form
     */
    record ScramSecret(String raw) implements Secret {
        static final String PREFIX = "SCRAM-SHA-256$";
        static final Pattern FORM = Pattern.compile(
                "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/]+=*)\\$([A-Za-z0-9+/]+=*):([A-Za-z0-9+/]+=*)");

        public ScramSecret {
            Matcher m = FORM.matcher(raw);
            if (!m.matches() || Integer.parseInt(m.group(1)) == 0) {
                throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret");
            }
            try {
                Base64.getDecoder().decode(m.group(2));
                if (Base64.getDecoder().decode(m.group(3)).length != 32
                        || Base64.getDecoder().decode(m.group(4)).length != 32) {
                    throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret: keys must be 32 bytes");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed SCRAM-SHA-256 secret: " + e.getMessage(), e);
            }
        }

        private Matcher parts() {
            Matcher m = FORM.matcher(raw);
            m.matches();
            return m;
        }

        public int iterations() {
            return Integer.parseInt(parts().group(1));
        }

        public byte[] salt() {
            return Base64.getDecoder().decode(parts().group(2));
        }

        public byte[] storedKey() {
            return Base64.getDecoder().decode(parts().group(3));
        }

        public byte[] serverKey() {
            return Base64.getDecoder().decode(parts().group(4));
        }
    }

    /** An AES-256-CBC encrypted password ({@code pg_enc}); decrypt it with the pgpool key. */
    record Aes(String base64) implements Secret {

        /** The clear-text password. */
        public String decrypt(PgpoolKey key) throws ConfigException {
            return key.decrypt(base64);
        }
    }
}
